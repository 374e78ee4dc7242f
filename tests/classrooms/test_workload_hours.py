"""三个课堂 workload → training hours (issue 12 item 10, R12): rules as data with the county
overriding the city, credited once per teacher × term × kind after the term ends, re-runs
booking nothing, a changed figure reversed and booked again, totals kept, scoped pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youke.classrooms.enums import WorkKind
from youke.classrooms.models import ClassSession
from youke.core.actor import Actor
from youke.orgs.domain.units import PermissionDenied
from youke.training.domain import ledger, workload_rules
from youke.training.enums import CreditKind
from youke.training.models import TrainingCredit, UnitYearTotal

pytestmark = pytest.mark.django_db

AFTER = timezone.make_aware(dt.datetime(2027, 2, 1, 3))  # the term ended on 22 January


@pytest.fixture
def hour_rules(province):
    # The city: 2 h per host period, 1 h per review; the county: 1 h per host period, ≤ 2.
    workload_rules.set_rules(
        Actor(province.city_admin),
        province.city,
        {WorkKind.HOST_PERIOD: ("2", ""), WorkKind.REVIEW: ("1", "")},
    )
    workload_rules.set_rules(
        Actor(province.county_a_admin), province.county_a, {WorkKind.HOST_PERIOD: ("1", "2")}
    )


def _standing(term):
    return {
        (c.teacher.full_name, c.work_kind): (c.hours, c.source)
        for c in TrainingCredit.objects.filter(
            term=term, kind=CreditKind.RULE, is_reversed=False
        ).select_related("teacher")
    }


def _totals_match_ledger():
    booked = {
        (t.unit_id, t.year): (t.hours, t.lines) for t in UnitYearTotal.objects.filter(lines__gt=0)
    }
    ledger_rows = {}
    for credit in TrainingCredit.objects.all():
        hours, lines = ledger_rows.get((credit.unit_id, credit.year), (Decimal(0), 0))
        ledger_rows[(credit.unit_id, credit.year)] = (hours + credit.hours, lines + 1)
    assert booked == ledger_rows


def test_county_overrides_city_and_cap(province, setup, hour_rules):
    county = workload_rules.rules_for(province.point_a)
    assert county[WorkKind.HOST_PERIOD].hours == Decimal("1")
    assert county[WorkKind.HOST_PERIOD].cap == Decimal("2")
    assert county[WorkKind.REVIEW].hours == Decimal("1")  # the city's rule reaches down
    assert WorkKind.DEMO_LESSON not in county  # nobody set it: no hours
    other = workload_rules.rules_for(province.county_b)
    assert (
        other[WorkKind.HOST_PERIOD].hours == Decimal("2")
        and other[WorkKind.HOST_PERIOD].cap is None
    )


def test_credit_once_exact_hours_and_rerun(province, setup, term_work, hour_rules):
    actor = Actor(province.county_a_admin)
    done = ledger.credit_workload_term(actor, term_work, now=AFTER)
    assert (done.credited, done.recounted, done.reversed) == (2, 0, 0)
    assert _standing(term_work) == {
        ("王老师", WorkKind.HOST_PERIOD): (
            Decimal("2.0"),  # 3 periods × 1 h, capped at 2 by the county
            "三个课堂工作量 2026年秋季学期 主讲课时 3 项（每项 1.0 学时），本学期上限 2.0 学时",
        ),
        ("孙老师", WorkKind.REVIEW): (
            Decimal("1.0"),
            "三个课堂工作量 2026年秋季学期 评课 1 项（每项 1.0 学时）",
        ),
    }
    credit = TrainingCredit.objects.get(teacher=province.teacher_a, term=term_work)
    assert credit.year == 2026 and credit.unit_id == province.teacher_a.unit_id
    again = ledger.credit_workload_term(actor, term_work, now=AFTER)
    assert (again.credited, again.recounted, again.unchanged) == (0, 0, 2)
    assert TrainingCredit.objects.count() == 2
    assert ledger.workload_summary(term_work) == {"hours": Decimal("3.0"), "teachers": 2}
    _totals_match_ledger()


def test_recount_reverses_and_books_the_new_figure(province, setup, term_work, hour_rules):
    actor = Actor(province.county_a_admin)
    ledger.credit_workload_term(actor, term_work, now=AFTER)
    # The county lifts its cap and the city drops the review rule: 3 h for 王老师, none for 孙老师.
    workload_rules.set_rules(actor, province.county_a, {WorkKind.HOST_PERIOD: ("1", "")})
    workload_rules.set_rules(Actor(province.city_admin), province.city, {WorkKind.REVIEW: ("", "")})
    done = ledger.credit_workload_term(Actor.system(), term_work, now=AFTER)
    assert (done.credited, done.recounted, done.reversed) == (0, 1, 1)
    assert _standing(term_work) == {
        ("王老师", WorkKind.HOST_PERIOD): (
            Decimal("3.0"),
            "三个课堂工作量 2026年秋季学期 主讲课时 3 项（每项 1.0 学时）",
        )
    }
    lines = list(
        TrainingCredit.objects.filter(teacher=province.teacher_a)
        .order_by("pk")
        .values_list("kind", "hours")
    )
    assert lines == [
        (CreditKind.RULE, Decimal("2.0")),
        (CreditKind.REVERSAL, Decimal("-2.0")),
        (CreditKind.RULE, Decimal("3.0")),
    ]
    sums = TrainingCredit.objects.aggregate(total=Sum("hours"))["total"]
    assert sums == Decimal("3.0")
    # A session found cancelled after all: one period fewer, counted again on the next run.
    held = ClassSession.objects.filter(ended_at__isnull=False).order_by("starts_at").first()
    held.cancelled_at = AFTER
    held.save(update_fields=["cancelled_at"])
    ledger.credit_workload_term(Actor.system(), term_work, now=AFTER)
    assert _standing(term_work)[("王老师", WorkKind.HOST_PERIOD)][0] == Decimal("2.0")
    assert TrainingCredit.objects.filter(teacher=province.teacher_a).count() == 5
    _totals_match_ledger()


def test_refused_before_the_end_and_outside_the_region(province, setup, term_work, hour_rules):
    running = timezone.make_aware(dt.datetime(2026, 12, 1, 9))
    with pytest.raises(ValidationError) as exc:
        ledger.credit_workload_term(Actor(province.county_a_admin), term_work, now=running)
    assert "学期结束后" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):
        ledger.credit_workload_term(Actor(province.county_b_admin), term_work, now=AFTER)
    with pytest.raises(PermissionDenied):  # a school admin does not count a county's term
        ledger.credit_workload_term(Actor(province.school_a_admin), term_work, now=AFTER)
    assert not TrainingCredit.objects.exists()


def test_rules_checked_before_saving(province, hour_rules):
    with pytest.raises(ValidationError) as exc:
        workload_rules.set_rules(
            Actor(province.county_a_admin),
            province.county_a,
            {WorkKind.REVIEW: ("0.55", ""), WorkKind.DEMO_LESSON: ("", "4")},
        )
    errors = exc.value.message_dict
    assert "最多一位小数" in errors["review_hours"][0]
    assert "每学期上限" in errors["demo_lesson_hours"][0]
    with pytest.raises(PermissionDenied):
        workload_rules.set_rules(
            Actor(province.county_b_admin), province.county_a, {WorkKind.REVIEW: ("1", "")}
        )
    assert workload_rules.rules_for(province.county_a)[WorkKind.REVIEW].hours == Decimal("1")


def test_daily_job_credits_recently_ended_terms(province, setup, term_work, hour_rules):
    assert ledger.credit_ended_terms(Actor.system(), now=AFTER) == 2
    assert ledger.credit_ended_terms(Actor.system(), now=AFTER) == 0
    later = AFTER + dt.timedelta(days=ledger.RECOUNT_DAYS + 10)
    workload_rules.set_rules(
        Actor(province.county_a_admin), province.county_a, {WorkKind.HOST_PERIOD: ("1", "")}
    )
    assert ledger.credit_ended_terms(Actor.system(), now=later) == 0  # out of the window


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_pages_rules_credit_scope_and_my_hours(province, setup, term_work, hour_rules):
    url = reverse("manage_classrooms:workload_hours")
    admin = _client(province.county_a_admin)
    page = admin.get(url).content.decode()
    assert 'id="hour-rules"' in page and f'data-term="{term_work.pk}"' in page
    assert "学期结束后可计入" in page  # the term is still running
    saved = admin.post(
        url, {"unit": province.county_a.pk, "review_hours": "0.5", "host_period_hours": "1"}
    )
    assert saved.status_code == 302
    assert workload_rules.rules_for(province.county_a)[WorkKind.REVIEW].hours == Decimal("0.5")
    assert workload_rules.rules_for(province.county_a)[WorkKind.HOST_PERIOD].cap is None
    bad = admin.post(url, {"unit": province.county_a.pk, "review_hours": "abc"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    assert workload_rules.rules_for(province.county_a)[WorkKind.REVIEW].hours == Decimal("0.5")
    # another county's admin: neither the county's rules nor its term
    other = _client(province.county_b_admin)
    assert other.post(url, {"unit": province.county_a.pk, "review_hours": "3"}).status_code == 404
    assert other.get(url + f"?unit={province.county_a.pk}").status_code == 404
    credit_url = reverse("manage_classrooms:workload_credit_term", args=[term_work.pk])
    assert other.post(credit_url).status_code == 404
    assert _client(province.teacher_a).get(url).status_code == 404
    refused = admin.post(credit_url, follow=True).content.decode()
    assert "学期结束后才能把工作量计入学时" in refused
    assert not TrainingCredit.objects.exists()
    type(term_work).objects.filter(pk=term_work.pk).update(
        ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    done = admin.post(credit_url, follow=True).content.decode()
    assert "新记 1 条" in done  # 3 periods × 1 h (the review fell after the shortened term)
    assert admin.post(credit_url, follow=True).content.decode().count("未变 1 条") == 1
    mine = _client(province.teacher_a).get(reverse("portal:my_hours")).content.decode()
    assert "三个课堂工作量 2026年秋季学期 主讲课时 3 项（每项 1.0 学时）" in mine


def test_api_rules_and_credit(api_as, province, setup, term_work, hour_rules):
    admin = api_as(province.county_a_admin).client
    put = admin.put(
        "/api/v1/classrooms/workload/hour-rules",
        {"unit": province.county_a.pk, "rules": {"review": {"hours": 2}, "host_period": {}}},
        content_type="application/json",
    )
    assert put.status_code == 200
    rules = put.json()["rules"]
    assert (
        rules["review"]["hours"] == 2.0 and rules["review"]["unit_path"] == province.county_a.path
    )
    assert rules["host_period"]["hours"] == 2.0  # the county's rule removed: the city's applies
    assert (
        api_as(province.county_b_admin)
        .client.put(
            "/api/v1/classrooms/workload/hour-rules",
            {"unit": province.county_a.pk, "rules": {"review": {"hours": 3}}},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    bad = admin.put(
        "/api/v1/classrooms/workload/hour-rules",
        {"unit": province.county_a.pk, "rules": {"review": {"hours": 0.25}}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    url = f"/api/v1/classrooms/terms/{term_work.pk}/workload-hours"
    assert admin.post(url).status_code == 422  # the term has not ended
    assert api_as(province.county_b_admin).client.post(url).status_code == 404
    type(term_work).objects.filter(pk=term_work.pk).update(
        ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    body = admin.post(url).json()
    assert (body["credited"], body["teachers"], body["hours"]) == (1, 1, 6.0)  # 3 × 2 h
    again = admin.post(url).json()
    assert (again["credited"], again["unchanged"], again["hours"]) == (0, 1, 6.0)
