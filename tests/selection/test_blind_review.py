"""Blind review that does not leak (issue 7 items 1, 2 and the serving rule of item 3)."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import av
import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from mutagen.mp4 import MP4
from pypdf import PdfReader

from tests.media_processing.test_blind import titled_lesson
from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.selection.test_review_pages import authored_pdf
from tests.submissions.conftest import requirement, stored_upload
from youke.campaigns.domain.campaigns import update_campaign
from youke.campaigns.models import VideoRule
from youke.core.actor import Actor
from youke.selection.domain.assignment import assign
from youke.selection.domain.review import identity_leaks, set_round_state
from youke.selection.models import ReviewRound
from youke.submissions.domain import blind_copies, checks
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db

TEACHER = "王老师"  # province.teacher_a
SCHOOL = "东湖区实验小学"
SECRETS = (TEACHER, SCHOOL, "东湖区", "teachera")
TAGS_STRIPPED = "专家下载的匿名副本已去除这些信息；如不希望保留在原文件中，请让作者清除后重新上传。"


def design_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(f"执教：{TEACHER}")
    document.add_paragraph("教学目标：理解分数的意义。")
    document.core_properties.author = TEACHER
    document.core_properties.last_modified_by = "wang"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def video_bytes(tmp_path) -> bytes:
    path = tmp_path / "lesson.mp4"
    titled_lesson(path)
    tagged = MP4(str(path))
    tagged["©ART"] = TEACHER
    tagged["cprt"] = SCHOOL
    tagged.save()
    return path.read_bytes()


def attach(entry, campaign, code, filename, data, period=1):
    return Material.objects.create(
        submission=entry.submission,
        requirement=requirement(campaign, entry.submission.category.code, code),
        upload=stored_upload(entry.submission.teacher, filename, data),
        period=period,
    )


@pytest.fixture
def package(province, campaign, lessons, tmp_path):
    entry = city_entry(campaign, province.teacher_a, lessons[0], "分数的意义")
    # An 8-second miniature is far from a 10-minute 1080p micro-lesson: warn, never block.
    VideoRule.objects.filter(requirement__category__campaign=campaign).update(
        severity="warns", floor=""
    )
    materials = {
        "video": attach(entry, campaign, "micro_video", "微课.mp4", video_bytes(tmp_path)),
        "design": attach(entry, campaign, "teaching_design", "设计.docx", design_docx()),
        "courseware": attach(
            entry, campaign, "courseware", "课件.pdf", authored_pdf(TEACHER, "课件")
        ),
    }
    return entry, materials


def check_all(materials, django_capture_on_commit_callbacks):
    """The check jobs, and the jobs they queue after commit (rendition, blind copies)."""
    with django_capture_on_commit_callbacks(execute=True):
        for material in materials.values():
            checks.run_check(material.pk)
    for material in materials.values():
        material.refresh_from_db()
        material.upload.refresh_from_db()


def asset_of(material):
    material.upload.refresh_from_db()
    return material.upload.asset


def test_check_time_job_makes_the_copies_and_keeps_originals(
    package, django_capture_on_commit_callbacks
):
    _entry, materials = package
    check_all(materials, django_capture_on_commit_callbacks)
    video = asset_of(materials["video"])
    assert video.state != "failed", video.checks
    assert video.blind_cut_seconds == Decimal("5.00")
    with av.open(default_storage.path(video.blind_rendition.name)) as copy:
        assert copy.duration / av.time_base == pytest.approx(3.0, abs=0.06)
        assert "title" not in copy.metadata and "artist" not in copy.metadata
    assert MP4(default_storage.path(video.blind_rendition.name)).tags in (None, {})
    design = asset_of(materials["design"])
    assert design.stripped_metadata == [
        {"field": "作者", "value": TEACHER},
        {"field": "最后修改者", "value": "wang"},
    ]
    assert docx.Document(design.sanitised.open()).core_properties.author == ""
    courseware = asset_of(materials["courseware"])
    assert courseware.stripped_metadata == [{"field": "作者", "value": TEACHER}]
    assert "/Author" not in PdfReader(courseware.sanitised.open()).metadata
    for material in materials.values():  # originals untouched
        data = default_storage.open(material.upload.storage_name).read()
        assert hashlib.sha256(data).hexdigest() == material.upload.sha256


def test_job_is_idempotent_and_follows_the_campaign_cut(
    province, campaign, package, django_capture_on_commit_callbacks
):
    _entry, materials = package
    check_all(materials, django_capture_on_commit_callbacks)
    first = asset_of(materials["video"]).blind_rendition.name
    blind_copies.make_blind_copies(materials["video"].pk)
    assert asset_of(materials["video"]).blind_rendition.name == first
    with pytest.raises(ValidationError) as refused:
        update_campaign(
            Actor(province.province_admin), campaign, fields={"blind_cut_seconds": Decimal(61)}
        )
    assert refused.value.message_dict["blind_cut_seconds"] == [
        "匿名评审剪去的片头应在 0 到 60 秒之间，请调整。"
    ]
    update_campaign(
        Actor(province.province_admin), campaign, fields={"blind_cut_seconds": Decimal(6)}
    )
    blind_copies.make_blind_copies(materials["video"].pk)
    video = asset_of(materials["video"])
    assert video.blind_cut_seconds == Decimal("6.00") and video.blind_rendition.name != first
    assert not default_storage.exists(first)
    with av.open(default_storage.path(video.blind_rendition.name)) as copy:
        assert copy.duration / av.time_base == pytest.approx(2.0, abs=0.06)


def test_opening_a_blind_round_queues_what_is_missing(
    province, campaign, package, catalog, django_capture_on_commit_callbacks
):
    _entry, materials = package
    for material in materials.values():  # checked before blind review existed: no copies
        checks.run_check(material.pk)
    assert not any(asset_of(m).sanitised or asset_of(m).blind_rendition for m in materials.values())
    review_round = city_round(province, campaign)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        set_round_state(Actor(province.city_admin), review_round, "open")
    assert len(queued) == 3
    assert asset_of(materials["video"]).blind_rendition
    assert asset_of(materials["design"]).sanitised and asset_of(materials["courseware"]).sanitised


@pytest.fixture
def reviewer_of(province, campaign, catalog):
    def make(entry, **settings):
        reviewer = expert(province.city, "市专家", catalog.primary)
        review_round = opened(province, city_round(province, campaign, **settings), reviewer)
        return reviewer, assign(Actor(province.city_admin), review_round, entry, reviewer)

    return make


def test_blind_expert_gets_only_the_copies(
    client, package, reviewer_of, django_capture_on_commit_callbacks
):
    entry, materials = package
    for material in materials.values():
        checks.run_check(material.pk)  # checked, copies not made yet
    reviewer, mine = reviewer_of(entry)
    client.force_login(reviewer)
    page = reverse("manage_reviews:assignment", args=[mine.pk])
    html = client.get(page).content.decode()
    assert html.count("匿名评审版本正在准备中，请稍后刷新") == 3
    urls = {
        k: reverse("manage_reviews:material", args=[mine.pk, m.pk]) for k, m in materials.items()
    }
    assert {k: client.get(url).status_code for k, url in urls.items()} == {
        "video": 404,
        "design": 404,
        "courseware": 404,
    }
    for material in materials.values():
        blind_copies.make_blind_copies(material.pk)
    html = client.get(page).content.decode()
    assert "匿名评审版本正在准备中" not in html
    assert "微课视频-第1课时.mp4" in html and "教学设计.docx" in html and "课件.pdf" in html
    for key, url in urls.items():
        response = client.get(url)
        served = b"".join(response.streaming_content)
        asset = asset_of(materials[key])
        copy = asset.blind_rendition if key == "video" else asset.sanitised
        assert served == copy.open().read()
        assert served != default_storage.open(materials[key].upload.storage_name).read()
        assert TEACHER not in response["Content-Disposition"]


def test_open_round_serves_the_original(client, package, reviewer_of):
    entry, materials = package
    reviewer, mine = reviewer_of(entry, blind=False)
    client.force_login(reviewer)
    response = client.get(
        reverse("manage_reviews:material", args=[mine.pk, materials["design"].pk])
    )
    assert (
        b"".join(response.streaming_content)
        == default_storage.open(materials["design"].upload.storage_name).read()
    )


def test_identity_is_nowhere_in_the_blind_experts_page_or_api(
    client, package, reviewer_of, django_capture_on_commit_callbacks
):
    entry, materials = package
    check_all(materials, django_capture_on_commit_callbacks)
    reviewer, mine = reviewer_of(entry)
    client.force_login(reviewer)
    responses = [
        client.get(reverse("manage_reviews:assignment", args=[mine.pk])),
        client.get(reverse("manage_reviews:queue")),
        client.get("/api/v1/reviews/assignments"),
        client.get(f"/api/v1/reviews/assignments/{mine.pk}"),
        client.post(
            f"/api/v1/reviews/assignments/{mine.pk}/scores",
            {"scores": [], "comment": "03:12 板书有误"},
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in responses] == [200] * 5
    for response in responses:
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            text = str(response.json())
        for secret in SECRETS:
            assert secret not in text, (response.request["PATH_INFO"], secret)
    detail = responses[3].json()
    assert detail["entry"]["teacher"] is None and detail["entry"]["unit"] is None
    assert [m["ready"] for m in detail["entry"]["materials"]] == [True, True, True]


def test_warnings_cover_body_text_and_video_tags(
    client, province, package, reviewer_of, django_capture_on_commit_callbacks
):
    entry, materials = package
    check_all(materials, django_capture_on_commit_callbacks)
    warnings = identity_leaks(entry)
    title = "分数的意义 王老师 东湖区实验小学"
    assert warnings == [
        f"《分数的意义》的微课视频“微课.mp4”视频标签中的{field}为“{value}”，含有“{name}”：{TAGS_STRIPPED}"
        for field, value, name in [
            ("标题（©nam）", title, TEACHER),
            ("标题（©nam）", title, SCHOOL),
            ("艺术家（©ART）", TEACHER, TEACHER),
            ("注释（©cmt）", "东湖区实验小学录制", SCHOOL),
            ("版权（cprt）", SCHOOL, SCHOOL),
        ]
    ] + [
        "《分数的意义》的教学设计“设计.docx”文档属性中的作者（dc:creator）为“王老师”，含有“王老师”："
        "专家下载的匿名副本已去除这些信息；如不希望保留在原文件中，请让作者清除后重新上传。",
        "《分数的意义》的教学设计“设计.docx”正文中出现“王老师”（执教：王老师 教学目标：理解分数的意…），"
        "匿名评审会泄露身份：请让作者删去正文中的姓名和学校后重新上传，或关闭匿名评审。",
        "《分数的意义》的课件“课件.pdf”文档属性中的作者（/Author）为“王老师”，含有“王老师”："
        "专家下载的匿名副本已去除这些信息；如不希望保留在原文件中，请让作者清除后重新上传。",
    ]
    _reviewer, mine = reviewer_of(entry)
    client.force_login(province.city_admin)
    html = client.get(reverse("manage_reviews:round", args=[mine.round_id])).content.decode()
    assert 'id="blind-report"' in html and "已就绪 3/3" in html
    assert "正文中出现“王老师”" in html
    assert "教学设计 · 作者：“王老师”" in html and "教学设计 · 最后修改者：“wang”" in html
    assert "课件 · 作者：“王老师”" in html
    ReviewRound.objects.update(blind=False)
    html = client.get(reverse("manage_reviews:round", args=[mine.round_id])).content.decode()
    assert 'id="blind-report"' not in html


def test_old_office_files_are_never_served_in_a_blind_round(client, province, package, reviewer_of):
    entry, _materials = package
    # An old Word 97 file: an OLE2 compound document (its magic is enough for the sniffer).
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    old = attach(entry, entry.submission.campaign, "task_sheet", "任务单.doc", ole)
    checks.run_check(old.pk)
    blind_copies.make_blind_copies(old.pk)
    assert not asset_of(old).sanitised
    reviewer, mine = reviewer_of(entry)
    client.force_login(reviewer)
    html = client.get(reverse("manage_reviews:assignment", args=[mine.pk])).content.decode()
    assert "该文件格式无法去除作者信息，匿名评审不提供此文件：如需查看，请联系组织单位。" in html
    url = reverse("manage_reviews:material", args=[mine.pk, old.pk])
    assert client.get(url).status_code == 404
    client.force_login(province.city_admin)
    html = client.get(reverse("manage_reviews:round", args=[mine.round_id])).content.decode()
    assert (
        "学习任务单“任务单.doc”的格式无法去除作者信息，匿名评审不会提供给专家："
        "请让作者另存为 docx、pptx 或 PDF 后重新上传。"
    ) in html
