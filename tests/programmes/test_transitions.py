"""Task status: the transition table × who moves, one domain function, audit, notices."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.programmes.conftest import make_task
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.notifications.models import Notification
from youke.orgs.domain.units import PermissionDenied
from youke.programmes.domain.tasks import set_task_status
from youke.programmes.enums import TaskStatus

NS, IP, DONE, PAUSED = (
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETED,
    TaskStatus.PAUSED,
)

# (from, to, owner allowed, responsible unit allowed)
TABLE = [
    (NS, IP, True, True),
    (NS, DONE, False, False),
    (NS, PAUSED, True, False),
    (IP, DONE, True, True),
    (IP, NS, False, False),
    (IP, PAUSED, True, False),
    (DONE, IP, True, False),
    (DONE, NS, False, False),
    (DONE, PAUSED, True, False),
    (PAUSED, NS, True, False),  # resume: only to the status before the pause (NS here)
    (PAUSED, IP, False, False),
    (PAUSED, DONE, False, False),
]


def _walk(province, task, status):
    owner = Actor(province.city_admin)
    if status in (IP, DONE):
        task = set_task_status(owner, task, IP)
    if status == DONE:
        task = set_task_status(owner, task, DONE)
    if status == PAUSED:
        task = set_task_status(owner, task, PAUSED)
    return task


@pytest.mark.parametrize(("source", "target", "owner_ok", "unit_ok"), TABLE)
@pytest.mark.parametrize("who", ["owner", "unit"])
def test_transition_table(province, programme, area, source, target, owner_ok, unit_ok, who):
    task = make_task(
        province, programme, area, units=[province.county_a], deadline=datetime.date(2026, 9, 1)
    )
    task = _walk(province, task, source)
    person = province.city_admin if who == "owner" else province.county_a_admin
    allowed = owner_ok if who == "owner" else unit_ok
    if allowed:
        moved = set_task_status(Actor(person), task, target)
        assert moved.status == target
        event = AuditEvent.objects.filter(object_type="programmes.task").latest("id")
        assert (event.before, event.after) == ({"status": source}, {"status": target})
    else:
        with pytest.raises(ValidationError):
            set_task_status(Actor(person), task, target)
        task.refresh_from_db()
        assert task.status == source


def test_pause_remembers_and_resume_returns(province, programme, area):
    task = make_task(
        province, programme, area, units=[province.county_a], deadline=datetime.date(2026, 9, 1)
    )
    owner = Actor(province.city_admin)
    set_task_status(owner, task, IP)
    paused = set_task_status(owner, task, PAUSED)
    assert (paused.status, paused.paused_from) == (PAUSED, IP)
    resumed = set_task_status(owner, task, IP)
    assert (resumed.status, resumed.paused_from) == (IP, "")


def test_another_county_cannot_move_the_task(province, programme, area):
    """A unit that is neither owner nor responsible: refused as missing (404 upstream)."""
    task = make_task(
        province, programme, area, units=[province.county_a], deadline=datetime.date(2026, 9, 1)
    )
    with pytest.raises(PermissionDenied):
        set_task_status(Actor(province.county_b_admin), task, IP)


def test_status_notices_after_commit_reach_the_other_side(
    province, programme, area, django_capture_on_commit_callbacks
):
    task = make_task(
        province,
        programme,
        area,
        units=[province.county_a, province.county_b],
        deadline=datetime.date(2026, 9, 1),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        set_task_status(Actor(province.county_a_admin), task, IP)
    assert Notification.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    assert list(Notification.objects.values_list("person__username", flat=True)) == ["city"]
    with django_capture_on_commit_callbacks(execute=True):
        set_task_status(Actor(province.city_admin), task, PAUSED)
    assert sorted(
        Notification.objects.exclude(person=province.city_admin).values_list(
            "person__username", flat=True
        )
    ) == ["countya", "countyb"]
