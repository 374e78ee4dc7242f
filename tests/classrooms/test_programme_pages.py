"""名师课堂 and 名校网络课堂 pages: duty table, lesson thread, two-department review, 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_person
from youke.classrooms.domain import masters, network
from youke.classrooms.enums import CourseState, LessonKind, LessonMode, PilotKind
from youke.classrooms.models import DiscussionPost, Evaluation
from youke.core.actor import Actor
from youke.orgs.enums import Role, TeacherTitle

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(province, setup):
    master = masters.register_master(
        Actor(province.research),
        province.county_a,
        province.teacher_a,
        title=TeacherTitle.MASTER,
        subject="英语",
    )
    start = timezone.now() - dt.timedelta(days=1)
    return masters.schedule_lesson(
        Actor(province.teacher_a),
        master,
        title="英语绘本阅读示范课",
        kind=LessonKind.DEMONSTRATION,
        mode=LessonMode.RECORDED,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=40),
        live_url="https://replay.example.cn/1",
    )


def test_lesson_thread_through_pages(client, province, setup, lesson):
    colleague = make_person(province.school_a, Role.TEACHER, username="coll", full_name="何老师")
    client.force_login(colleague)
    assert lesson in client.get(reverse("portal_classrooms:lessons")).context["past"]
    client.post(reverse("portal_classrooms:lesson_register", args=[lesson.pk]))
    client.post(
        reverse("portal_classrooms:lesson_evaluate", args=[lesson.pk]),
        {
            "goals": "清楚",
            "process": "流畅",
            "engagement": "积极",
            "technology": "恰当",
            "rating": "4",
        },
    )
    client.post(
        reverse("portal_classrooms:lesson_post", args=[lesson.pk]), {"body": "提问设计很好"}
    )
    assert Evaluation.objects.get().rating == 4
    assert DiscussionPost.objects.get().body == "提问设计很好"
    client.force_login(province.teacher_a)
    client.post(reverse("portal_classrooms:lesson_summary", args=[lesson.pk]), {"summary": "总结"})
    lesson.refresh_from_db()
    assert (lesson.state, lesson.summary) == ("held", "总结")
    client.force_login(province.teacher_b)  # another county
    assert client.get(reverse("portal_classrooms:lesson", args=[lesson.pk])).status_code == 404


def test_duty_table_on_the_masters_page(client, province, setup, lesson):
    client.force_login(province.research)
    response = client.get(reverse("manage_classrooms:masters"), {"term": setup.term.pk})
    rows = response.context["duty"]
    # The lesson was yesterday; the fixture's term runs Sep 2026–Jan 2027.
    in_term = (
        setup.term.starts_on <= timezone.localdate() - dt.timedelta(days=1) <= setup.term.ends_on
    )
    assert [(r.full_name, r.lessons, r.done) for r in rows] == [("王老师", int(in_term), False)]
    assert response.context["missing"] == rows
    client.force_login(province.county_b_admin)
    response = client.get(reverse("manage_classrooms:masters"))
    assert list(response.context["registry"]) == []


def test_two_department_review_through_pages(client, province):
    pilot = network.register_pilot(
        Actor(province.county_a_admin), province.county_a, province.school_a, kind=PilotKind.PILOT
    )
    course = network.create_course(
        Actor(province.school_a_admin), pilot, title="科学实验课", subject="科学", grade="五年级"
    )
    network.add_planned_lesson(
        Actor(province.school_a_admin),
        course,
        title="浮力",
        teacher=province.teacher_a,
        planned_on=dt.date(2026, 10, 1),
        recording_url="https://video.example.cn/f.mp4",
    )
    client.force_login(province.school_a_admin)
    client.post(reverse("manage_classrooms:course_submit", args=[course.pk]))
    elearning = make_person(province.county_a, Role.ELEARNING, username="dj")
    url = reverse("manage_classrooms:course", args=[course.pk])
    client.force_login(province.research)
    page = client.get(url)
    assert page.context["can_review"] is True and page.context["department"] == "教研（内容）"
    client.post(reverse("manage_classrooms:course_review", args=[course.pk]), {"verdict": "pass"})
    course.refresh_from_db()
    assert course.state == CourseState.IN_REVIEW
    assert client.get(url).context["can_review"] is False
    client.force_login(elearning)
    client.post(reverse("manage_classrooms:course_review", args=[course.pk]), {"verdict": "pass"})
    course.refresh_from_db()
    assert course.state == CourseState.SHARED
    client.force_login(province.county_b_admin)
    assert client.get(url).status_code == 404


def test_county_dashboard_names_masters_missing_the_duty(client, province, setup, lesson):
    from youke.classrooms.domain import dashboard

    today = timezone.localdate()
    setup.term.starts_on, setup.term.ends_on = (
        today - dt.timedelta(days=30),
        today + dt.timedelta(days=30),
    )
    setup.term.save()
    summary = dashboard.region_summary(province.county_a)
    assert [(r.full_name, r.lessons, r.done) for r in summary["duty_missing"]] == [
        ("王老师", 1, False)
    ]
    assert dashboard.region_summary(province.school_a) is None
    client.force_login(province.county_a_admin)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "王老师（市级名师" not in page  # the title label of 名师 is 名师
    assert "王老师（名师，东湖区）" in page
