"""Workload credit on a hand-built term (issue 12 item 10): counts from the records, weights
as data with the deeper unit winning, scoped pages, the appraisal xlsx, the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from youke.classrooms.domain import workload
from youke.classrooms.enums import WorkKind
from youke.classrooms.models import (
    NetworkCourse,
    PlannedLesson,
)
from youke.core.actor import Actor
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role

pytestmark = pytest.mark.django_db


def _by_name(rows):
    return {r.full_name: (r.counts, r.total) for r in rows}


def test_counts_and_default_weights(province, setup, term_work):
    rows = workload.workload_rows(term_work, paths=[province.county_a.path])
    assert _by_name(rows) == {
        "王老师": (
            {WorkKind.HOST_PERIOD: 3, WorkKind.DEMO_LESSON: 1, WorkKind.NETWORK_LESSON: 1},
            Decimal("6"),  # 3×1 + 1×2 + 1×1
        ),
        "孙老师": ({WorkKind.ASSISTED_SESSION: 3, WorkKind.REVIEW: 1}, Decimal("2")),  # 1.5+0.5
    }
    city = _by_name(workload.workload_rows(term_work, paths=[province.city.path]))
    assert city["李老师"] == ({WorkKind.NETWORK_LESSON: 1}, Decimal("1"))
    mine = workload.workload_rows(term_work, person=setup.assistant)
    assert [(r.full_name, r.total) for r in mine] == [("孙老师", Decimal("2"))]


def test_weights_deeper_unit_wins_and_are_checked(province, setup, term_work):
    workload.set_weights(
        Actor(province.city_admin), province.city, {"host_period": "3", "review": "1"}
    )
    workload.set_weights(Actor(province.county_a_admin), province.county_a, {"host_period": "1.5"})
    rows = _by_name(workload.workload_rows(term_work, paths=[province.city.path]))
    assert rows["王老师"][1] == Decimal("7.5")  # county's 1.5 beats the city's 3
    assert rows["孙老师"][1] == Decimal("2.5")  # the city's review weight applies
    with pytest.raises(PermissionDenied):
        workload.set_weights(Actor(province.county_b_admin), province.county_a, {"review": "2"})
    with pytest.raises(PermissionDenied):  # schools do not set weights
        workload.set_weights(Actor(province.school_a_admin), province.school_a, {"review": "2"})
    with pytest.raises(ValidationError) as exc:
        workload.set_weights(Actor(province.county_a_admin), province.county_a, {"review": "-1"})
    assert "0–100" in exc.value.message_dict["review"][0]
    assert workload.weights_for(province.county_a)[WorkKind.REVIEW] == Decimal("1")


def test_fixed_number_of_queries(province, setup, term_work):
    def count():
        with CaptureQueriesContext(connection) as queries:
            workload.workload_rows(term_work, paths=[province.city.path])
        return len(queries)

    before = count()
    for i in range(3):
        teacher = make_person(
            province.school_a, Role.TEACHER, username=f"t{i}", full_name=f"教师{i}"
        )
        PlannedLesson.objects.create(
            course=NetworkCourse.objects.get(),
            order=10 + i,
            title="加课",
            teacher=teacher,
            planned_on=dt.date(2026, 11, 1),
            recording_url="https://rec.example.cn/x",
        )
    assert len(workload.workload_rows(term_work, paths=[province.city.path])) == 6
    assert count() == before == 7


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_manage_page_scope_weights_and_xlsx(province, setup, term_work):
    from openpyxl import load_workbook

    url = reverse("manage_classrooms:workload") + f"?term={term_work.pk}"
    page = _client(province.county_a_admin).get(url).content.decode()
    assert "王老师" in page and "孙老师" in page and "李老师" not in page
    assert 'id="weights"' in page
    other = _client(province.county_b_admin).get(url)
    assert other.status_code == 404  # county A's term is not in county B's list
    assert _client(province.teacher_a).get(url).status_code == 404  # teachers: not staff
    saved = _client(province.county_a_admin).post(
        url, {"unit": province.county_a.pk, **{k: "1" for k in WorkKind.values}, "demo_lesson": "4"}
    )
    assert saved.status_code == 302
    bad = _client(province.county_a_admin).post(
        url, {"unit": province.county_a.pk, **{k: "abc" for k in WorkKind.values}}
    )
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    export = _client(province.county_a_admin).get(
        reverse("manage_classrooms:workload_export") + f"?term={term_work.pk}"
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("教师", "单位", "主讲课时")
    assert rows[1][0] == "王老师" and rows[1][-1] == 8  # 3×1 + 1×4 + 1×1
    assert rows[2][0] == "孙老师" and rows[2][-1] == 4  # 3×1 + 1×1
    assert len(rows) == 3


def test_teacher_sees_own_workload(province, setup, term_work):
    page = _client(province.teacher_a).get(reverse("portal_classrooms:workload"))
    body = page.content.decode()
    assert '<th id="total">6</th>' in body
    assert "孙老师" not in body


def test_workload_api(api_as, province, setup, term_work):
    rows = api_as(province.county_a_admin).get("/classrooms/workload", term=term_work.pk).json()
    assert [(r["full_name"], r["total"]) for r in rows] == [("王老师", 6.0), ("孙老师", 2.0)]
    assert api_as(province.teacher_a).get("/classrooms/workload").status_code == 404
    mine = api_as(setup.assistant).get("/classrooms/workload/mine").json()
    assert mine["counts"] == {"assisted_session": 3, "review": 1} and mine["total"] == 2.0
    put = api_as(province.county_a_admin)
    response = put.client.put(
        "/api/v1/classrooms/workload/weights",
        {"unit": province.county_a.pk, "weights": {"review": 2}},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["weights"]["review"] == 2.0
    refused = api_as(province.county_b_admin).client.put(
        "/api/v1/classrooms/workload/weights",
        {"unit": province.county_a.pk, "weights": {"review": 2}},
        content_type="application/json",
    )
    assert refused.status_code == 404
    wrong = put.client.put(
        "/api/v1/classrooms/workload/weights",
        {"unit": province.county_a.pk, "weights": {"nonsense": 2}},
        content_type="application/json",
    )
    assert wrong.status_code == 422
