"""A county term with National Day holidays and a make-up day, and one group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401 - shared fixture
from tests.factories import make_admin, make_person, make_unit
from youke.classrooms.domain import attendance, masters, sessions, timetable
from youke.classrooms.enums import DayOffKind, GroupMode, LessonKind, LessonMode
from youke.classrooms.models import (
    ClassSession,
    DeliveryGroup,
    NetworkCourse,
    PilotSchool,
    PlannedLesson,
    ReceivingClassroom,
    Term,
)
from youke.core.actor import Actor
from youke.orgs.enums import Role, TeacherTitle, UnitKind

TERM_START = dt.date(2026, 9, 1)  # a Tuesday
TERM_END = dt.date(2027, 1, 22)


@dataclass
class Setup:
    term: Term
    group: DeliveryGroup
    classroom: ReceivingClassroom
    assistant: object
    other_school: object
    other_admin: object


@pytest.fixture
def setup(province) -> Setup:
    actor = Actor(province.county_a_admin)
    term = timetable.create_term(
        actor, province.county_a, name="2026年秋季学期", starts_on=TERM_START, ends_on=TERM_END
    )
    for day in range(1, 8):
        timetable.add_term_day(
            actor, term, date=dt.date(2026, 10, day), kind=DayOffKind.HOLIDAY, note="国庆节"
        )
    # Sunday 27 Sep follows Wednesday's timetable; Saturday 10 Oct follows Monday's.
    timetable.add_term_day(
        actor, term, date=dt.date(2026, 9, 27), kind=DayOffKind.MAKEUP, follows_weekday=2
    )
    timetable.add_term_day(
        actor, term, date=dt.date(2026, 10, 10), kind=DayOffKind.MAKEUP, follows_weekday=0
    )
    group = timetable.register_group(
        actor,
        province.county_a,
        term=term,
        name="实验小学—柳村教学点",
        mode=GroupMode.SCHOOL_TO_POINTS,
        host_school=province.school_a,
        host_classroom="录播教室一",
        subjects=["英语", "音乐"],
    )
    assistant = make_person(province.point_a, Role.TEACHER, username="assist", full_name="孙老师")
    classroom = timetable.add_classroom(
        actor, group, school=province.point_a, name="三年级", students=12, assistant=assistant
    )
    other_school = make_unit(province.county_a, UnitKind.SCHOOL, "东湖区第二小学")
    return Setup(
        term=term,
        group=group,
        classroom=classroom,
        assistant=assistant,
        other_school=other_school,
        other_admin=make_admin(other_school, username="school2", full_name="二小管理员"),
    )


def add_period(province, group, **kwargs):
    values = {
        "subject": "英语",
        "host_teacher": province.teacher_a,
        "weekday": 0,
        "starts_at": dt.time(8, 0),
        "ends_at": dt.time(8, 40),
    }
    values.update(kwargs)
    return timetable.save_period(Actor(province.county_a_admin), group, **values)


def _at(day: dt.date, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def term_work(province, setup):
    """teacher_a hosts 3 held sessions (the rest cancelled), gives 1 lesson (a cancelled one
    does not count), records 1 network lesson (an unrecorded one does not); the assistant
    assists those 3 sessions and writes 1 review; teacher_b (other county) records 1."""
    add_period(province, setup.group)
    sessions.generate_sessions([setup.group], now=_at(dt.date(2026, 8, 1), 0))
    held = list(ClassSession.objects.order_by("starts_at").values_list("pk", flat=True)[:3])
    ClassSession.objects.exclude(pk__in=held).update(
        cancelled_at=_at(dt.date(2026, 8, 2)), cancel_reason="测试"
    )
    ClassSession.objects.filter(pk__in=held).update(ended_at=_at(dt.date(2026, 9, 7), 8))
    master = masters.register_master(
        Actor(province.research),
        province.county_a,
        province.teacher_a,
        title=TeacherTitle.CITY_LEADER,
        subject="英语",
    )
    lesson = masters.schedule_lesson(
        Actor(province.teacher_a),
        master,
        title="示范课",
        kind=LessonKind.DEMONSTRATION,
        mode=LessonMode.LIVE,
        starts_at=_at(dt.date(2026, 9, 10)),
        ends_at=_at(dt.date(2026, 9, 10), 10),
    )
    cancelled = masters.schedule_lesson(
        Actor(province.teacher_a),
        master,
        title="取消的课",
        kind=LessonKind.OPEN,
        mode=LessonMode.LIVE,
        starts_at=_at(dt.date(2026, 9, 17)),
        ends_at=_at(dt.date(2026, 9, 17), 10),
    )
    masters.set_lesson_state(Actor(province.teacher_a), cancelled, "cancelled", reason="病假")
    masters.register_for_lesson(Actor(setup.assistant), lesson)
    masters.evaluate_lesson(
        Actor(setup.assistant),
        lesson,
        goals="清楚",
        process="流畅",
        engagement="积极",
        technology="恰当",
        rating=5,
    )
    pilot = PilotSchool.objects.create(
        school=province.school_a, registered_by=province.county_a, kind="pilot"
    )
    course = NetworkCourse.objects.create(
        pilot=pilot, title="英语阅读", subject="英语", grade="三年级"
    )
    on = dt.date(2026, 10, 20)
    PlannedLesson.objects.create(
        course=course,
        order=1,
        title="第一课",
        teacher=province.teacher_a,
        planned_on=on,
        recording_url="https://rec.example.cn/1",
    )
    PlannedLesson.objects.create(
        course=course, order=2, title="第二课", teacher=province.teacher_a, planned_on=on
    )
    PlannedLesson.objects.create(
        course=course,
        order=3,
        title="第三课",
        teacher=province.teacher_b,
        planned_on=on,
        recording_url="https://rec.example.cn/3",
    )
    return setup.term


@pytest.fixture
def figures(province, setup, term_work):
    session = ClassSession.objects.filter(ended_at__isnull=False).order_by("starts_at").first()
    attendance.record_attendance(
        Actor(setup.assistant), session, setup.classroom, expected=12, present=9
    )
    NetworkCourse.objects.update(
        state="shared", shared_at=timezone.make_aware(dt.datetime(2026, 10, 1))
    )
    # An earlier term already brought 英语 to the teaching point: only 音乐 is new.
    actor = Actor(province.county_a_admin)
    spring = timetable.create_term(
        actor,
        province.county_a,
        name="2026年春季学期",
        starts_on=dt.date(2026, 2, 20),
        ends_on=dt.date(2026, 7, 5),
    )
    old = timetable.register_group(
        actor,
        province.county_a,
        term=spring,
        name="春季组",
        mode=GroupMode.SCHOOL_TO_POINTS,
        host_school=province.school_a,
        host_classroom="录播教室一",
        subjects=["英语"],
    )
    timetable.add_classroom(actor, old, school=province.point_a, name="三年级", students=12)
    return term_work
