"""A county term with National Day holidays and a make-up day, and one group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.api.conftest import api_as  # noqa: F401 - shared fixture
from tests.factories import make_admin, make_person, make_unit
from youke.classrooms.domain import timetable
from youke.classrooms.enums import DayOffKind, GroupMode
from youke.classrooms.models import DeliveryGroup, ReceivingClassroom, Term
from youke.core.actor import Actor
from youke.orgs.enums import Role, UnitKind

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
