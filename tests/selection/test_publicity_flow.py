"""Publicity windows and objections: public pages, window, rate limit, evidence, resolution."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.selection.conftest import level
from tests.selection.test_summary_sheet import build_list
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain import publicity as domain
from youke.selection.enums import EntryState, ObjectionState, PublicityState
from youke.selection.models import LevelEntry, Objection

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def window(province, campaign, lessons):
    row, entries = build_list(province, campaign, lessons)
    now = timezone.now()
    publicity = domain.open_publicity(
        Actor(province.school_a_admin),
        campaign,
        level(campaign, "school"),
        province.school_a,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=5),
        title="东湖区实验小学推荐结果公示",
    )
    return publicity, entries


def objection(publicity, entry, ip="10.0.0.1", **extra):
    fields = {"name": "张三", "contact": "13800000000", "reason": "抄袭他人课件"}
    return domain.file_objection(publicity, entry, ip=ip, **{**fields, **extra})


def test_open_needs_confirmed_list_and_admin(province, campaign, lessons):
    build_list(province, campaign, lessons, confirm=False)
    now = timezone.now()
    args = (campaign, level(campaign, "school"), province.school_a)
    kwargs = {"starts_at": now, "ends_at": now + datetime.timedelta(days=5), "title": "公示"}
    with pytest.raises(ValidationError, match="尚未确认"):
        domain.open_publicity(Actor(province.school_a_admin), *args, **kwargs)
    with pytest.raises(PermissionDenied):
        domain.open_publicity(Actor(province.county_b_admin), *args, **kwargs)


def test_public_page_without_login_lists_recommended(window, client):
    publicity, (a, b, c) = window
    assert publicity.state == PublicityState.OPEN
    listing = client.get(reverse("public:publicity_list"))
    assert listing.status_code == 200
    assert listing.context["open_windows"] == [publicity]
    page = client.get(reverse("public:publicity_detail", args=[publicity.pk]))
    html = page.content.decode()
    assert re.findall(r'data-entry="(\d+)"', html) == [str(a.pk), str(b.pk)]
    assert "乙课" in html and "丙课" not in html and "王老师" in html
    assert "13912345678" not in html
    event = AuditEvent.objects.get(object_type="selection.publicity")
    assert event.after["entries"] == [a.pk, b.pk]


def test_objection_form_without_login(window, client):
    publicity, (a, _b, _c) = window
    url = reverse("public:objection_form", args=[publicity.pk, a.pk])
    page = client.get(url)
    assert "异议受理截止" in page.content.decode()
    evidence = SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url, {"name": "张三", "contact": "13800000000", "reason": "抄袭", "evidence": evidence}
    )
    assert response.status_code == 302
    filed = Objection.objects.get()
    assert (filed.entry, filed.state, filed.evidence_type, filed.ip) == (
        a,
        ObjectionState.OPEN,
        "application/pdf",
        "127.0.0.1",
    )
    assert filed.evidence.name.endswith(".pdf")
    event = AuditEvent.objects.get(object_type="selection.objection")
    assert (event.actor, event.ip, event.after["entry"]) == (None, "127.0.0.1", a.pk)
    # A not-recommended entry cannot be objected to: it is not published.
    _a, _b, c = window[1]
    assert (
        client.get(reverse("public:objection_form", args=[publicity.pk, c.pk])).status_code == 404
    )


def test_objection_csrf_protected(window):
    from django.test import Client

    publicity, (a, _b, _c) = window
    strict = Client(enforce_csrf_checks=True)
    url = reverse("public:objection_form", args=[publicity.pk, a.pk])
    assert strict.post(url, {"name": "x", "contact": "y", "reason": "z"}).status_code == 403


def test_objection_outside_window_refused(window):
    publicity, (a, _b, _c) = window
    later = publicity.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="不在公示期内"):
        objection(publicity, a, now=later)
    earlier = publicity.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="不在公示期内"):
        objection(publicity, a, now=earlier)
    assert Objection.objects.count() == 0


def test_rate_limit_per_ip(window):
    publicity, (a, _b, _c) = window
    for _ in range(5):
        objection(publicity, a)
    with pytest.raises(ValidationError, match="一小时内最多提交 5 条"):
        objection(publicity, a)
    objection(publicity, a, ip="10.0.0.2")
    assert Objection.objects.count() == 6


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("a.pdf", PDF, True),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, True),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, True),
        ("a.docx", _docx(), True),
        ("renamed.pdf", "这是一个文本文件".encode(), False),
        ("a.gif", b"GIF89a" + b"\x00" * 32, False),
    ],
)
def test_evidence_type_by_content(window, name, content, accepted):
    publicity, (a, _b, _c) = window
    upload = SimpleUploadedFile(name, content)
    if accepted:
        assert objection(publicity, a, evidence=upload).evidence
    else:
        with pytest.raises(ValidationError) as exc:
            objection(publicity, a, evidence=upload)
        assert "按文件内容识别" in exc.value.message_dict["evidence"][0]


def test_evidence_size_limit(window):
    publicity, (a, _b, _c) = window
    upload = SimpleUploadedFile("big.pdf", PDF)
    upload.size = domain.EVIDENCE_MAX_BYTES + 1
    with pytest.raises(ValidationError, match="20 MB"):
        objection(publicity, a, evidence=upload)


def test_upheld_withdraws_entry_and_upper_copy(window, province):
    publicity, (a, _b, _c) = window
    filed = objection(publicity, a)
    upper = LevelEntry.objects.get(submission=a.submission, level__key="county")
    assert upper.state == EntryState.PENDING
    domain.resolve_objection(
        Actor(province.school_a_admin), filed, upheld=True, resolution="核实为抄袭"
    )
    a.refresh_from_db()
    upper.refresh_from_db()
    assert (a.state, upper.state) == (EntryState.NOT_RECOMMENDED, EntryState.NOT_RECOMMENDED)
    assert a.reason == "公示异议成立，撤销推荐：核实为抄袭"
    filed.refresh_from_db()
    assert (filed.state, filed.resolved_by) == (ObjectionState.UPHELD, province.school_a_admin)
    events = AuditEvent.objects.filter(object_type="selection.levelentry", reason__contains="核实")
    assert sorted(int(e.object_id) for e in events) == sorted([a.pk, upper.pk])
    resolved = AuditEvent.objects.filter(object_type="selection.objection").latest("id")
    assert (resolved.after["state"], resolved.reason) == ("upheld", "核实为抄袭")
    # The withdrawn entry is no longer published.
    assert list(domain.published_entries(publicity)) == [window[1][1]]
    with pytest.raises(ValidationError, match="已处理"):
        domain.resolve_objection(
            Actor(province.school_a_admin), filed, upheld=False, resolution="x"
        )


def test_rejected_needs_reason_and_outsiders_cannot_resolve(window, province):
    publicity, (a, _b, _c) = window
    filed = objection(publicity, a)
    with pytest.raises(ValidationError) as exc:
        domain.resolve_objection(
            Actor(province.school_a_admin), filed, upheld=False, resolution=" "
        )
    assert exc.value.message_dict == {
        "resolution": ["请填写不成立的理由，提出人会据此了解处理结果。"]
    }
    with pytest.raises(PermissionDenied):
        domain.resolve_objection(
            Actor(province.county_b_admin), filed, upheld=False, resolution="无据"
        )
    domain.resolve_objection(Actor(province.school_a_admin), filed, upheld=False, resolution="无据")
    a.refresh_from_db()
    assert a.state == EntryState.RECOMMENDED
    filed.refresh_from_db()
    assert (filed.state, filed.resolution) == (ObjectionState.REJECTED, "无据")


def test_finalise_only_after_window_without_open_objections(window, province):
    publicity, (a, _b, _c) = window
    filed = objection(publicity, a)
    after = publicity.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="才结束"):
        domain.finalise(publicity, publicity.ends_at - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="还有 1 条异议未处理"):
        domain.finalise(publicity, after)
    domain.resolve_objection(Actor(province.school_a_admin), filed, upheld=False, resolution="无据")
    done = domain.finalise(publicity, after, actor=Actor(province.school_a_admin))
    assert done.state == PublicityState.FINAL
    states = [
        (e.before["state"], e.after["state"])
        for e in AuditEvent.objects.filter(
            object_type="selection.publicity", action="update"
        ).order_by("id")
    ]
    assert states == [("open", "closed"), ("closed", "final")]


@pytest.mark.parametrize(
    ("who", "status"),
    [("school_a_admin", 200), ("county_a_admin", 200), ("county_b_admin", 404)],
)
def test_admin_pages_scope(window, province, client, who, status):
    publicity, (a, _b, _c) = window
    filed = objection(
        publicity, a, evidence=SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf")
    )
    client.force_login(getattr(province, who))
    detail = client.get(reverse("manage_publicity:publicity_detail", args=[publicity.pk]))
    assert detail.status_code == status
    evidence = client.get(reverse("manage_publicity:objection_evidence", args=[filed.pk]))
    assert evidence.status_code == status
    if status == 200:
        assert list(detail.context["objections"]) == [filed]
        assert b"".join(evidence.streaming_content) == PDF


def test_admin_resolve_page(window, province, client):
    publicity, (a, _b, _c) = window
    filed = objection(publicity, a)
    client.force_login(province.school_a_admin)
    url = reverse("manage_publicity:objection_resolve", args=[filed.pk])
    client.post(url, {"decision": "rejected", "resolution": ""})
    filed.refresh_from_db()
    assert filed.state == ObjectionState.OPEN
    client.post(url, {"decision": "upheld", "resolution": "属实"})
    filed.refresh_from_db()
    a.refresh_from_db()
    assert (filed.state, a.state) == (ObjectionState.UPHELD, EntryState.NOT_RECOMMENDED)


def test_admin_opens_window_from_page(province, campaign, lessons, client):
    row, _entries = build_list(province, campaign, lessons)
    client.force_login(province.school_a_admin)
    url = reverse("manage_publicity:publicity_create", args=[row.pk])
    assert client.get(url).status_code == 200
    now = timezone.localtime()
    response = client.post(
        url,
        {
            "title": "推荐结果公示",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    created = domain.publicities_visible_to(province.school_a_admin).get()
    assert response["Location"] == reverse("manage_publicity:publicity_detail", args=[created.pk])
    listing = client.get(reverse("manage_publicity:publicity_list"))
    assert list(listing.context["windows"]) == [created]
    again = client.post(url, {"title": "再发", "starts_at": "2030-01-01T00:00",
                              "ends_at": "2030-01-02T00:00"})  # fmt: skip
    assert "不能重复发布" in again.content.decode()
