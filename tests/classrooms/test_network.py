"""名校网络课堂: both departments must pass the same round before a course is shared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_person
from youke.classrooms.domain import network
from youke.classrooms.enums import CourseState, PilotKind, Verdict
from youke.core.actor import Actor
from youke.notifications.models import Notification
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(province):
    pilot = network.register_pilot(
        Actor(province.county_a_admin), province.county_a, province.school_a, kind=PilotKind.PILOT
    )
    course = network.create_course(
        Actor(province.school_a_admin),
        pilot,
        title="小学英语绘本阅读",
        subject="英语",
        grade="三年级",
    )
    network.add_planned_lesson(
        Actor(province.school_a_admin),
        course,
        title="第一课",
        teacher=province.teacher_a,
        planned_on=dt.date(2026, 10, 12),
    )
    return course


@pytest.fixture
def elearning(province):
    return make_person(province.county_a, Role.ELEARNING, username="dianjiao", full_name="冯电教")


def test_submit_needs_every_recording(province, course):
    with pytest.raises(ValidationError) as refused:
        network.submit_course(Actor(province.school_a_admin), course)
    assert "第一课" in refused.value.messages[0]
    lesson = course.lessons.get()
    network.set_recording(Actor(province.school_a_admin), lesson, "https://video.example.cn/1.mp4")
    course = network.submit_course(Actor(province.school_a_admin), course)
    assert (course.state, course.review_round) == (CourseState.IN_REVIEW, 1)


def test_shared_only_when_both_departments_pass(province, course, elearning, run_on_commit):
    lesson = course.lessons.get()
    network.set_recording(Actor(province.school_a_admin), lesson, "https://video.example.cn/1.mp4")
    network.submit_course(Actor(province.school_a_admin), course)
    network.review_course(Actor(province.research), course, verdict=Verdict.PASS)
    course.refresh_from_db()
    assert course.state == CourseState.IN_REVIEW
    assert network.waiting_on(course) == ["电教（技术）"]
    with pytest.raises(ValidationError):  # a department decides once per round
        network.review_course(Actor(province.research), course, verdict=Verdict.PASS)
    with pytest.raises(ValidationError):
        network.review_course(Actor(elearning), course, verdict=Verdict.RETURN)  # no comment
    run_on_commit(
        network.review_course,
        Actor(elearning),
        course,
        verdict=Verdict.RETURN,
        comment="第一课音画不同步",
    )
    course.refresh_from_db()
    assert course.state == CourseState.RETURNED
    (note,) = Notification.objects.all()
    assert (note.person, note.title) == (
        province.school_a_admin,
        "网络课程被退回：小学英语绘本阅读",
    )
    assert note.body == "电教（技术）退回了课程，意见：第一课音画不同步。修改后请重新送审。"
    # Resubmitted, the new round needs both passes again: the old content pass does not count.
    network.submit_course(Actor(province.school_a_admin), course)
    network.review_course(Actor(elearning), course, verdict=Verdict.PASS)
    course.refresh_from_db()
    assert course.state == CourseState.IN_REVIEW
    network.review_course(Actor(province.research), course, verdict=Verdict.PASS)
    course.refresh_from_db()
    assert (course.state, course.review_round) == (CourseState.SHARED, 2)
    assert course.shared_at is not None


def test_only_the_two_departments_review(province, course):
    lesson = course.lessons.get()
    network.set_recording(Actor(province.school_a_admin), lesson, "https://video.example.cn/1.mp4")
    network.submit_course(Actor(province.school_a_admin), course)
    for person in (province.county_a_admin, province.teacher_a, province.county_b_admin):
        with pytest.raises(PermissionDenied):
            network.review_course(Actor(person), course, verdict=Verdict.PASS)
