"""Collections through /api/v1: every page action, scoped (another county's ids are 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import NOT_FOUND
from tests.collections.conftest import PDF, PNG, make_task, return_of, sheet
from youke.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_create_open_get_close(api_as, province):
    city = api_as(province.city_admin)
    made = city.post(
        "/collections",
        {
            "issuing_unit": province.city.pk,
            "title": "关于报送联系表的通知",
            "kind": "contact_sheet",
            "deadline": "2099-01-01",
        },
    )
    assert made.status_code == 201
    task = made.json()
    assert (task["state"], task["kind"], task["issuing_unit"]["name"]) == (
        "draft",
        "contact_sheet",
        "青山市",
    )
    opened = city.post(f"/collections/{task['id']}/open").json()
    assert opened["state"] == "open"
    assert [(r["unit"]["name"], r["status"]) for r in opened["returns"]] == [
        ("东湖区", "pending"),
        ("西岭县", "pending"),
    ]
    assert opened["counts"]["pending"] == 2
    again = city.post(f"/collections/{task['id']}/open")
    assert again.status_code == 422 and "不能改为" in again.json()["detail"]["__all__"][0]
    assert city.post(f"/collections/{task['id']}/close").json()["state"] == "closed"


def test_create_refuses_past_deadline_and_foreign_unit(api_as, province):
    county = api_as(province.county_a_admin)
    body = {
        "issuing_unit": province.county_a.pk,
        "title": "x",
        "kind": "plan",
        "deadline": "2001-01-01",
    }
    response = county.post("/collections", body)
    assert response.status_code == 422 and "deadline" in response.json()["detail"]
    response = county.post(
        "/collections", {**body, "issuing_unit": province.county_b.pk, "deadline": "2099-01-01"}
    )
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_list_sides(api_as, province, contact_task):
    mine = make_task(province.county_a, province.county_a_admin, open_it=False, title="学校联系表")
    county = api_as(province.county_a_admin)
    assert [t["id"] for t in county.get("/collections", side="issued").json()["items"]] == [mine.pk]
    assert [t["id"] for t in county.get("/collections", side="received").json()["items"]] == [
        contact_task.pk
    ]
    assert {t["id"] for t in county.get("/collections").json()["items"]} == {
        mine.pk,
        contact_task.pk,
    }
    other = api_as(province.county_b_admin).get("/collections").json()
    assert [t["id"] for t in other["items"]] == [contact_task.pk]


def test_contact_return_scan_confirm_export_and_remind(api_as, province, contact_task):
    county = api_as(province.county_a_admin)
    row = return_of(contact_task, province.county_a)
    body = {**sheet(mobile="12"), "confirm": False}
    draft = county.post(f"/collection-returns/{row.pk}/contacts", body).json()
    assert draft["problems"]["leader-mobile"] and draft["state"] == "pending"
    assert draft["contacts"][0]["mobile"] == "12"
    refused = county.post(f"/collection-returns/{row.pk}/contacts", {**body, "confirm": True})
    assert refused.status_code == 422 and set(refused.json()["detail"]) >= {"scan", "leader-mobile"}
    kept = county.get(f"/collection-returns/{row.pk}").json()
    assert [c["mobile"] for c in kept["contacts"]] == ["12", "12", "12"]  # the draft survived
    scan = county.client.post(
        f"/api/v1/collection-returns/{row.pk}/scan", {"file": SimpleUploadedFile("s.png", PNG)}
    )
    assert scan.status_code == 200 and scan.json()["scan_type"] == "image/png"
    done = county.post(f"/collection-returns/{row.pk}/contacts", {**sheet(), "confirm": True})
    assert done.json()["state"] == "submitted"
    city = api_as(province.city_admin)
    export = city.get(f"/collections/{contact_task.pk}/contacts").json()
    assert export["rows"][0] == [
        "东湖区",
        "负责人",
        "leader姓名",
        "女",
        "科长",
        "电教馆",
        "0379-63210000",
        "13912345678",
        "a@edu.example.cn",
    ]
    assert len(export["rows"]) == 3
    Notification.objects.all().delete()
    assert city.post(f"/collections/{contact_task.pk}/remind").json() == {"units": 1, "people": 1}
    assert list(Notification.objects.values_list("person__username", flat=True)) == ["countyb"]


def test_document_versions_approve_and_return(api_as, province, plan_task):
    county = api_as(province.county_a_admin)
    row = return_of(plan_task, province.county_a)
    url = f"/api/v1/collection-returns/{row.pk}/versions"
    first = county.client.post(url, {"file": SimpleUploadedFile("方案.pdf", PDF), "note": "初稿"})
    assert first.status_code == 201 and first.json()["state"] == "submitted"
    bad = county.client.post(url, {"file": SimpleUploadedFile("x.pdf", b"hello")})
    assert bad.status_code == 422
    city = api_as(province.city_admin)
    empty = city.post(f"/collection-returns/{row.pk}/return", {"comment": ""})
    assert empty.status_code == 422 and "comment" in empty.json()["detail"]
    back = city.post(f"/collection-returns/{row.pk}/return", {"comment": "请补充"}).json()
    assert (back["state"], back["comment"]) == ("returned", "请补充")
    county.client.post(url, {"file": SimpleUploadedFile("方案2.pdf", PDF)})
    approved = city.post(f"/collection-returns/{row.pk}/approve", {"comment": "同意"}).json()
    assert approved["state"] == "approved"
    assert [(v["number"], v["decision"], v["original_name"]) for v in approved["versions"]] == [
        (2, "approved", "方案2.pdf"),
        (1, "returned", "方案.pdf"),
    ]
    # the unit cannot review its own return
    assert county.post(f"/collection-returns/{row.pk}/approve", {}).status_code == 404


def test_another_county_is_404(api_as, province, contact_task):
    other = return_of(contact_task, province.county_b)
    county = api_as(province.county_a_admin)
    assert county.get(f"/collection-returns/{other.pk}").json() == NOT_FOUND
    assert (
        county.post(
            f"/collection-returns/{other.pk}/contacts", sheet() | {"confirm": False}
        ).status_code
        == 404
    )
    assert county.post(f"/collections/{contact_task.pk}/remind").status_code == 404
    assert county.get(f"/collections/{contact_task.pk}/contacts").status_code == 404
    seen = county.get(f"/collections/{contact_task.pk}").json()
    assert seen["manages"] is False and [r["unit"]["name"] for r in seen["returns"]] == ["东湖区"]
    assert api_as(province.school_a_admin).get(f"/collections/{contact_task.pk}").status_code == 404


def test_status_and_list_query_counts_are_fixed(api_as, province):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.collections.test_pages import _city_with

    detail, listing = [], []
    for n in (1, 3):
        admin, task = _city_with(province, n)
        for _ in range(n - 1):
            make_task(task.issuing_unit, admin)
        client = api_as(admin)
        client.get(f"/collections/{task.pk}")
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/collections/{task.pk}").json()
        assert len(body["returns"]) == n
        detail.append(len(captured))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/collections").json()["count"] == n
        listing.append(len(captured))
    assert detail[0] == detail[1] and listing[0] == listing[1]
