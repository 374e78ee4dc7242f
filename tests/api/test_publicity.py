"""Publicity and objections through the API: public reads and filing, admin scope (item 15)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import API, NOT_FOUND, ids
from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level  # noqa: F401  (fixture)
from tests.selection.test_summary_sheet import build_list
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry, Objection, Publicity

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def window_body(campaign, province, **extra):  # noqa: F811
    now = timezone.now()
    return {
        "campaign": campaign.pk,
        "level": level(campaign, "school").pk,
        "unit": province.school_a.pk,
        "title": "东湖区实验小学推荐结果公示",
        "starts_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=5)).isoformat(),
        **extra,
    }


@pytest.fixture
def window(province, campaign, lessons, api_as):  # noqa: F811
    _row, entries = build_list(province, campaign, lessons)
    response = api_as(province.school_a_admin).post("/publicity", window_body(campaign, province))
    assert response.status_code == 201, response.content
    return Publicity.objects.get(pk=response.json()["id"]), entries


def post_form(path, data, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(API + path, data)


def test_open_publicity_scope_and_messages(province, campaign, lessons, api_as):  # noqa: F811
    build_list(province, campaign, lessons, confirm=False)
    body = window_body(campaign, province)
    refused = api_as(province.county_b_admin).post("/publicity", body)
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    unconfirmed = api_as(province.school_a_admin).post("/publicity", body)
    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["detail"]["__all__"] == [
        "本级推荐名单尚未确认，不能公示。请先确认名单后再发布公示。"
    ]


def test_public_reads_without_login(window, anonymous):
    publicity, (a, b, _c) = window
    listing = anonymous.get("/publicity")
    assert listing.status_code == 200
    assert ids(listing) == [publicity.pk]
    detail = anonymous.get(f"/publicity/{publicity.pk}").json()
    assert [e["id"] for e in detail["entries"]] == [a.pk, b.pk]
    assert detail["entries"][1]["teacher_name"] == "王老师"
    assert detail["state_label"] == "公示中"
    assert "13912345678" not in anonymous.get(f"/publicity/{publicity.pk}").content.decode()


def test_scheduled_window_is_not_public(province, campaign, lessons, api_as, anonymous):  # noqa: F811
    build_list(province, campaign, lessons)
    later = timezone.now() + datetime.timedelta(days=1)
    body = window_body(
        campaign,
        province,
        starts_at=later.isoformat(),
        ends_at=(later + datetime.timedelta(days=5)).isoformat(),
    )
    created = api_as(province.school_a_admin).post("/publicity", body)
    assert created.json()["state"] == "scheduled"
    assert ids(anonymous.get("/publicity")) == []
    hidden = anonymous.get(f"/publicity/{created.json()['id']}")
    assert (hidden.status_code, hidden.json()) == (404, NOT_FOUND)


def test_file_objection_without_login(window):
    publicity, (a, _b, c) = window
    path = f"/publicity/{publicity.pk}/objections"
    evidence = SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf")
    filed = post_form(
        path,
        {
            "entry": a.pk,
            "name": "张三",
            "contact": "13800000000",
            "reason": "抄袭",
            "evidence": evidence,
        },
    )
    assert filed.status_code == 201, filed.content
    assert (filed.json()["state"], filed.json()["state_label"]) == ("open", "待处理")
    stored = Objection.objects.get()
    assert (stored.entry_id, stored.evidence_type, stored.ip) == (
        a.pk,
        "application/pdf",
        "10.0.0.1",
    )

    missing = post_form(path, {"entry": a.pk, "name": "", "contact": "", "reason": ""})
    assert missing.status_code == 422
    assert missing.json()["detail"]["name"] == ["请填写姓名，以便核实情况。"]
    # An entry not on the published list (not recommended) cannot be objected to.
    off_list = post_form(path, {"entry": c.pk, "name": "a", "contact": "b", "reason": "c"})
    assert (off_list.status_code, off_list.json()) == (404, NOT_FOUND)
    bad_type = post_form(
        path,
        {
            "entry": a.pk,
            "name": "张三",
            "contact": "1",
            "reason": "x",
            "evidence": SimpleUploadedFile("a.pdf", b"MZ not a pdf"),
        },
    )
    assert bad_type.status_code == 422
    assert "证明材料只接受" in bad_type.json()["detail"]["evidence"][0]


def test_objections_listed_and_resolved_by_admins_only(province, window, api_as):
    publicity, (a, _b, _c) = window
    post_form(
        f"/publicity/{publicity.pk}/objections",
        {"entry": a.pk, "name": "张三", "contact": "13800000000", "reason": "抄袭"},
    )
    objection = Objection.objects.get()
    for outsider in (province.county_b_admin, province.teacher_a):
        client = api_as(outsider)
        listed = client.get(f"/publicity/{publicity.pk}/objections")
        assert (listed.status_code, listed.json()) == (404, NOT_FOUND)
        resolved = client.post(
            f"/publicity/objections/{objection.pk}/resolve", {"upheld": True, "resolution": "x"}
        )
        assert (resolved.status_code, resolved.json()) == (404, NOT_FOUND)
    admin = api_as(province.county_a_admin)
    listed = admin.get(f"/publicity/{publicity.pk}/objections").json()["items"]
    assert [(o["id"], o["contact"], o["title"]) for o in listed] == [
        (objection.pk, "13800000000", a.submission.title)
    ]
    empty = admin.post(
        f"/publicity/objections/{objection.pk}/resolve", {"upheld": False, "resolution": " "}
    )
    assert empty.status_code == 422
    assert empty.json()["detail"]["resolution"] == [
        "请填写不成立的理由，提出人会据此了解处理结果。"
    ]
    upheld = admin.post(
        f"/publicity/objections/{objection.pk}/resolve", {"upheld": True, "resolution": "确有抄袭"}
    )
    assert upheld.status_code == 200
    assert (upheld.json()["state"], upheld.json()["resolution"]) == ("upheld", "确有抄袭")
    a.refresh_from_db()
    assert a.state == EntryState.NOT_RECOMMENDED
    assert not LevelEntry.objects.filter(submission=a.submission, state=EntryState.PENDING).exists()
    twice = admin.post(
        f"/publicity/objections/{objection.pk}/resolve", {"upheld": False, "resolution": "x"}
    )
    assert twice.json()["detail"]["__all__"] == ["该异议已处理，不能重复处理。"]


def test_finalise_after_window(province, window, api_as):
    publicity, _entries = window
    client = api_as(province.school_a_admin)
    early = client.post(f"/publicity/{publicity.pk}/finalise")
    assert early.status_code == 422
    assert "结束后才能确认结果生效" in early.json()["detail"]["__all__"][0]
    now = timezone.now()
    Publicity.objects.filter(pk=publicity.pk).update(
        starts_at=now - datetime.timedelta(days=6), ends_at=now - datetime.timedelta(days=1)
    )
    assert (
        api_as(province.county_b_admin).post(f"/publicity/{publicity.pk}/finalise").status_code
        == 404
    )
    done = client.post(f"/publicity/{publicity.pk}/finalise")
    assert (done.status_code, done.json()["state"]) == (200, "final")
    assert done.json()["finalised_at"] is not None


def test_objection_list_query_count_is_flat(province, window, api_as):
    publicity, (a, b, _c) = window
    client = api_as(province.school_a_admin)
    path = f"/publicity/{publicity.pk}/objections"
    counts = []
    for entries, ip in (([a], "10.0.0.2"), ([a, b], "10.0.0.3")):
        for entry in entries:
            post_form(path, {"entry": entry.pk, "name": "甲", "contact": "1", "reason": "x"}, ip=ip)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(path).json()
        counts.append((len(queries), body["count"]))
    assert [c for _n, c in counts] == [1, 3]
    assert counts[0][0] == counts[1][0]
