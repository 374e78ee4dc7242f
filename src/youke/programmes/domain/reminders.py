"""Daily reminders for tasks overdue or due within ``REMIND_DAYS_AHEAD`` days.

Each admin of each responsible unit (exactly those units, not the ones above, who see the
task through their own lists) hears once per task per day: the dedupe key holds the task
and the day, so a second run the same day (a worker restart, a manual run) sends nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.programmes.domain.tasks import due_soon_q, overdue_q
from youke.programmes.enums import REMIND_DAYS_AHEAD, REMINDER_KIND
from youke.programmes.models import Task


def remind_due_tasks(today: datetime.date) -> int:
    """Send the day's reminders; returns how many notifications were written."""
    tasks = (
        Task.objects.filter(overdue_q(today) | due_soon_q(today, REMIND_DAYS_AHEAD))
        .select_related("programme")
        .prefetch_related("unit_links")
        .order_by("deadline", "id")
    )
    sent = 0
    for task in tasks:
        with transaction.atomic():
            sent += _remind(task, today)
    return sent


def _remind(task: Task, today: datetime.date) -> int:
    unit_ids = [link.unit_id for link in task.unit_links.all()]
    late = task.deadline < today
    names = {
        "task": task.title,
        "programme": task.programme.name,
        "deadline": task.deadline.isoformat(),
        "days": (today - task.deadline).days if late else (task.deadline - today).days,
    }
    if late:
        title = _("任务已逾期 %(days)d 天：%(task)s") % names
        body = (
            _(
                "%(programme)s 的任务“%(task)s”完成时限为 %(deadline)s，已逾期 %(days)d 天。"
                "请尽快落实，并在“我的任务”中填报进展和佐证材料。"
            )
            % names
        )
    else:
        title = _("任务 %(days)d 天后到期：%(task)s") % names
        body = (
            _(
                "%(programme)s 的任务“%(task)s”完成时限为 %(deadline)s。"
                "请按时完成，并在“我的任务”中填报进展和佐证材料。"
            )
            % names
        )
    url = reverse("manage_programmes:task_detail", args=[task.pk])
    sent = 0
    for person in unit_admins(unit_ids):
        made = notify(
            person,
            REMINDER_KIND,
            title=title,
            body=body,
            url=url,
            dedupe_key=f"programme-task:{task.pk}:{today.isoformat()}",
        )
        sent += made is not None
    return sent
