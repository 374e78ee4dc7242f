"""RRULE expansion across holidays and make-up days; clashes refused with the clash named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.classrooms.conftest import TERM_END, TERM_START, add_period
from youke.classrooms.domain import timetable
from youke.classrooms.domain.calendar import TermCalendar, clean_rule, meeting_dates
from youke.classrooms.enums import GroupMode
from youke.classrooms.models import LocalPeriod, Period
from youke.core.actor import Actor

pytestmark = pytest.mark.django_db


def test_weekly_monday_skips_national_day_and_adds_the_saturday_makeup(setup):
    dates = meeting_dates("FREQ=WEEKLY", 0, TermCalendar.of(setup.term))
    assert dates[0] == dt.date(2026, 9, 7)  # first Monday on or after Tue 1 Sep
    assert dt.date(2026, 10, 5) not in dates  # National Day week
    assert dt.date(2026, 10, 10) in dates  # Saturday follows Monday's timetable
    assert dates[-1] == dt.date(2027, 1, 18)
    mondays = [d for d in dates if d.weekday() == 0]
    assert len(mondays) == 20 - 1  # 20 Mondays in the term, one in the holiday
    assert len(dates) == 20


def test_makeup_day_follows_only_its_weekday_and_biweekly_rules(setup):
    calendar = TermCalendar.of(setup.term)
    wednesdays = meeting_dates("FREQ=WEEKLY", 2, calendar)
    assert dt.date(2026, 9, 27) in wednesdays
    assert dt.date(2026, 9, 27) not in meeting_dates("FREQ=WEEKLY", 6, calendar)
    # Every other Wednesday starting 2 Sep: 2, 16, 30 Sep … the week of 23 Sep is off,
    # so the Sunday 27 Sep make-up (week of 21 Sep) does not carry this period.
    biweekly = meeting_dates("FREQ=WEEKLY;INTERVAL=2", 2, calendar)
    assert biweekly[:3] == [dt.date(2026, 9, 2), dt.date(2026, 9, 16), dt.date(2026, 9, 30)]
    assert dt.date(2026, 9, 27) not in biweekly


def test_rule_must_be_weekly_without_dates():
    assert clean_rule("", 0) == "FREQ=WEEKLY"
    assert clean_rule("rrule:freq=weekly;interval=2", 0) == "FREQ=WEEKLY;INTERVAL=2"
    for bad in ("FREQ=DAILY", "FREQ=WEEKLY;UNTIL=20270101", "FREQ=WEEKLY;BYDAY=TU", "nonsense"):
        with pytest.raises(ValidationError):
            clean_rule(bad, 0)


def test_host_teacher_clash_in_another_group_is_named(province, setup):
    add_period(province, setup.group)
    second = timetable.register_group(
        Actor(province.county_a_admin),
        province.county_a,
        term=setup.term,
        name="实验小学—第二小学",
        mode=GroupMode.SCHOOL_TO_SCHOOLS,
        host_school=province.school_a,
        host_classroom="录播教室二",
        subjects=["英语"],
    )
    with pytest.raises(ValidationError) as refused:
        add_period(province, second, starts_at=dt.time(8, 20), ends_at=dt.time(9, 0))
    (message,) = refused.value.message_dict["starts_at"]
    assert "王老师" in message and "实验小学—柳村教学点" in message and "2026-09-07" in message
    assert Period.objects.filter(group=second).count() == 0
    # Back to back is fine; every other week on another weekday is fine.
    add_period(province, second, starts_at=dt.time(8, 40), ends_at=dt.time(9, 20))


def test_biweekly_periods_on_alternate_weeks_do_not_clash(province, setup):
    add_period(province, setup.group, weekday=2, rrule="FREQ=WEEKLY;INTERVAL=2")
    calendar = TermCalendar.of(setup.term)
    assert dt.date(2026, 9, 9) not in meeting_dates("FREQ=WEEKLY;INTERVAL=2", 2, calendar)
    # A weekly Wednesday period at the same time meets on 2 Sep too: refused.
    with pytest.raises(ValidationError):
        add_period(province, setup.group, weekday=2, subject="音乐")


def test_receiving_classroom_local_period_clash_is_named(province, setup):
    LocalPeriod.objects.create(
        classroom=setup.classroom,
        weekday=3,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(9, 40),
        subject="语文",
    )
    with pytest.raises(ValidationError) as refused:
        add_period(
            province, setup.group, weekday=3, starts_at=dt.time(9, 30), ends_at=dt.time(10, 10)
        )
    (message,) = refused.value.message_dict["starts_at"]
    assert "柳村教学点" in message and "语文" in message and "周四" in message


def test_term_clashes_finds_pairs_in_memory(province, setup):
    first = add_period(province, setup.group)
    # Written around the check, as a bulk import would: the term check still finds it.
    twin = Period.objects.create(
        group=setup.group,
        subject="音乐",
        host_teacher=province.teacher_a,
        weekday=0,
        starts_at=dt.time(8, 30),
        ends_at=dt.time(9, 10),
    )
    assert timetable.term_clashes(setup.term) == [(first.pk, twin.pk, dt.date(2026, 9, 7))]


def test_period_fields_are_checked_together(province, setup):
    with pytest.raises(ValidationError) as refused:
        add_period(
            province,
            setup.group,
            subject="体育",
            host_teacher=province.teacher_b,
            ends_at=dt.time(7, 0),
            rrule="FREQ=DAILY",
        )
    assert set(refused.value.message_dict) == {"subject", "host_teacher", "ends_at", "rrule"}


def test_term_dates(setup):
    assert (setup.term.starts_on, setup.term.ends_on) == (TERM_START, TERM_END)
