"""三个课堂 indicators in the monitoring registry (issue 11 item 1, issue 12 item 11): rows
with per-term measures, the seeds' default targets, traffic lights on the classrooms page
from the figures classrooms computes, targets edited on the registry page, scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youke.classrooms.domain import indicators
from youke.core.actor import Actor
from youke.manage.views.monitoring_classrooms import dashboard_context
from youke.monitoring.domain import classroom_source, registry
from youke.monitoring.enums import TERM_MEASURES, Light
from youke.monitoring.models import Indicator, IndicatorTarget
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import AreaType

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 9, 30, 12))


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_registry_rows_and_default_targets():
    registry.ensure_defaults()
    classroom_source.ensure_defaults()
    classroom_source.ensure_defaults()  # idempotent
    rows = Indicator.objects.filter(measure__in=TERM_MEASURES).order_by("order")
    assert [r.key for r in rows] == [
        "cls_periods_per_week",
        "cls_held_rate",
        "cls_attendance_rate",
        "cls_new_subjects",
        "cls_duty_rate",
        "cls_shared_courses",
    ]
    assert Indicator.objects.exclude(measure__in=TERM_MEASURES).count() == len(
        registry.DEFAULT_INDICATORS
    )
    targets = {t.indicator.key: t.by_area for t in classroom_source.term_targets()}
    assert targets["cls_duty_rate"] == {"": Decimal(100)}  # R16
    assert targets["cls_held_rate"] == {"": Decimal(100)}  # 开齐开足
    assert targets["cls_attendance_rate"] == {}  # the seeds give none
    # term targets are neither a template's nor a campaign's
    assert not IndicatorTarget.objects.filter(
        indicator__measure__in=TERM_MEASURES, campaign__isnull=False
    ).exists()
    assert (
        not IndicatorTarget.objects.filter(indicator__measure__in=TERM_MEASURES)
        .exclude(template_key="")
        .exists()
    )


def test_lights_from_the_classroom_figures(province, setup, figures):
    total, rows = indicators.unit_indicators(figures, province.county_a, now=NOW)
    total_cells, row_cells = classroom_source.lit_rows(total, rows, indicators.COLUMNS)
    keys = [key for key, _label in indicators.COLUMNS]
    school = dict(zip(keys, row_cells[0], strict=True))
    assert rows[0].name == "东湖区实验小学"
    assert (school["duty_rate"].value, school["duty_rate"].light) == (Decimal("100.0"), Light.GREEN)
    # 75 % held against 100 %: under 80 % of the target is red
    assert (school["held_rate"].target, school["held_rate"].light) == (Decimal(100), Light.RED)
    assert school["attendance_rate"].light == Light.NONE  # no target
    # an urban target for attendance: the urban school is held to it, an untyped unit not
    province.school_a.area_type = AreaType.URBAN
    province.school_a.save(update_fields=["area_type"])
    classroom_source.set_term_target(
        Actor(province.province_admin),
        Indicator.objects.get(key="cls_attendance_rate"),
        AreaType.URBAN,
        Decimal(70),
    )
    total, rows = indicators.unit_indicators(figures, province.county_a, now=NOW)
    total_cells, row_cells = classroom_source.lit_rows(total, rows, indicators.COLUMNS)
    school = dict(zip(keys, row_cells[0], strict=True))
    assert (school["attendance_rate"].target, school["attendance_rate"].light) == (
        Decimal(70),
        Light.GREEN,  # 75 % ≥ 70 %
    )
    # the untyped county (total row) with only an urban row: the lowest typed target
    assert dict(zip(keys, total_cells, strict=True))["attendance_rate"].target == Decimal(70)


def test_term_targets_written_by_province_admins_only(province):
    indicator = classroom_source.term_indicators()[0]
    with pytest.raises(PermissionDenied):
        classroom_source.set_term_target(Actor(province.county_a_admin), indicator, "", Decimal(3))
    with pytest.raises(ValidationError):
        classroom_source.set_term_target(
            Actor(province.province_admin),
            Indicator.objects.get(key="cls_duty_rate"),
            "",
            Decimal(120),
        )
    registry.ensure_defaults()
    campaign_row = Indicator.objects.get(key="participation")
    with pytest.raises(ValidationError):
        classroom_source.set_term_target(
            Actor(province.province_admin), campaign_row, "", Decimal(50)
        )
    classroom_source.set_term_target(Actor(province.province_admin), indicator, "", Decimal(3))
    classroom_source.set_term_target(Actor(province.province_admin), indicator, "", None)
    assert not IndicatorTarget.objects.filter(indicator=indicator).exists()


def test_pages_lights_targets_and_scope(province, setup, figures):
    page = _client(province.county_a_admin).get(
        reverse("manage_classrooms:indicators"), {"term": figures.pk}
    )
    body = page.content.decode()
    assert 'data-light="green"' in body  # R16 done by the school's one master
    assert "目标 100%" in body
    assert (
        _client(province.county_b_admin)
        .get(reverse("manage_classrooms:indicators"), {"unit": province.county_a.pk})
        .status_code
        == 404
    )
    registry_page = _client(province.province_admin).get(reverse("manage_monitoring:indicators"))
    text = registry_page.content.decode()
    assert 'id="term-target-table"' in text and 'data-indicator="cls_duty_rate"' in text
    assert 'id="term-target-form"' in text
    url = reverse("manage_monitoring:set_term_target")
    saved = _client(province.province_admin).post(
        url, {"indicator": "cls_shared_courses", "area_type": "", "value": "2"}
    )
    assert saved.status_code == 302
    assert IndicatorTarget.objects.get(indicator__key="cls_shared_courses").value == Decimal(2)
    county_page = _client(province.county_a_admin).get(reverse("manage_monitoring:indicators"))
    assert 'id="term-target-form"' not in county_page.content.decode()
    refused = _client(province.county_a_admin).post(
        url, {"indicator": "cls_shared_courses", "area_type": "", "value": "9"}
    )
    assert refused.status_code == 404
    assert IndicatorTarget.objects.get(indicator__key="cls_shared_courses").value == Decimal(2)
    # the dashboard links the county admin to the running term; a teacher gets nothing
    found = dashboard_context(province.county_a_admin, province.county_a)
    assert found["classroom_term"] == figures
    assert dashboard_context(province.teacher_a, province.county_a) == {}


def test_api_lights_and_targets(api_as, province, setup, figures):
    body = api_as(province.county_a_admin).get(
        "/classrooms/indicators", unit=province.county_a.pk, term=figures.pk
    )
    children = {c["name"]: c for c in body.json()["children"]}
    assert children["东湖区实验小学"]["lights"]["duty_rate"] == "green"
    assert children["东湖区实验小学"]["lights"]["attendance_rate"] == "none"
    url = "/api/v1/classrooms/indicator-targets"
    payload = {"indicator": "cls_attendance_rate", "area_type": "", "value": 90}
    put = api_as(province.province_admin).client.put(url, payload, content_type="application/json")
    assert put.status_code == 200 and put.json()["targets"] == {"": 90.0}
    refused = api_as(province.county_a_admin).client.put(
        url, payload, content_type="application/json"
    )
    assert refused.status_code == 404
    wrong = api_as(province.province_admin).client.put(
        url, {**payload, "value": 150}, content_type="application/json"
    )
    assert wrong.status_code == 422
