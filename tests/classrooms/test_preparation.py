"""网络集体备课 (issue 12 item 6): a draft design shared in a studio, annotated by paragraph,
revised with every version kept, and summarised by the host; non-members get 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from youke.classrooms.domain import masters, preparation
from youke.classrooms.enums import PrepState, StudioRole
from youke.classrooms.models import PrepAnnotation, PrepVersion
from youke.core.actor import Actor
from youke.notifications.models import Notification
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role, TeacherTitle

pytestmark = pytest.mark.django_db

DRAFT = "教学目标：能读懂简单的英文故事。\n\n导入：唱英文歌。\n新授：分角色朗读。"


@pytest.fixture
def studio(province):
    research = Actor(province.research)
    master = masters.register_master(
        research,
        province.county_a,
        province.teacher_a,
        title=TeacherTitle.CITY_LEADER,
        subject="英语",
    )
    studio = masters.create_studio(research, master, name="王老师英语工作室", subject="英语")
    member = make_person(province.school_a, Role.TEACHER, username="member", full_name="成员甲")
    trainee = make_person(province.school_a, Role.TEACHER, username="trainee", full_name="学员乙")
    masters.add_studio_member(research, studio, member, role=StudioRole.MEMBER)
    masters.add_studio_member(research, studio, trainee, role=StudioRole.TRAINEE)
    studio.member, studio.trainee = member, trainee
    return studio


def _start(person, studio, run_on_commit=None):
    call = lambda: preparation.start_prep(Actor(person), studio, title="Unit 3 阅读课", text=DRAFT)  # noqa: E731
    return run_on_commit(call) if run_on_commit else call()


def test_prep_versions_annotations_and_summary(province, studio, run_on_commit):
    prep = _start(province.teacher_a, studio, run_on_commit)
    first = prep.versions.get()
    assert first.paragraphs == [
        "教学目标：能读懂简单的英文故事。",
        "导入：唱英文歌。",
        "新授：分角色朗读。",
    ]
    # both studio people are told; the host is not
    told = set(
        Notification.objects.filter(kind="classrooms.prep").values_list("person_id", flat=True)
    )
    assert told == {studio.member.pk, studio.trainee.pk}
    preparation.annotate(Actor(studio.trainee), prep, body="导入可以用图片", paragraph=2)
    preparation.annotate(Actor(studio.member), prep, body="目标偏少")
    with pytest.raises(ValidationError) as exc:
        preparation.annotate(Actor(studio.member), prep, body="x", paragraph=4)
    assert "1–3" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):  # only the host revises
        preparation.revise(Actor(studio.member), prep, text="新稿")
    second = preparation.revise(
        Actor(province.teacher_a), prep, text=DRAFT + "\n练习：复述故事。", note="采纳导入建议"
    )
    assert second.number == 2 and len(second.paragraphs) == 4
    preparation.annotate(Actor(studio.member), prep, body="练习很好", paragraph=4)
    # annotations stay on the version they were written on
    assert list(
        PrepAnnotation.objects.order_by("id").values_list("version__number", "paragraph")
    ) == [(1, 2), (1, None), (2, 4)]
    with pytest.raises(ValidationError):
        preparation.conclude(Actor(province.teacher_a), prep, summary="  ")
    preparation.conclude(Actor(province.teacher_a), prep, summary="采纳了两条建议。")
    prep.refresh_from_db()
    assert prep.state == PrepState.CLOSED and prep.closed_at is not None
    with pytest.raises(ValidationError):
        preparation.annotate(Actor(studio.member), prep, body="晚了")
    with pytest.raises(ValidationError):
        preparation.conclude(Actor(province.teacher_a), prep, summary="再来")
    assert PrepVersion.objects.filter(prep=prep).count() == 2


def test_trainees_annotate_but_do_not_start(province, studio):
    with pytest.raises(PermissionDenied):
        _start(studio.trainee, studio)
    assert _start(studio.member, studio).host_id == studio.member.pk


def test_pages_scope_and_actions(province, studio):
    prep = _start(province.teacher_a, studio)
    url = reverse("portal_classrooms:prep", args=[prep.pk])
    outsider = Client()
    outsider.force_login(province.teacher_b)
    assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            reverse("portal_classrooms:prep_annotate", args=[prep.pk]), {"body": "x"}
        ).status_code
        == 404
    )
    same_school = make_person(
        province.school_a, Role.TEACHER, username="nonmember", full_name="非成员"
    )
    client = Client()
    client.force_login(same_school)
    assert client.get(url).status_code == 404  # same school, not in the studio
    trainee = Client()
    trainee.force_login(studio.trainee)
    response = trainee.post(
        reverse("portal_classrooms:prep_annotate", args=[prep.pk]),
        {"paragraph": "3", "body": "朗读要示范"},
    )
    assert response.status_code == 302
    page = trainee.get(url).content.decode()
    assert 'id="v1-p3"' in page and "学员乙：朗读要示范" in page and 'id="revise"' not in page
    host = Client()
    host.force_login(province.teacher_a)
    host.post(
        reverse("portal_classrooms:prep_revise", args=[prep.pk]),
        {"text": "新稿一段", "note": "重写"},
    )
    host.post(reverse("portal_classrooms:prep_conclude", args=[prep.pk]), {"summary": "完成"})
    prep.refresh_from_db()
    assert (prep.state, prep.versions.count(), prep.summary) == ("closed", 2, "完成")
    listing = trainee.get(reverse("portal_classrooms:preps")).content.decode()
    assert "Unit 3 阅读课" in listing


def test_prep_api_and_fixed_query_count(api_as, province, studio):
    api = api_as(studio.member)
    made = api.post("/classrooms/preps", {"studio": studio.pk, "title": "Unit 4", "text": DRAFT})
    assert made.status_code == 201
    prep_id = made.json()["id"]
    assert made.json()["versions"][0]["paragraphs"][1] == "导入：唱英文歌。"
    note = api_as(studio.trainee).post(
        f"/classrooms/preps/{prep_id}/annotations", {"body": "好", "paragraph": 1}
    )
    assert note.status_code == 201 and note.json()["paragraph"] == 1
    bad = api_as(studio.trainee).post(
        f"/classrooms/preps/{prep_id}/annotations", {"body": "好", "paragraph": 9}
    )
    assert bad.status_code == 422
    assert api_as(province.teacher_b).get(f"/classrooms/preps/{prep_id}").status_code == 404
    assert (
        api_as(province.teacher_b)
        .post("/classrooms/preps", {"studio": studio.pk, "title": "x", "text": "y"})
        .status_code
        == 404
    )
    assert (
        api_as(studio.trainee)
        .post(f"/classrooms/preps/{prep_id}/versions", {"text": "新稿"})
        .status_code
        == 404
    )  # only the host revises
    assert api.post(f"/classrooms/preps/{prep_id}/versions", {"text": "新稿"}).json()["number"] == 2
    done = api.post(f"/classrooms/preps/{prep_id}/conclude", {"summary": "好"})
    assert done.json()["state"] == "closed" and len(done.json()["versions"]) == 2

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/classrooms/preps").status_code == 200
        return len(queries)

    one = count()
    _start(province.teacher_a, studio)
    _start(province.teacher_a, studio)
    assert len(api.get("/classrooms/preps").json()["items"]) == 3
    assert count() == one
