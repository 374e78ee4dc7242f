"""The ledger through the API: every page action, scoped (404 outside), exact answers."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.conftest import API, NOT_FOUND, ids
from tests.factories import make_admin, make_unit
from tests.programmes.conftest import TODAY, make_task
from youke.core.actor import Actor
from youke.orgs.enums import UnitKind
from youke.programmes.domain import programmes
from youke.programmes.models import Programme


def _day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def test_create_programme_roster_area_task_and_report(province, api_as, today):
    city = api_as(province.city_admin)
    response = city.post(
        "/programmes",
        {
            "owner_unit": province.city.pk,
            "name": "深化行动",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "stages": [
                {"name": "动员部署阶段", "start_date": "2026-01-01", "end_date": "2026-06-30"},
                {"name": "实施推进阶段", "start_date": "2026-07-01", "end_date": "2027-12-31"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pid = body["id"]
    assert [s["name"] for s in body["stages"]] == ["动员部署阶段", "实施推进阶段"]
    assert body["can_manage"] is True
    member = city.post(
        f"/programmes/{pid}/roster",
        {
            "role": "leader",
            "person": province.city_admin.pk,
            "department": "市教育局",
            "position": "局长",
        },
    )
    assert member.status_code == 201
    assert (member.json()["name"], member.json()["role"]) == ("市管理员", "leader")
    area = city.post(f"/programmes/{pid}/areas", {"name": "转变教育理念"}).json()
    assert (area["number"], area["name"]) == (1, "转变教育理念")
    created = city.post(
        f"/programmes/{pid}/tasks",
        {
            "area": area["id"],
            "title": "树立科学的教育质量观",
            "lead_department": "教育科",
            "units": [province.county_a.pk],
            "deadline": _day(-1),
        },
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert (task["status"], task["overdue"], [u["code"] for u in task["units"]]) == (
        "not_started",
        True,
        ["990101"],
    )
    county = api_as(province.county_a_admin)
    note = county.post(f"/programmes/tasks/{task['id']}/notes", {"text": "已部署", "percent": 30})
    assert note.status_code == 201
    assert (note.json()["unit"]["code"], note.json()["percent"], note.json()["date"]) == (
        "990101",
        30,
        TODAY.isoformat(),
    )
    moved = county.post(f"/programmes/tasks/{task['id']}/status", {"status": "in_progress"})
    assert (moved.status_code, moved.json()["status"], moved.json()["overdue"]) == (
        200,
        "in_progress",
        True,
    )
    refused = county.post(f"/programmes/tasks/{task['id']}/status", {"status": "paused"})
    assert refused.status_code == 422
    assert "牵头单位" in refused.json()["detail"]["status"][0]
    uploaded = county.client.post(
        f"{API}/programmes/tasks/{task['id']}/evidence",
        {"file": SimpleUploadedFile("总结.docx", b"PK\x03\x04docx")},
    )
    assert uploaded.status_code == 201, uploaded.content
    assert (uploaded.json()["name"], uploaded.json()["size"]) == ("总结.docx", 8)
    detail = county.get(f"/programmes/tasks/{task['id']}").json()
    assert (len(detail["notes"]), len(detail["evidence"]), detail["latest_note"]) == (
        1,
        1,
        "已部署",
    )
    got = city.get(f"/programmes/{pid}").json()
    assert (got["counts"]["total"], got["counts"]["overdue"]) == (1, 1)
    assert got["counts"]["by_status"]["in_progress"] == 1
    export = city.get(f"/programmes/{pid}/ledger.xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    removed = city.delete(f"/programmes/{pid}/roster/{member.json()['id']}")
    assert removed.status_code == 204


@pytest.fixture
def outsider(province):
    city = make_unit(province.province, UnitKind.CITY, "云水市", code="990200")
    return make_admin(city, username="othercity", full_name="云水市管理员")


def test_scoping(province, programme, area, api_as, outsider, today):
    mine = make_task(province, programme, area, units=[province.county_a], deadline=TODAY)
    theirs = make_task(province, programme, area, units=[province.county_b], deadline=TODAY)
    out = api_as(outsider)
    assert out.get(f"/programmes/{programme.pk}").json() == NOT_FOUND
    assert out.get(f"/programmes/tasks/{mine.pk}").status_code == 404
    assert out.post(f"/programmes/tasks/{mine.pk}/notes", {"text": "x"}).status_code == 404
    assert out.post(f"/programmes/{programme.pk}/areas", {"name": "x"}).status_code == 404
    assert out.get("/programmes").json()["count"] == 0
    assert ids(out.get("/programmes/tasks")) == []
    county = api_as(province.county_a_admin)
    # The county sees the programme (owner above it) and only its own task.
    assert ids(county.get("/programmes")) == [programme.pk]
    assert ids(county.get("/programmes/tasks")) == [mine.pk]
    assert county.get(f"/programmes/tasks/{theirs.pk}").status_code == 404
    assert county.get(f"/programmes/{programme.pk}").json()["counts"]["total"] == 1
    # It cannot write the plan.
    assert county.post(f"/programmes/{programme.pk}/areas", {"name": "x"}).status_code == 404
    city = api_as(province.city_admin)
    assert ids(city.get("/programmes/tasks")) == [mine.pk, theirs.pk]
    # 我的任务 covers the admin's subtree: the city's counties' tasks are the city's too.
    assert ids(city.get("/programmes/tasks", mine="true")) == [mine.pk, theirs.pk]
    assert ids(county.get("/programmes/tasks", mine="true")) == [mine.pk]
    assert ids(city.get("/programmes/tasks", unit=province.county_b.pk)) == [theirs.pk]
    # A unit outside the caller's scope filters to nothing.
    assert ids(county.get("/programmes/tasks", unit=province.county_b.pk)) == []
    created = city.post(
        f"/programmes/{programme.pk}/tasks",
        {"area": area.pk, "title": "x", "units": [province.county_a.pk], "deadline": "2030-01-01"},
    )
    assert created.status_code == 422
    assert "完成时限须在行动计划的起止日期" in created.json()["detail"]["deadline"][0]
    assert Programme.objects.count() == 1


def test_task_list_query_count_is_fixed(province, programme, area, api_as, today):
    city = api_as(province.city_admin)
    make_task(province, programme, area, units=[province.county_a], deadline=TODAY)
    city.get("/programmes/tasks")
    with CaptureQueriesContext(connection) as one:
        assert city.get("/programmes/tasks").json()["count"] == 1
    make_task(
        province, programme, area, units=[province.county_a, province.county_b], deadline=TODAY
    )
    make_task(province, programme, area, units=[province.school_a], deadline=TODAY)
    with CaptureQueriesContext(connection) as three:
        assert city.get("/programmes/tasks").json()["count"] == 3
    assert len(one) == len(three)


def test_programme_list_query_count_is_fixed(province, api_as, today):
    """1 programme or 3: the same number of queries, API and page alike."""

    def add_one(n):
        programmes.create_programme(
            Actor(province.city_admin),
            owner_unit=province.city,
            name=f"行动{n}",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )

    city = api_as(province.city_admin)
    page = Client()
    page.force_login(province.city_admin)
    url = reverse("manage_programmes:programme_list")
    add_one(1)
    city.get("/programmes")
    page.get(url)
    with CaptureQueriesContext(connection) as api_one:
        assert city.get("/programmes").json()["count"] == 1
    with CaptureQueriesContext(connection) as page_one:
        assert len(page.get(url).context["page"].object_list) == 1
    add_one(2)
    add_one(3)
    with CaptureQueriesContext(connection) as api_three:
        assert city.get("/programmes").json()["count"] == 3
    with CaptureQueriesContext(connection) as page_three:
        assert len(page.get(url).context["page"].object_list) == 3
    assert (len(api_one), len(page_one)) == (len(api_three), len(page_three))
