"""Notifications for review assignments and objection outcomes (issue 4 item 13)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.selection.conftest import level
from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.selection.test_summary_sheet import build_list
from youke.core.actor import Actor
from youke.notifications.enums import NotificationKind
from youke.notifications.models import Notification, OutboxEmail
from youke.orgs.models import Person
from youke.selection.domain import publicity as publicity_domain
from youke.selection.domain.assignment import auto_assign
from youke.selection.domain.notices import on_assignments_created, on_objection_resolved
from youke.selection.models import Assignment

pytestmark = pytest.mark.django_db


def test_one_message_per_expert_naming_no_entry(province, campaign, lessons, catalog):
    for i in range(3):
        city_entry(campaign, province.teacher_a, lessons[i], f"作品{i}")
    one = expert(province.city, "专家甲", catalog.primary)
    two = expert(province.city, "专家乙", catalog.primary)
    Person.objects.filter(pk=one.pk).update(email="one@example.org")
    review_round = city_round(province, campaign, reviews_per_entry=2, blind=True)
    opened(province, review_round, one, two)
    auto_assign(Actor(province.city_admin), review_round)  # notifies through the call site
    assert Assignment.objects.filter(round=review_round).count() == 6
    rows = Notification.objects.filter(kind=NotificationKind.REVIEW_ASSIGNED).order_by("person_id")
    assert [(n.person_id, n.title) for n in rows] == [
        (one.pk, "新的评审任务：市级评审"),
        (two.pk, "新的评审任务：市级评审"),
    ]
    assert rows[0].body.startswith("“市级评审”给您分配了 3 件作品，请在 ")
    assert rows[0].url == "/manage/reviews/queue/"
    for n in rows:
        assert "作品0" not in n.body and "王老师" not in n.body and "东湖" not in n.body
    assert list(OutboxEmail.objects.values_list("to_address", flat=True)) == ["one@example.org"]
    assert on_assignments_created([], Actor(province.city_admin)) == 0


@pytest.fixture
def resolved(province, campaign, lessons):
    _row, (a, _b, _c) = build_list(province, campaign, lessons)
    now = timezone.now()
    window = publicity_domain.open_publicity(
        Actor(province.school_a_admin),
        campaign,
        level(campaign, "school"),
        province.school_a,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=5),
        title="公示",
    )
    filed = publicity_domain.file_objection(
        window, a, name="张三", contact="13800000000", reason="抄袭", ip="10.0.0.9"
    )
    return a, filed


def test_objection_outcome_reaches_the_entrys_unit_admins(province, resolved):
    entry, filed = resolved
    # An open objection has no outcome yet.
    assert on_objection_resolved(filed, Actor(province.county_a_admin)) == 0
    done = publicity_domain.resolve_objection(
        Actor(province.county_a_admin), filed, upheld=False, resolution="经核实为原创"
    )
    Notification.objects.all().delete()
    assert on_objection_resolved(done, Actor(province.county_a_admin)) == 1
    note = Notification.objects.get()
    assert note.person_id == province.school_a_admin.pk
    assert note.kind == NotificationKind.OBJECTION_OUTCOME
    assert note.title == f"《{entry.submission.title}》的公示异议不成立"
    assert note.body.endswith("处理意见：经核实为原创")
    assert "13800000000" not in note.body and "张三" not in note.body


def test_upheld_outcome_and_resolver_is_not_told(province, resolved):
    _entry, filed = resolved
    done = publicity_domain.resolve_objection(
        Actor(province.school_a_admin), filed, upheld=True, resolution="确有抄袭"
    )
    Notification.objects.all().delete()
    # The school's own admin resolved it: nobody else administers the school.
    assert on_objection_resolved(done, Actor(province.school_a_admin)) == 0
    assert on_objection_resolved(done, Actor(province.city_admin)) == 1
    assert Notification.objects.get().title.endswith("的公示异议成立")
