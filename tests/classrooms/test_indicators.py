"""三个课堂 indicators per child unit (issue 12 item 11) on a hand-built term: exact figures,
"newly covered" against an earlier term, R16 duty completion, ranking, scope, query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_unit
from youke.classrooms.domain import indicators, timetable
from youke.classrooms.enums import GroupMode
from youke.core.actor import Actor
from youke.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 9, 30, 12))


def test_figures_per_child_exact(province, setup, figures):
    total, rows = indicators.unit_indicators(figures, province.county_a, now=NOW)
    by_name = {r.name: (r.rank, r.values) for r in rows}
    school = {
        "periods_per_week": Decimal("0.7"),  # 3 held ÷ (30 days ÷ 7) weeks ÷ 1 classroom
        "held_rate": Decimal("75.0"),  # 3 of the 4 Mondays due by 30 Sep
        "attendance_rate": Decimal("75.0"),  # 9 of 12
        "new_subjects": 1,  # 音乐 (英语 came in spring)
        "duty_rate": Decimal("100.0"),  # R16: the one master gave a reviewed lesson
        "shared_courses": 1,
    }
    assert by_name["东湖区实验小学"] == (1, school)
    assert by_name["东湖区第二小学"] == (
        None,
        {
            "periods_per_week": None,
            "held_rate": None,
            "attendance_rate": None,
            "new_subjects": 0,
            "duty_rate": None,
            "shared_courses": 0,
        },
    )
    assert total.values == school
    # one level up: the county is the city's child, county B has nothing
    _total, city_rows = indicators.unit_indicators(figures, province.city, now=NOW)
    assert [(r.name, r.rank) for r in city_rows] == [("东湖区", 1), ("西岭县", None)]


def test_ranking_follows_the_sort(province, setup, figures):
    second = make_unit(province.county_a, UnitKind.SCHOOL, "东湖区第三小学")
    actor = Actor(province.county_a_admin)
    group = timetable.register_group(
        actor,
        province.county_a,
        term=figures,
        name="三小组",
        mode=GroupMode.SCHOOL_TO_SCHOOLS,
        host_school=second,
        host_classroom="录播室",
        subjects=["美术"],
    )
    timetable.add_classroom(actor, group, school=setup.other_school, name="四年级", students=30)
    _total, rows = indicators.unit_indicators(
        figures, province.county_a, now=NOW, sort="new_subjects"
    )
    assert [(r.name, r.rank, r.values["new_subjects"]) for r in rows][:3] == [
        ("东湖区实验小学", 1, 1),
        ("东湖区第二小学", 2, 1),
        ("东湖区第三小学", 3, 0),
    ]


def test_fixed_number_of_queries(province, setup, figures):
    def count():
        with CaptureQueriesContext(connection) as queries:
            indicators.unit_indicators(figures, province.county_a, now=NOW)
        return len(queries)

    before = count()
    for i in range(3):
        make_unit(province.county_a, UnitKind.SCHOOL, f"新学校{i}")
    assert len(indicators.unit_indicators(figures, province.county_a, now=NOW)[1]) == 5
    assert count() == before


def test_page_and_api_are_scoped(api_as, province, setup, figures):
    url = reverse("manage_classrooms:indicators")
    client = Client()
    client.force_login(province.county_a_admin)
    page = client.get(url, {"term": figures.pk}).content.decode()
    assert 'data-unit="东湖区实验小学"' in page and 'id="indicator-total"' in page
    other = Client()
    other.force_login(province.county_b_admin)
    assert other.get(url, {"unit": province.county_a.pk}).status_code == 404
    teacher = Client()
    teacher.force_login(province.teacher_a)
    assert teacher.get(url).status_code == 404
    body = api_as(province.city_admin).get(
        "/classrooms/indicators", unit=province.county_a.pk, term=figures.pk
    )
    assert body.status_code == 200
    children = {c["name"]: c for c in body.json()["children"]}
    assert children["东湖区实验小学"]["values"]["new_subjects"] == 1
    assert children["东湖区实验小学"]["values"]["duty_rate"] == 100.0
    assert (
        api_as(province.county_b_admin)
        .get("/classrooms/indicators", unit=province.county_a.pk)
        .status_code
        == 404
    )
    assert (
        api_as(province.city_admin).get("/classrooms/indicators", sort="nonsense").status_code
        == 422
    )
