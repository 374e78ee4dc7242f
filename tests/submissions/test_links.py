"""Resource links as materials (issue 7 item 10; seed 003 "所用课件及相关资源（或资源链接）")."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import otol_campaign  # noqa: F401  (fixture)
from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.campaigns.domain import settings as settings_domain
from youke.campaigns.models import Level, MaterialRequirement
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain.constraints import material_problems
from youke.selection.models import LevelEntry
from youke.submissions.domain import links, packages
from youke.submissions.models import MaterialLink

pytestmark = pytest.mark.django_db

GOOD = "https://www.eduyun.cn/resource/12345?from=share#p2"


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        (GOOD, GOOD),
        (
            "  http://jiaoyan.example.cn/课件/圆的面积.pptx  ",
            "http://jiaoyan.example.cn/课件/圆的面积.pptx",
        ),
        ("HTTPS://Pan.Example.COM:8443/s/abc", "HTTPS://Pan.Example.COM:8443/s/abc"),
        ("https://例子.中国/资源", "https://例子.中国/资源"),
        ("https://8.8.8.8/share", "https://8.8.8.8/share"),
        ("https://[2001:4860:4860::8888]/x", "https://[2001:4860:4860::8888]/x"),
    ],
)
def test_good_urls_are_kept(url, stored):
    assert links.clean_link_url(url) == stored


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("", "empty", "请填写链接地址"),
        ("javascript:alert(1)", "scheme", "只接受以 http:// 或 https:// 开头的网址"),
        ("JavaScript:alert(document.cookie)", "scheme", "“javascript:”链接不行"),
        ("data:text/html,<script>alert(1)</script>", "scheme", "“data:”链接不行"),
        ("data:text/html;base64,PHNjcmlwdD4=", "scheme", "“data:”链接不行"),
        ("file:///etc/passwd", "scheme", "“file:”链接不行"),
        ("ftp://files.example.cn/a.ppt", "scheme", "“ftp:”链接不行"),
        ("www.example.cn/a", "scheme", "请补上后重新填写，例如 https://www.example.cn/a。"),
        ("//example.cn/a", "scheme", "例如 https://example.cn/a。"),
        ("https://user:secret@example.cn/a", "credentials", "不能包含用户名或密码"),
        ("https://token@example.cn/a", "credentials", "不能包含用户名或密码"),
        ("http://localhost:8000/admin", "host", "内网或本机地址"),
        ("http://127.0.0.1/", "host", "内网或本机地址"),
        ("http://127.1/", "host", "内网或本机地址"),
        ("http://2130706433/", "host", "内网或本机地址"),
        ("http://0x7f.0.0.1/", "host", "内网或本机地址"),
        ("http://10.1.2.3/share", "host", "内网或本机地址"),
        ("http://192.168.1.10/", "host", "内网或本机地址"),
        ("http://172.16.0.5/", "host", "内网或本机地址"),
        ("http://169.254.169.254/latest/meta-data/", "host", "内网或本机地址"),
        ("http://[::1]/", "host", "内网或本机地址"),
        ("http://[::ffff:127.0.0.1]/", "host", "内网或本机地址"),
        ("http://0.0.0.0/", "host", "内网或本机地址"),
        ("http://intranet/", "host", "内网或本机地址"),
        ("http://files.school.local/a", "host", "内网或本机地址"),
        ("http://nas.corp.internal/a", "host", "内网或本机地址"),
        ("http://app.localhost/", "host", "内网或本机地址"),
        ("http://999.1.1.1/", "host", "无效"),
        ("http://exa_mple.cn/", "host", "无效"),
        ("https://", "host", "缺少网站地址"),
        ("https://example.cn:99999/", "malformed", "格式不正确"),
        ("https://exam ple.cn/", "control", "空格或不可见字符"),
        ("https://example.cn/\x00", "control", "空格或不可见字符"),
        ("https://example.cn/" + "a" * 500, "too_long", "最长 500 个字符"),
    ],
)
def test_bad_urls_are_refused_with_the_fix(url, code, words):
    with pytest.raises(ValidationError) as info:
        links.clean_link_url(url)
    assert info.value.code == code
    assert words in info.value.messages[0]


@pytest.fixture
def draft(province, otol_campaign, catalog):  # noqa: F811
    return packages.start_submission(
        Actor(province.teacher_a),
        otol_campaign,
        otol_campaign.categories.get(code="showcase"),
        catalog.lesson4,
        title="亿以内数的认识",
    )


def courseware(submission):
    return requirement(submission.campaign, "showcase", "courseware")


def test_template_turns_links_on_for_courseware_only(otol_campaign, campaign):  # noqa: F811
    rows = {
        (r.category.campaign.template_key, r.category.code, r.code): r.accepts_link
        for r in MaterialRequirement.objects.filter(
            category__campaign__in=[otol_campaign, campaign]
        ).select_related("category__campaign")
        if r.accepts_link
    }
    assert rows == {("one_teacher_one_lesson", "showcase", "courseware"): True}


def test_a_link_counts_as_the_material_for_submitting(province, draft, run_on_commit):
    with pytest.raises(ValidationError) as info:
        packages.submit(Actor(province.teacher_a), draft)
    assert info.value.messages == [
        "请先阅读并确认原创声明。",
        "缺少必交材料：教学设计。",
        "缺少必交材料：课件。",
    ]
    link = links.add_link(
        Actor(province.teacher_a),
        draft,
        courseware(draft),
        1,
        title=" 圆的面积课件（网盘） ",
        url=GOOD,
    )
    assert (link.title, link.url, link.host) == ("圆的面积课件（网盘）", GOOD, "www.eduyun.cn")
    slot = next(s for s in packages.checklist(draft) if s.requirement.code == "courseware")
    assert (slot.state, slot.present, slot.blocks_submission, slot.links) == (
        "linked",
        True,
        False,
        (link,),
    )
    with pytest.raises(ValidationError) as info:
        packages.submit(Actor(province.teacher_a), draft)
    assert info.value.messages == ["请先阅读并确认原创声明。", "缺少必交材料：教学设计。"]
    event = AuditEvent.objects.filter(object_type="submissions.submission").latest("id")
    assert event.after == {
        "material": "courseware",
        "period": 1,
        "link": GOOD,
        "title": "圆的面积课件（网盘）",
    }


def test_domain_refusals(province, draft, campaign):  # noqa: F811
    teacher = Actor(province.teacher_a)
    design = requirement(draft.campaign, "showcase", "teaching_design")
    with pytest.raises(ValidationError) as info:
        links.add_link(teacher, draft, design, 1, title="设计", url=GOOD)
    assert info.value.messages == [
        "“教学设计”只接受上传文件，不能提交链接。请上传 doc、docx、pdf 文件。"
    ]
    with pytest.raises(ValidationError) as info:
        links.add_link(teacher, draft, courseware(draft), 1, title="", url="javascript:alert(1)")
    assert set(info.value.message_dict) == {"title", "url"}
    assert info.value.message_dict["title"] == ["请填写链接标题，说明这是什么资源。"]
    with pytest.raises(ValidationError):
        links.add_link(teacher, draft, courseware(draft), 2, title="第二课时", url=GOOD)
    other = requirement(campaign, "subject", "courseware")
    with pytest.raises(ValidationError) as info:
        links.add_link(teacher, draft, other, 1, title="别的活动", url=GOOD)
    assert info.value.messages == ["该材料不属于此作品的类别。"]
    links.add_link(teacher, draft, courseware(draft), 1, title="一", url=GOOD)
    with pytest.raises(ValidationError) as info:
        links.add_link(teacher, draft, courseware(draft), 1, title="二", url=GOOD)
    assert info.value.message_dict == {"url": ["这个链接已经添加过了，不需要重复添加。"]}
    for i in range(2, links.MAX_LINKS_PER_SLOT + 1):
        links.add_link(teacher, draft, courseware(draft), 1, title=f"{i}", url=f"{GOOD}{i}")
    with pytest.raises(ValidationError) as info:
        links.add_link(teacher, draft, courseware(draft), 1, title="六", url=GOOD + "6")
    assert info.value.message_dict == {"url": ["“课件”最多 5 个链接，请先删除不再需要的链接。"]}
    # Only the author writes: the school admin sees the package but may not add to it.
    with pytest.raises(PermissionDenied):
        links.add_link(
            Actor(province.school_a_admin), draft, courseware(draft), 1, title="x", url=GOOD + "x"
        )


def test_linking_a_submitted_package_takes_it_back_to_draft(
    province, draft, run_on_commit, django_capture_on_commit_callbacks
):
    teacher = Actor(province.teacher_a)
    packages.confirm_originality(teacher, draft)
    design = requirement(draft.campaign, "showcase", "teaching_design")
    upload = stored_upload(province.teacher_a, "设计.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        packages.attach_material(teacher, draft, design, 1, upload)
    link = links.add_link(teacher, draft, courseware(draft), 1, title="课件", url=GOOD)
    submitted = packages.submit(teacher, draft)
    assert submitted.state == "submitted"
    assert LevelEntry.objects.filter(submission=draft).count() == 1
    links.remove_link(teacher, MaterialLink.objects.get(pk=link.pk))
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert draft.events.last().note == "修改了材料“课件”的资源链接，请重新提交。"
    with pytest.raises(ValidationError) as info:
        packages.submit(teacher, draft)
    assert info.value.messages == ["缺少必交材料：课件。"]


def test_a_link_counts_for_materials_required_from_a_level(province, draft):
    """R2-style "required from city level" materials: a saved link is the material given."""
    courseware_req = courseware(draft)
    courseware_req.required, courseware_req.required_from_level = False, "city"
    courseware_req.save()
    county = LevelEntry(
        submission=draft, level=Level.objects.get(campaign=draft.campaign, key="county")
    )
    problems = material_problems(draft.campaign, [county])
    assert any("课件" in p for p in problems)
    MaterialLink.objects.create(
        submission=draft, requirement=courseware_req, title="课件", url=GOOD
    )
    assert not any("课件" in p for p in material_problems(draft.campaign, [county]))


def test_package_page_shows_links_and_other_schools_get_404(client, province, draft):
    link = links.add_link(
        Actor(province.teacher_a), draft, courseware(draft), 1, title="课件网盘", url=GOOD
    )
    client.force_login(province.teacher_a)
    html = client.get(reverse("portal:submission_detail", args=[draft.pk])).content.decode()
    anchor = f'<a href="{GOOD.replace("&", "&amp;")}" target="_blank" rel="noopener noreferrer"'
    assert html.count(anchor) == 2  # the checklist line and the documents panel
    assert "（www.eduyun.cn）" in html and "data-link-form" in html
    client.force_login(province.teacher_b)
    add = reverse("portal:submission_link_add", args=[draft.pk])
    remove = reverse("portal:submission_link_remove", args=[draft.pk, link.pk])
    body = {"requirement": courseware(draft).pk, "period": 1, "title": "x", "url": GOOD + "y"}
    assert [
        client.get(reverse("portal:submission_detail", args=[draft.pk])).status_code,
        client.post(add, body).status_code,
        client.post(remove).status_code,
    ] == [404, 404, 404]
    assert list(MaterialLink.objects.filter(submission=draft)) == [link]


def test_package_page_add_and_remove(client, province, draft):
    client.force_login(province.teacher_a)
    add = reverse("portal:submission_link_add", args=[draft.pk])
    body = {"requirement": courseware(draft).pk, "period": 1, "title": "课件", "url": "file:///c"}
    page = client.post(add, body, follow=True).content.decode()
    assert "只接受以 http:// 或 https:// 开头的网址，“file:”链接不行。请填写网页地址。" in page
    assert not MaterialLink.objects.exists()
    page = client.post(add, {**body, "url": GOOD}, follow=True).content.decode()
    assert "已添加链接“课件”（www.eduyun.cn）。" in page
    link = MaterialLink.objects.get()
    remove = reverse("portal:submission_link_remove", args=[draft.pk, link.pk])
    page = client.post(remove, follow=True).content.decode()
    assert "已删除链接“课件”。" in page and not MaterialLink.objects.exists()


def test_setting_is_edited_validated_and_audited(province, otol_campaign):  # noqa: F811
    design = requirement(otol_campaign, "showcase", "teaching_design")
    settings_domain.update_material(Actor(province.province_admin), design, accepts_link=True)
    design.refresh_from_db()
    assert design.accepts_link is True
    event = AuditEvent.objects.filter(object_type="campaigns.materialrequirement").latest("id")
    assert (event.before["accepts_link"], event.after["accepts_link"]) == (False, True)
    recording = requirement(otol_campaign, "showcase", "classroom_recording")
    with pytest.raises(ValidationError) as info:
        settings_domain.update_material(
            Actor(province.province_admin), recording, accepts_link=True
        )
    assert info.value.message_dict == {
        "accepts_link": ["视频材料须上传文件以便检查规格，不能以链接提交。请取消“可提交资源链接”。"]
    }


def test_admin_list_filters_packages_with_links(client, province, draft):
    url = reverse("manage_submissions:submission_list")
    client.force_login(province.school_a_admin)
    assert "亿以内数的认识" not in client.get(url, {"check": "linked"}).content.decode()
    links.add_link(
        Actor(province.teacher_a), draft, courseware(draft), 1, title="课件网盘", url=GOOD
    )
    assert "亿以内数的认识" in client.get(url, {"check": "linked"}).content.decode()
