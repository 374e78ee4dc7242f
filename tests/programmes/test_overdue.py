"""Overdue is derived (deadline passed, still open); the daily reminder reaches exactly the
responsible units' admins of overdue and due-within-7-days tasks, once per task per day."""

from __future__ import annotations

import datetime

from tests.programmes.conftest import TODAY, make_task
from youke.core.actor import Actor
from youke.notifications.models import Notification
from youke.programmes.domain import reminders, tasks
from youke.programmes.enums import TaskStatus
from youke.programmes.models import Task
from youke.programmes.tasks import remind_due_tasks


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def test_overdue_is_derived(province, programme, area):
    late = make_task(province, programme, area, units=[province.county_a], deadline=_day(-1))
    due = make_task(province, programme, area, units=[province.county_a], deadline=_day(0))
    done = make_task(province, programme, area, units=[province.county_a], deadline=_day(-5))
    paused = make_task(province, programme, area, units=[province.county_a], deadline=_day(-5))
    owner = Actor(province.city_admin)
    tasks.set_task_status(owner, done, TaskStatus.IN_PROGRESS)
    tasks.set_task_status(owner, done, TaskStatus.COMPLETED)
    tasks.set_task_status(owner, paused, TaskStatus.PAUSED)
    flagged = {t.pk for t in Task.objects.all() if tasks.is_overdue(t, TODAY)}
    assert flagged == {late.pk}
    assert set(Task.objects.filter(tasks.overdue_q(TODAY)).values_list("pk", flat=True)) == {
        late.pk
    }
    assert not tasks.is_overdue(due, TODAY)
    figures = tasks.counts(Task.objects.all(), TODAY)
    assert figures["overdue"] == 1
    assert figures["by_status"] == {
        "not_started": 2,
        "in_progress": 0,
        "completed": 1,
        "paused": 1,
    }
    assert figures["areas"] == [
        {
            "number": 1,
            "name": "转变教育理念",
            "total": 4,
            "overdue": 1,
            "not_started": 2,
            "in_progress": 0,
            "completed": 1,
            "paused": 1,
        }
    ]


def test_reminders_reach_exactly_the_right_units_once_a_day(province, programme, area):
    late = make_task(
        province, programme, area, units=[province.county_a], deadline=_day(-3), title="逾期任务"
    )
    soon = make_task(
        province,
        programme,
        area,
        units=[province.county_b, province.school_a],
        deadline=_day(7),
        title="将到期任务",
    )
    make_task(province, programme, area, units=[province.county_a], deadline=_day(8), title="远")
    done = make_task(province, programme, area, units=[province.county_b], deadline=_day(-1))
    owner = Actor(province.city_admin)
    tasks.set_task_status(owner, done, TaskStatus.IN_PROGRESS)
    tasks.set_task_status(owner, done, TaskStatus.COMPLETED)
    Notification.objects.all().delete()  # the status notices of the set-up

    assert remind_due_tasks.delay().get() == 3
    got = sorted(Notification.objects.values_list("person__username", "title", "dedupe_key"))
    assert got == [
        ("countya", "任务已逾期 3 天：逾期任务", f"programme-task:{late.pk}:2026-06-15"),
        ("countyb", "任务 7 天后到期：将到期任务", f"programme-task:{soon.pk}:2026-06-15"),
        ("schoola", "任务 7 天后到期：将到期任务", f"programme-task:{soon.pk}:2026-06-15"),
    ]
    # The same day again: nothing new. The next day: again, and the task due on day 8 is
    # now within the week (countya hears of it too).
    assert reminders.remind_due_tasks(TODAY) == 0
    assert Notification.objects.count() == 3
    assert reminders.remind_due_tasks(_day(1)) == 4
    assert Notification.objects.count() == 7


def test_beat_runs_the_reminders_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["programmes-task-reminders"]
    assert entry["task"] == "programmes.remind_due_tasks"
