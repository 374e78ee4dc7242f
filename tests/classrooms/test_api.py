"""The 专递课堂 operations: scoped like the pages, clashes and bad counts answer 422."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.conftest import NOT_FOUND
from tests.classrooms.conftest import add_period
from tests.factories import make_person
from youke.classrooms.domain import sessions
from youke.classrooms.models import ClassSession
from youke.orgs.enums import Role

pytestmark = pytest.mark.django_db


def test_timetable_through_the_api(api_as, province, setup):
    api = api_as(province.county_a_admin)
    body = {
        "subject": "音乐",
        "host_teacher": province.teacher_a.pk,
        "weekday": 4,
        "starts_at": "10:00",
        "ends_at": "10:40",
    }
    response = api.post(f"/classrooms/groups/{setup.group.pk}/periods", body)
    assert response.status_code == 201, response.json()
    assert response.json()["rrule"] == "FREQ=WEEKLY"
    other = make_person(province.school_a, Role.TEACHER, username="teacherc", full_name="周老师")
    clash = api.post(
        f"/classrooms/groups/{setup.group.pk}/periods",
        {**body, "subject": "英语", "host_teacher": other.pk},
    )
    assert clash.status_code == 422
    assert "本组已有音乐课（周五 10:00–10:40" in clash.json()["detail"]["starts_at"][0]
    group = api.get(f"/classrooms/groups/{setup.group.pk}").json()
    assert [c["school_name"] for c in group["classrooms"]] == ["东湖区实验小学柳村教学点"]
    assert api_as(province.county_b_admin).get(f"/classrooms/groups/{setup.group.pk}").json() == (
        NOT_FOUND
    )
    registry = api.get("/classrooms/registry", unit=province.county_a.pk, term=setup.term.pk)
    assert {r["school_name"]: r["covered"] for r in registry.json()}[
        "东湖区实验小学柳村教学点"
    ] == [
        "英语",
        "音乐",
    ]


def test_sessions_and_attendance_through_the_api(api_as, province, setup):
    add_period(province, setup.group)
    sessions.generate_sessions([setup.group], now=timezone.make_aware(dt.datetime(2026, 8, 1)))
    session = ClassSession.objects.order_by("starts_at").first()
    listed = api_as(setup.assistant).get("/classrooms/sessions", group=setup.group.pk).json()
    assert listed["count"] == 20
    assert listed["items"][0]["subject"] == "英语"
    assert api_as(province.teacher_b).get("/classrooms/sessions").json()["count"] == 0
    url = f"/classrooms/sessions/{session.pk}/attendance/{setup.classroom.pk}"
    bad = api_as(setup.assistant).client.put(
        "/api/v1" + url, {"expected": 5, "present": 6}, content_type="application/json"
    )
    assert bad.status_code == 422
    good = api_as(setup.assistant).client.put(
        "/api/v1" + url, {"expected": 12, "present": 12}, content_type="application/json"
    )
    assert good.json()["present"] == 12
    cancel = api_as(province.teacher_a).post(
        f"/classrooms/sessions/{session.pk + 1}/cancel", {"reason": "停电"}
    )
    assert cancel.json()["status"] == "cancelled"
    assert (
        api_as(setup.assistant).post(f"/classrooms/sessions/{session.pk}/start").status_code == 404
    )
