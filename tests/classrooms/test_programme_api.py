"""名师课堂 and 名校网络课堂 operations: scoped, refusals as 422."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.conftest import NOT_FOUND
from tests.factories import make_person
from youke.orgs.enums import Role

pytestmark = pytest.mark.django_db


def test_master_lesson_and_duty_through_the_api(api_as, province, setup):
    research = api_as(province.research)
    bad = research.post(
        "/classrooms/masters",
        {
            "unit": province.county_a.pk,
            "person": province.teacher_a.pk,
            "title": "backbone",
            "subject": "英语",
        },
    )
    assert bad.status_code == 422
    master = research.post(
        "/classrooms/masters",
        {
            "unit": province.county_a.pk,
            "person": province.teacher_a.pk,
            "title": "master",
            "subject": "英语",
        },
    ).json()
    start = timezone.now() - dt.timedelta(hours=2)
    lesson = api_as(province.teacher_a).post(
        "/classrooms/lessons",
        {
            "master": master["id"],
            "title": "示范课",
            "kind": "demonstration",
            "mode": "live",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(minutes=40)).isoformat(),
        },
    )
    assert lesson.status_code == 201, lesson.json()
    lesson_id = lesson.json()["id"]
    colleague = make_person(province.school_a, Role.TEACHER, username="c2")
    peer = api_as(colleague)
    assert peer.post(f"/classrooms/lessons/{lesson_id}/registrations").status_code == 201
    body = {"goals": "好", "process": "好", "engagement": "好", "technology": "好", "rating": 5}
    response = peer.client.put(
        f"/api/v1/classrooms/lessons/{lesson_id}/evaluation", body, content_type="application/json"
    )
    assert response.status_code == 200
    duty = research.get("/classrooms/duty", term=setup.term.pk).json()
    today = timezone.localdate()
    in_term = setup.term.starts_on <= today <= setup.term.ends_on
    assert [(r["full_name"], r["done"]) for r in duty] == [("王老师", in_term)]
    assert api_as(province.teacher_b).get(f"/classrooms/lessons/{lesson_id}").status_code in (
        404,
        405,
    )
    assert (
        api_as(province.teacher_b).post(f"/classrooms/lessons/{lesson_id}/registrations").json()
        == NOT_FOUND
    )


def test_network_course_through_the_api(api_as, province):
    county = api_as(province.county_a_admin)
    pilot = county.post(
        "/classrooms/pilots",
        {"unit": province.county_a.pk, "school": province.school_a.pk, "kind": "pilot"},
    ).json()
    school = api_as(province.school_a_admin)
    course = school.post(
        "/classrooms/courses",
        {"pilot": pilot["id"], "title": "绘本", "subject": "英语", "grade": "三年级"},
    ).json()
    lesson = school.post(
        f"/classrooms/courses/{course['id']}/lessons",
        {"title": "第一课", "teacher": province.teacher_a.pk, "planned_on": "2026-10-12"},
    )
    assert lesson.status_code == 201
    assert school.post(f"/classrooms/courses/{course['id']}/submit").status_code == 422
    school.client.put(
        f"/api/v1/classrooms/courses/{course['id']}/lessons/{lesson.json()['id']}/recording",
        {"recording_url": "https://video.example.cn/1.mp4"},
        content_type="application/json",
    )
    assert school.post(f"/classrooms/courses/{course['id']}/submit").json()["state"] == "in_review"
    after = (
        api_as(province.research)
        .post(f"/classrooms/courses/{course['id']}/reviews", {"verdict": "pass"})
        .json()
    )
    assert (after["state"], [r["department"] for r in after["reviews"]]) == (
        "in_review",
        ["research"],
    )
    assert (
        api_as(province.county_b_admin)
        .post(f"/classrooms/courses/{course['id']}/reviews", {"verdict": "pass"})
        .json()
        == NOT_FOUND
    )
