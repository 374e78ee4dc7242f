"""名师课堂: registry titles, 评课 rules, R16 duty counts per semester, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import make_person
from youke.classrooms import rules
from youke.classrooms.domain import duty, masters
from youke.classrooms.enums import LessonKind, LessonMode, LessonState
from youke.core.actor import Actor
from youke.notifications.models import Notification
from youke.orgs.enums import Role, TeacherTitle

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def registry(province, setup):
    research = Actor(province.research)
    leader = masters.register_master(
        research,
        province.county_a,
        province.teacher_a,
        title=TeacherTitle.CITY_LEADER,
        subject="英语",
    )
    other = make_person(province.school_a, Role.TEACHER, username="master2", full_name="吴老师")
    special = masters.register_master(
        research, province.county_a, other, title=TeacherTitle.SPECIAL_GRADE, subject="数学"
    )
    return leader, special


def _lesson(master, day, **kwargs):
    return masters.schedule_lesson(
        Actor(master.person),
        master,
        title=kwargs.pop("title", "阅读策略示范课"),
        kind=LessonKind.DEMONSTRATION,
        mode=LessonMode.LIVE,
        starts_at=_at(day),
        ends_at=_at(day, 10),
        **kwargs,
    )


def test_registry_takes_only_duty_titles_in_scope(province, registry):
    person = make_person(province.school_a, Role.TEACHER, username="bb")
    with pytest.raises(ValidationError):
        masters.register_master(
            Actor(province.research),
            province.county_a,
            person,
            title=TeacherTitle.BACKBONE,
            subject="语文",
        )
    with pytest.raises(ValidationError):
        masters.register_master(
            Actor(province.county_b_admin),
            province.county_b,
            person,
            title=TeacherTitle.MASTER,
            subject="语文",
        )
    assert {m.person.username for m in rules.masters_visible_to(province.county_a_admin)} == {
        "teachera",
        "master2",
    }
    assert not rules.masters_visible_to(province.county_b_admin).exists()


def test_duty_counts_reviewed_lessons_in_the_semester(province, setup, registry):
    leader, special = registry
    reviewer = make_person(province.school_a, Role.TEACHER, username="rev", full_name="郑老师")
    held = _lesson(leader, dt.date(2026, 10, 20))
    _lesson(leader, dt.date(2026, 11, 3), title="无人评的课")
    _lesson(leader, dt.date(2027, 3, 3), title="下学期的课")  # outside the term
    cancelled = _lesson(special, dt.date(2026, 11, 5))
    masters.register_for_lesson(Actor(reviewer), cancelled)
    masters.set_lesson_state(Actor(special.person), cancelled, LessonState.CANCELLED)
    masters.register_for_lesson(Actor(reviewer), held)
    masters.evaluate_lesson(
        Actor(reviewer),
        held,
        goals="目标清晰",
        process="环节紧凑",
        engagement="学生参与度高",
        technology="交互白板运用得当",
        rating=5,
    )
    # The special-grade teacher reviews the leader's lesson: a review written, no lesson given.
    masters.register_for_lesson(Actor(special.person), held)
    masters.evaluate_lesson(
        Actor(special.person),
        held,
        goals="好",
        process="好",
        engagement="好",
        technology="好",
        rating=4,
    )
    rows = {row.full_name: row for row in duty.duty_rows(setup.term)}
    assert (rows["王老师"].lessons, rows["王老师"].reviewed_lessons, rows["王老师"].done) == (
        2,
        1,
        True,
    )
    assert (rows["吴老师"].lessons, rows["吴老师"].reviews_written, rows["吴老师"].done) == (
        0,
        1,
        False,
    )


def test_evaluation_rules(province, setup, registry):
    leader, _special = registry
    future = _lesson(leader, dt.date(2030, 1, 1))
    stranger = make_person(province.school_a, Role.TEACHER, username="s1")
    fields = dict(goals="a", process="b", engagement="c", technology="d", rating=3)
    with pytest.raises(ValidationError):
        masters.evaluate_lesson(Actor(stranger), future, **fields)  # not started
    past = _lesson(leader, dt.date(2026, 10, 21))
    with pytest.raises(ValidationError):
        masters.evaluate_lesson(Actor(stranger), past, **fields)  # not registered
    with pytest.raises(ValidationError):
        masters.evaluate_lesson(Actor(leader.person), past, **fields)  # own lesson
    masters.register_for_lesson(Actor(stranger), past)
    with pytest.raises(ValidationError) as refused:
        masters.evaluate_lesson(Actor(stranger), past, **{**fields, "process": " "})
    assert set(refused.value.message_dict) == {"process"}
    masters.evaluate_lesson(Actor(stranger), past, **fields)
    masters.summarise_lesson(Actor(leader.person), past, "本次评课聚焦阅读策略。")
    past.refresh_from_db()
    assert (past.state, past.summary) == (LessonState.HELD, "本次评课聚焦阅读策略。")


def test_reminders_go_to_missing_masters_once(province, setup, registry):
    leader, special = registry
    held = _lesson(leader, dt.date(2026, 10, 20))
    reviewer = make_person(province.school_a, Role.TEACHER, username="rev2")
    masters.register_for_lesson(Actor(reviewer), held)
    masters.evaluate_lesson(
        Actor(reviewer), held, goals="a", process="b", engagement="c", technology="d", rating=4
    )
    assert duty.send_duty_reminders(dt.date(2026, 12, 1)) == 0  # too early
    assert duty.send_duty_reminders(dt.date(2027, 1, 10)) == 1
    assert duty.send_duty_reminders(dt.date(2027, 1, 11)) == 0  # deduplicated
    (note,) = Notification.objects.all()
    assert note.person == special.person
    assert "要求 1 节" in note.body
