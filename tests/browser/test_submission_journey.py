"""A teacher's lesson package in a real browser (issue 3): start it, have a low-resolution video
stopped by the browser pre-check before any byte is sent, upload a good one over tus with the
progress bar, see the server check, add the documents, confirm originality and submit.

The site runs in the live server with background jobs eager, so the server check of a finished
upload has run by the time the last PATCH answers; reloading the page shows its result.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.submissions.conftest import PDF, campaign, catalog  # noqa: F401  (fixtures)
from youke.campaigns.models import VideoRule
from youke.core.actor import Actor
from youke.media.models import Upload
from youke.media.processing.samples import make_video
from youke.submissions.domain import packages
from youke.submissions.models import Submission

pytestmark = pytest.mark.browser

UPLOADS = "**/api/v1/uploads/**"
DOCUMENTS = {
    "teaching_design": "教学设计.pdf",
    "task_sheet": "学习任务单.pdf",
    "courseware": "课件.pdf",
    "exercises": "作业练习.pdf",
}
LOW_RESOLUTION = "视频分辨率为 1280×720，低于要求的 1920×1080，请用 1080p 重新导出后再上传。"


def set_resolution_severity(campaign, severity: str) -> None:  # noqa: F811
    """The campaign setting: does a micro-lesson that is not 1920×1080 block or only warn?"""
    changed = VideoRule.objects.filter(
        requirement__category__campaign=campaign,
        requirement__category__code="subject",
        requirement__code="micro_video",
        rule__in=["exact_width", "exact_height"],
    ).update(severity=severity)
    assert changed == 2


def record_upload_requests(page) -> list[tuple[str, str | None]]:
    """(method, Upload-Offset) of every request the page sends to the tus endpoint."""
    seen: list[tuple[str, str | None]] = []

    def record(route):
        seen.append((route.request.method, route.request.headers.get("upload-offset")))
        route.continue_()

    page.unroute(UPLOADS)
    page.route(UPLOADS, record)
    return seen


def listen_for_uploads(page) -> None:
    """Collect the `youke:uploaded` events the widgets dispatch (they bubble to document)."""
    page.evaluate(
        "window.uploaded = [];"
        "document.addEventListener('youke:uploaded', e => window.uploaded.push(e.detail));"
    )


def slot(page, code: str, period: int = 1):
    return page.locator(f'#material-table tr[data-slot="{code}-{period}"]')


def upload_into(page, code: str, path, count: int) -> None:
    """Pick a file in a slot's widget and wait until tus reports the upload finished."""
    widget = slot(page, code).locator("[data-upload]")
    widget.locator("[data-upload-input]").set_input_files(str(path))
    expect(widget).to_have_attribute("data-upload-state", "done", timeout=20_000)
    page.wait_for_function(f"() => window.uploaded.length === {count}")
    # Browser warnings (if any) stay above the completion line.
    expect(widget.locator("[data-upload-message] div").last).to_have_text(
        f"“{path.name}”上传完成，服务器正在检查文件。"
    )


def test_teacher_uploads_checks_and_submits_a_package(page, site, campaign, tmp_path):  # noqa: F811
    video = make_video(
        tmp_path / "微课第1课时.mp4", width=1280, height=720, bitrate=2_000_000, seconds=1
    )
    teacher = site.province.teacher_a

    # 我的申报 → 新建作品: search the lesson, pick category and node, save the draft.
    login(page, site, "teachera")
    page.locator("#mainnav").get_by_role("link", name="我的申报", exact=True).click()
    expect(page).to_have_url(site("/my/submissions/"))
    expect(page.locator("#open-campaigns")).to_contain_text("精品课测试")
    page.locator("#open-campaigns").get_by_role("link", name="新建作品").click()
    expect(page).to_have_url(site(f"/my/submissions/new/{campaign.pk}/"))
    expect(page.locator("h1")).to_have_text("新建作品 · 精品课测试")
    page.get_by_role("textbox", name="搜索课程节点").fill("亿以内")
    page.get_by_role("button", name="搜索节点").click()
    results = page.locator("#node-results label")
    expect(results).to_have_count(2)
    results.filter(has_text="亿以内数的认识").get_by_role("radio").check()
    page.get_by_label("学科课程").check()
    page.get_by_label("作品标题").fill("亿以内数的认识")
    screenshot(page, "submission-01-start")
    page.get_by_role("button", name="保存草稿").click()

    submission = Submission.objects.get(teacher=teacher)
    expect(page).to_have_url(site(f"/my/submissions/{submission.pk}/"))
    expect(page.locator("#submission-title")).to_have_text("亿以内数的认识")
    expect(page.locator("#submission-state")).to_have_text("草稿")
    expect(page.get_by_text("草稿已保存。请上传材料，确认原创声明后提交。")).to_be_visible()
    expect(page.locator("#material-table tbody tr")).to_have_count(5)
    expect(page.locator("#material-table [data-check-state]")).to_have_text(["未上传"] * 5)
    screenshot(page, "submission-02-draft")

    # The campaign makes 1920×1080 a blocking rule: the browser refuses the 1280×720 file.
    set_resolution_severity(campaign, "blocks")
    page.reload()
    sent = record_upload_requests(page)
    widget = slot(page, "micro_video").locator("[data-upload]")
    widget.locator("[data-upload-input]").set_input_files(str(video))
    expect(widget).to_have_attribute("data-upload-state", "rejected")
    message = widget.locator("[data-upload-message]")
    expect(message).to_have_text(LOW_RESOLUTION)
    expect(message).to_have_class(re.compile(r"\btext-danger\b"))
    expect(widget.locator("[data-upload-input]")).to_have_value("")
    assert sent == []  # not even the tus POST that creates the upload
    assert not Upload.objects.exists()
    expect(slot(page, "micro_video").locator("[data-check-state]")).to_have_text("未上传")
    screenshot(page, "submission-03-video-refused-in-browser")

    # Back to a warning: the same file now uploads over tus, chunk by chunk, with progress.
    set_resolution_severity(campaign, "warns")
    page.reload()
    sent = record_upload_requests(page)
    listen_for_uploads(page)
    widget = slot(page, "micro_video").locator("[data-upload]")
    progress = widget.locator("[data-upload-progress]")
    expect(progress).to_have_js_property("value", 0)
    upload_into(page, "micro_video", video, 1)
    expect(progress).to_have_js_property("value", 100)
    expect(progress).to_have_attribute("aria-valuenow", "100")
    assert sent == [("POST", None), ("PATCH", "0")]
    upload = Upload.objects.get()
    assert (upload.filename, upload.state, upload.length) == (
        video.name,
        "complete",
        video.stat().st_size,
    )
    assert page.evaluate("window.uploaded[0].id") == str(upload.pk)
    screenshot(page, "submission-04-video-uploaded")

    # The server check ran after the upload: only warning rules fail, so 有警告 with reasons.
    page.reload()
    row = slot(page, "micro_video")
    badge = row.locator("[data-check-state]")
    expect(badge).to_have_attribute("data-check-state", "warned")
    expect(badge).to_have_text("有警告")
    expect(row.get_by_role("link", name=video.name)).to_be_visible()
    expect(row.get_by_text(re.compile(r"^1280×720 · "))).to_be_visible()
    expect(row).to_contain_text("1280×720")
    expect(row).to_contain_text("宽度应为 1920 像素")
    expect(row.locator("li.text-danger")).to_have_count(0)  # nothing that blocks
    expect(page.locator("#submission-checks")).not_to_have_attribute("hx-get", re.compile(".+"))
    screenshot(page, "submission-05-video-checked")

    # The four documents, one PDF each.
    listen_for_uploads(page)
    for count, (code, filename) in enumerate(DOCUMENTS.items(), start=2):
        document = tmp_path / filename
        document.write_bytes(PDF)
        upload_into(page, code, document, count - 1)
    screenshot(page, "submission-06-documents-uploaded")
    page.reload()
    for code, filename in DOCUMENTS.items():
        row = slot(page, code)
        expect(row.locator("[data-check-state]")).to_have_attribute("data-check-state", "passed")
        expect(row.locator("[data-check-state]")).to_have_text("通过")
        expect(row.get_by_role("link", name=filename)).to_be_visible()
    screenshot(page, "submission-07-all-materials")

    # Originality declaration, then 提交作品.
    page.get_by_label("我已阅读并承诺").check()
    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.get_by_text("已确认原创声明。")).to_be_visible()
    expect(page.locator("#originality-state")).to_have_text(re.compile(r"^已于 .+ 确认$"))
    page.get_by_role("button", name="提交作品").click()
    expect(page.locator("#submission-state")).to_have_text("已提交")
    expect(page.get_by_text("已提交。学校审核前您仍可修改。")).to_be_visible()
    expect(page.locator("#submit-button")).to_have_count(0)
    page.locator("#submission-history-box summary").click()  # the history loads on opening
    expect(page.locator("#submission-history")).to_contain_text("已提交")
    submission.refresh_from_db()
    assert submission.state == "submitted"
    screenshot(page, "submission-08-submitted")

    page.locator("#mainnav").get_by_role("link", name="我的申报", exact=True).click()
    listed = page.locator("#submission-table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("亿以内数的认识")
    expect(listed.first.locator(".badge")).to_have_text("已提交")
    assert site.problems == []


@pytest.fixture
def draft(site, campaign, catalog):  # noqa: F811
    """The teacher's draft for 亿以内数的认识 (学科课程, one period), made without the browser."""
    return packages.start_submission(
        Actor(site.province.teacher_a),
        campaign,
        campaign.categories.get(code="subject"),
        catalog.lesson4,
        title="亿以内数的认识",
    )


def test_progress_bar_is_visible_while_the_video_uploads(page, site, draft, tmp_path):
    video = make_video(tmp_path / "微课.mp4", width=1280, height=720, bitrate=2_000_000, seconds=1)
    login(page, site, "teachera")
    page.goto(site(f"/my/submissions/{draft.pk}/"))
    held = []  # the PATCH carrying the bytes waits here while we look at the page
    holding = [True]
    page.route(
        UPLOADS,
        lambda route: (
            held.append(route)
            if holding[0] and route.request.method == "PATCH"
            else route.continue_()
        ),
    )
    widget = slot(page, "micro_video").locator("[data-upload]")
    widget.locator("[data-upload-input]").set_input_files(str(video))
    expect(widget).to_have_attribute("data-upload-state", "uploading")
    expect(widget.get_by_role("button", name="暂停")).to_be_visible()
    try:
        screenshot(page, "submission-progress-while-uploading")
        expect(widget.locator("[data-upload-progress]")).to_be_visible(timeout=10_000)
    finally:
        # Stop holding first: a PATCH that tus retries later must not be held forever.
        holding[0] = False
        for route in held:
            route.continue_()
        # tus retries after the held request; on a loaded machine that takes a while.
        expect(widget).to_have_attribute("data-upload-state", "done", timeout=30_000)


def test_checklist_shows_the_check_result_without_a_reload(page, site, draft, tmp_path):
    video = make_video(tmp_path / "微课.mp4", width=1280, height=720, bitrate=2_000_000, seconds=1)
    login(page, site, "teachera")
    page.goto(site(f"/my/submissions/{draft.pk}/"))
    widget = slot(page, "micro_video").locator("[data-upload]")
    widget.locator("[data-upload-input]").set_input_files(str(video))
    expect(widget).to_have_attribute("data-upload-state", "done")
    badge = slot(page, "micro_video").locator("[data-check-state]")
    try:
        expect(badge).to_have_attribute("data-check-state", "warned", timeout=5_000)
    finally:
        screenshot(page, "submission-checklist-after-upload-no-reload")
    expect(badge).to_have_text("有警告")


def test_teacher_adds_a_resource_link_and_sees_it_listed(page, site, draft):
    """Seed 003: courseware may come as a link where the campaign allows it (data)."""
    from youke.campaigns.models import MaterialRequirement

    MaterialRequirement.objects.filter(category=draft.category, code="courseware").update(
        accepts_link=True
    )
    login(page, site, "teachera")
    page.goto(site(f"/my/submissions/{draft.pk}/"))
    form = slot(page, "courseware").locator("[data-link-form]")
    form.get_by_label("链接标题").fill("课件（网盘）")
    form.get_by_label("链接地址").fill("javascript:alert(1)")
    form.get_by_role("button", name="添加链接").click()
    expect(page.get_by_text("“javascript:”链接不行")).to_be_visible()
    form = slot(page, "courseware").locator("[data-link-form]")
    form.get_by_label("链接标题").fill("课件（网盘）")
    form.get_by_label("链接地址").fill("https://pan.example.cn/s/8f3k2")
    form.get_by_role("button", name="添加链接").click()
    expect(page.get_by_text("已添加链接“课件（网盘）”（pan.example.cn）。")).to_be_visible()
    row = slot(page, "courseware")
    expect(row.locator("[data-check-state]")).to_have_text("已提供链接")
    link = row.get_by_role("link", name="课件（网盘）")
    expect(link).to_have_attribute("href", "https://pan.example.cn/s/8f3k2")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(row.locator("[data-link-host]")).to_have_text("（pan.example.cn）")
    expect(page.locator("#package-viewer .material-links")).to_contain_text("课件（网盘）")
    screenshot(page, "submission-resource-link")
    assert site.problems == []


def test_uploader_messages_come_from_the_catalog_in_either_language(page, site, draft, tmp_path):
    """The uploader's pre-check speaks Chinese by default and English from the djangojs
    catalog when the person chose English; nothing is sent for an empty file either way."""
    empty = tmp_path / "空白.pdf"
    empty.write_bytes(b"")
    sent = record_upload_requests(page)
    login(page, site, "teachera")
    page.goto(site(f"/my/submissions/{draft.pk}/"))
    widget = slot(page, "teaching_design").locator("[data-upload]")
    widget.locator("[data-upload-input]").set_input_files(str(empty))
    expect(widget.locator("[data-upload-message]")).to_contain_text(
        "文件“空白.pdf”是空的（0 字节），请检查文件内容后重新选择。"
    )
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site("/")}])
    page.goto(site(f"/my/submissions/{draft.pk}/"))
    widget = slot(page, "teaching_design").locator("[data-upload]")
    widget.locator("[data-upload-input]").set_input_files(str(empty))
    expect(widget.locator("[data-upload-message]")).to_contain_text(
        "The file “空白.pdf” is empty (0 bytes). Check its contents and choose it again."
    )
    assert sent == []
    assert site.problems == []
