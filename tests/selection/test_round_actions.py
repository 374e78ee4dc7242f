"""Round detail actions (issue 4 items 5, 7): assign, unassign, conflicts and reminders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.notifications.models import Notification
from youke.selection.domain.assignment import add_expert, assign
from youke.selection.enums import AssignmentState
from youke.selection.models import Assignment, Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(province, campaign, lessons, catalog):
    east = city_entry(campaign, province.teacher_a, lessons[0], "分数的意义")
    west = city_entry(campaign, province.teacher_b, lessons[1], "小数的意义")
    reviewer = expert(province.city, "市专家", catalog.primary)
    other = expert(province.county_b, "西岭专家", catalog.primary, on=province.city)
    review_round = opened(province, city_round(province, campaign), reviewer, other)
    return review_round, east, west, reviewer, other


def post(client, name, review_round, data=None, *args):
    return client.post(
        reverse(f"manage_reviews:{name}", args=[review_round.pk, *args]), data or {}, follow=True
    )


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_detail_page_shows_the_forms(client, province, setup):
    review_round, *_rest = setup
    assign(Actor(province.city_admin), review_round, setup[1], setup[3])
    client.force_login(province.city_admin)
    html = client.get(reverse("manage_reviews:round", args=[review_round.pk])).content.decode()
    for marker in ['id="manual-assign"', 'id="remind"', 'id="conflict"', "撤回"]:
        assert marker in html


def test_assign_by_hand(client, province, catalog, setup):
    review_round, east, west, reviewer, _other = setup
    client.force_login(province.city_admin)
    response = post(client, "assign", review_round, {"entry": east.pk, "expert": reviewer.pk})
    assert said(response) == ["已将《分数的意义》分配给市专家。"]
    assert list(Assignment.objects.values_list("entry", "expert")) == [(east.pk, reviewer.pk)]
    assert Notification.objects.filter(person=reviewer, kind="review_assigned").count() == 1
    response = post(client, "assign", review_round, {"entry": east.pk, "expert": reviewer.pk})
    assert said(response) == ["该专家已分配到这件作品。"]
    colleague = expert(province.school_b, "一中专家", catalog.primary, on=province.city)
    add_expert(Actor(province.city_admin), review_round, colleague)
    response = post(client, "assign", review_round, {"entry": west.pk, "expert": colleague.pk})
    assert said(response) == ["不能分配给“一中专家”：本校作品。请选择其他专家。"]
    response = post(
        client, "assign", review_round, {"entry": east.pk, "expert": province.expert.pk}
    )
    assert said(response) == ["请选择本轮的作品和评审专家。"]
    assert Assignment.objects.count() == 1


def test_unassign(client, province, setup):
    review_round, east, west, reviewer, _other = setup
    admin = Actor(province.city_admin)
    first = assign(admin, review_round, east, reviewer)
    started = assign(admin, review_round, west, reviewer)
    Assignment.objects.filter(pk=started.pk).update(state=AssignmentState.DRAFT)
    client.force_login(province.city_admin)
    response = post(client, "unassign", review_round, None, first.pk)
    assert said(response) == ["已撤回市专家对《分数的意义》的评审任务。"]
    response = post(client, "unassign", review_round, None, started.pk)
    assert said(response) == ["专家已开始评分，不能撤回分配：请联系专家。"]
    assert list(Assignment.objects.values_list("pk", flat=True)) == [started.pk]
    assert AuditEvent.objects.filter(
        object_type="selection.assignment", object_id=str(first.pk), action="delete"
    ).exists()


def test_declare_conflict(client, province, setup):
    review_round, east, _west, reviewer, _other = setup
    assign(Actor(province.city_admin), review_round, east, reviewer)
    client.force_login(province.city_admin)
    response = post(
        client, "conflict", review_round, {"expert": reviewer.pk, "entry": east.pk, "reason": ""}
    )
    assert said(response) == ["请填写回避理由。"]
    response = post(
        client,
        "conflict",
        review_round,
        {"expert": reviewer.pk, "unit_code": "000000", "reason": "x"},
    )
    assert said(response) == ["单位代码 000000 不存在或不在本轮范围内：请核对。"]
    response = post(client, "conflict", review_round, {"expert": reviewer.pk, "reason": "亲属"})
    assert said(response) == ["请选择需要回避的作品或单位。"]
    assert not Conflict.objects.exists()
    response = post(
        client,
        "conflict",
        review_round,
        {"expert": reviewer.pk, "entry": east.pk, "reason": "作者是亲属"},
    )
    assert said(response) == ["已为市专家登记回避；尚未开始的相关评审任务已撤回。"]
    assert not Assignment.objects.exists()
    post(
        client,
        "conflict",
        review_round,
        {"expert": reviewer.pk, "unit_code": province.school_b.code, "reason": "曾任职"},
    )
    assert list(
        Conflict.objects.order_by("id").values_list(
            "round", "expert", "entry", "unit", "reason", "declared_by"
        )
    ) == [
        (review_round.pk, reviewer.pk, east.pk, None, "作者是亲属", province.city_admin.pk),
        (
            review_round.pk,
            reviewer.pk,
            None,
            province.school_b.pk,
            "曾任职",
            province.city_admin.pk,
        ),
    ]


def test_remind_only_experts_with_unfinished_reviews(client, province, setup):
    review_round, east, west, reviewer, other = setup
    admin = Actor(province.city_admin)
    assign(admin, review_round, east, reviewer)
    assign(admin, review_round, west, reviewer)
    done = assign(admin, review_round, east, other)
    Assignment.objects.filter(pk=done.pk).update(state=AssignmentState.SUBMITTED)
    client.force_login(province.city_admin)
    response = post(client, "remind", review_round)
    assert said(response) == ["已提醒 1 位未完成评审的专家。"]
    reminders = Notification.objects.filter(kind="deadline_soon")
    assert [(n.person_id, n.body.count("2 件")) for n in reminders] == [(reviewer.pk, 1)]
    assert "分数的意义" not in reminders[0].body  # blind: counts only
    event = AuditEvent.objects.get(object_type="selection.reviewround", reason="提醒未完成的专家")
    assert event.after == {"reminded": [reviewer.pk]}


def test_another_countys_admin_gets_404(client, province, setup):
    review_round, east, _west, reviewer, _other = setup
    mine = assign(Actor(province.city_admin), review_round, east, reviewer)
    client.force_login(province.county_a_admin)
    data = {"entry": east.pk, "expert": reviewer.pk, "reason": "x"}
    for name, args in [("assign", []), ("unassign", [mine.pk]), ("conflict", []), ("remind", [])]:
        url = reverse(f"manage_reviews:{name}", args=[review_round.pk, *args])
        assert client.post(url, data).status_code == 404, name
    assert list(Assignment.objects.values_list("pk", flat=True)) == [mine.pk]
    assert not Conflict.objects.exists()
    assert not Notification.objects.filter(kind="deadline_soon").exists()
