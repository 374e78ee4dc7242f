"""Sessions from the timetable, status from schedule and host marks, the .ics feed."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rruleset, rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from tests.classrooms.conftest import add_period
from youke.classrooms.domain import attendance, feeds, sessions
from youke.classrooms.enums import SessionStatus
from youke.classrooms.models import ClassSession
from youke.core.actor import Actor
from youke.orgs.domain.units import PermissionDenied

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def monday(province, setup):
    period = add_period(province, setup.group)
    made = sessions.generate_sessions([setup.group], now=_at(dt.date(2026, 8, 1), 0))
    assert (made.created, made.removed) == (20, 0)
    return period


def test_generation_is_idempotent_and_follows_timetable_changes(province, setup, monday):
    assert sessions.generate_sessions([setup.group]).created == 0
    first = ClassSession.objects.order_by("starts_at").first()
    assert first.starts_at == _at(dt.date(2026, 9, 7), 8)
    assert first.ends_at == _at(dt.date(2026, 9, 7), 8, 40)
    # Moving the period to Tuesday on 1 Nov keeps the past Mondays, replaces the future ones.
    add_period(province, setup.group, weekday=1, period=monday)
    made = sessions.generate_sessions([setup.group], now=_at(dt.date(2026, 11, 1), 0))
    days = list(ClassSession.objects.values_list("date", flat=True))
    assert (made.created, made.removed) == (12, 12)  # Tuesdays and Mondays from 2 Nov
    assert all(d.weekday() == 1 or d < dt.date(2026, 11, 1) for d in days)
    assert dt.date(2026, 9, 1) not in days  # no class invented in the past


def test_status_from_schedule_and_host_marks(province, setup, monday):
    session = ClassSession.objects.order_by("starts_at").first()
    day = session.date
    assert sessions.session_status(session, _at(day, 7, 59)) == SessionStatus.NOT_STARTED
    assert sessions.session_status(session, _at(day, 8, 10)) == SessionStatus.LIVE
    assert sessions.session_status(session, _at(day, 8, 41)) == SessionStatus.ENDED
    host = Actor(province.teacher_a)
    with pytest.raises(ValidationError):
        sessions.start_session(host, session, now=_at(day, 7, 0))  # too early
    sessions.start_session(host, session, now=_at(day, 7, 45))
    session.refresh_from_db()
    assert sessions.session_status(session, _at(day, 7, 50)) == SessionStatus.LIVE
    assert sessions.session_status(session, _at(day, 9, 30)) == SessionStatus.LIVE  # ran over
    sessions.end_session(host, session, now=_at(day, 8, 35))
    session.refresh_from_db()
    assert sessions.session_status(session, _at(day, 8, 36)) == SessionStatus.ENDED
    with pytest.raises(PermissionDenied):
        sessions.start_session(Actor(setup.assistant), session)


def test_cancellation_needs_a_reason_and_wins(province, setup, monday, run_on_commit):
    from youke.notifications.models import Notification

    session = ClassSession.objects.order_by("starts_at").last()
    with pytest.raises(ValidationError):
        sessions.cancel_session(Actor(province.teacher_a), session, " ")
    run_on_commit(sessions.cancel_session, Actor(province.teacher_a), session, "主讲教师外出培训")
    (note,) = Notification.objects.all()
    assert note.person == setup.assistant
    assert note.body.endswith("的英语课已取消，原因：主讲教师外出培训")
    session.refresh_from_db()
    assert session.cancel_reason == "主讲教师外出培训"
    assert sessions.session_status(session, _at(session.date, 8, 10)) == SessionStatus.CANCELLED


def _expand(event) -> set[dt.datetime]:
    """Occurrences of a VEVENT: RRULE + RDATE − EXDATE, as any calendar app computes them."""
    start = event.decoded("dtstart")
    result = rruleset()
    result.rrule(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
    for prop in ("rdate", "exdate"):
        values = event.get(prop)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            for moment in value.dts:
                (result.rdate if prop == "rdate" else result.exdate)(moment.dt)
    return set(result)


def test_ics_feed_parses_and_matches_the_sessions(province, setup, monday):
    cancelled = ClassSession.objects.order_by("starts_at")[3]
    sessions.cancel_session(Actor(province.teacher_a), cancelled, "学校运动会")
    for feed in (
        feeds.feed_for_person(province.teacher_a),
        feeds.feed_for_classroom(setup.classroom),
    ):
        parsed = Calendar.from_ical(feeds.build_calendar(feed))
        (event,) = parsed.walk("VEVENT")
        assert str(event["summary"]) == "英语（实验小学—柳村教学点）"
        expected = set(
            ClassSession.objects.filter(cancelled_at__isnull=True).values_list(
                "starts_at", flat=True
            )
        )
        assert _expand(event) == expected
        assert len(expected) == 19


def test_attendance_rules_and_xlsx_import(province, setup, monday, tmp_path):
    from openpyxl import Workbook

    first, second = ClassSession.objects.order_by("starts_at")[:2]
    with pytest.raises(ValidationError) as refused:
        attendance.record_attendance(
            Actor(setup.assistant), first, setup.classroom, expected=12, present=13
        )
    assert "实到人数" in refused.value.message_dict["present"][0]
    attendance.record_attendance(
        Actor(setup.assistant), first, setup.classroom, expected=12, present=11, notes="一人病假"
    )
    with pytest.raises(PermissionDenied):
        attendance.record_attendance(
            Actor(province.teacher_b), first, setup.classroom, expected=12, present=12
        )
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "开始时间", "应到人数", "实到人数", "完成练习人数", "学生提问", "备注"])
    sheet.append([second.date.isoformat(), "08:00", 12, 12, 10, "过去式怎么读", ""])
    sheet.append(["2026-09-08", "08:00", 12, 12, None, None, None])  # a Tuesday: no class
    sheet.append([first.date.isoformat(), "08:00", 12, 20, None, None, None])
    path = tmp_path / "a.xlsx"
    book.save(path)
    with path.open("rb") as handle:
        report = attendance.import_attendance(Actor(setup.assistant), setup.classroom, handle)
    assert report.saved == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "开始时间"), (4, "实到人数")]
    record = dict(attendance.classroom_record(setup.classroom))
    assert record[first].present == 11  # the bad row did not overwrite the saved one
    assert (record[second].present, record[second].exercises_done) == (12, 10)


def test_substitution_moves_the_session_and_refuses_a_busy_teacher(province, setup, monday):
    from tests.factories import make_person
    from youke.orgs.enums import Role

    session, later = ClassSession.objects.order_by("starts_at")[:2]
    colleague = make_person(province.school_a, Role.TEACHER, username="sub", full_name="钱老师")
    with pytest.raises(ValidationError):
        sessions.substitute_session(
            Actor(province.county_a_admin), session, province.teacher_b, "病假"
        )
    with pytest.raises(PermissionDenied):
        sessions.substitute_session(Actor(province.teacher_a), session, colleague, "病假")
    sessions.substitute_session(Actor(province.school_a_admin), session, colleague, "王老师病假")
    session.refresh_from_db()
    assert (session.host_teacher, session.substituted_for) == (colleague, province.teacher_a)
    assert sessions.teacher_week(colleague, session.date) == [session]
    # The colleague also hosts another group on Mondays at 08:00: busy for the next Monday.
    from youke.classrooms.domain import timetable

    other = timetable.register_group(
        Actor(province.county_a_admin),
        province.county_a,
        term=setup.term,
        name="第二组",
        mode="school_schools",
        host_school=province.school_a,
        host_classroom="录播教室二",
        subjects=["英语"],
    )
    add_period(province, other, host_teacher=colleague)
    sessions.generate_sessions([other], now=_at(dt.date(2026, 8, 1), 0))
    with pytest.raises(ValidationError) as refused:
        sessions.substitute_session(Actor(province.school_a_admin), later, colleague, "外出")
    assert "钱老师 此时在“第二组”有英语课" in refused.value.message_dict["teacher"][0]
