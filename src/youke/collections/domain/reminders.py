"""Reminders to the units that still owe their return (未报送 or 已退回), and only to them:
by hand from the task page, and by the daily beat job ``remind_days`` before the deadline."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.collections import rules
from youke.collections.enums import MISSING_STATES, TaskState
from youke.collections.models import CollectionReturn, CollectionTask
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs.domain.units import PermissionDenied


def missing_unit_ids(task: CollectionTask) -> list[int]:
    return list(
        CollectionReturn.objects.filter(task=task, state__in=MISSING_STATES)
        .order_by("unit__path")
        .values_list("unit_id", flat=True)
    )


def _send(task: CollectionTask, dedupe_key: str) -> tuple[int, int]:
    """Notify the admins of the missing units; returns (units, people newly notified)."""
    units = missing_unit_ids(task)
    names = {
        "unit": task.issuing_unit.name,
        "title": task.title,
        "deadline": task.deadline.isoformat(),
    }
    url = reverse("manage_collections:task_detail", args=[task.pk])
    people = 0
    for person in unit_admins(units):
        made = notify(
            person,
            NotificationKind.DEADLINE_SOON,
            title=_("提醒：请报送 %(title)s") % names,
            body=_("%(unit)s 征集的“%(title)s”截止日期为 %(deadline)s，本单位尚未完成报送。")
            % names,
            url=url,
            dedupe_key=dedupe_key,
        )
        people += made is not None
    return len(units), people


@transaction.atomic
def remind_missing(actor: Actor, task: CollectionTask) -> tuple[int, int]:
    """By hand: once per person per day (a second click the same day adds nothing)."""
    task = CollectionTask.objects.select_related("issuing_unit").get(pk=task.pk)
    if actor.person is None or not rules.can_manage_task(actor.person, task):
        raise PermissionDenied("collection")
    if task.state != TaskState.OPEN:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("只有报送中的任务可以发送提醒。"))
    today = timezone.localdate()
    units, people = _send(task, f"collection-remind:{task.pk}:{today.isoformat()}")
    record(actor, AuditAction.UPDATE, task, unit=task.issuing_unit, after={"reminded": units})
    return units, people


def remind_due() -> int:
    """Daily (beat): open tasks within ``remind_days`` of their deadline, once per task."""
    today = timezone.localdate()
    sent = 0
    tasks = (
        CollectionTask.objects.filter(state=TaskState.OPEN, remind_days__gt=0, deadline__gte=today)
        .select_related("issuing_unit")
        .order_by("pk")
    )
    for task in tasks:
        if (task.deadline - today).days <= task.remind_days:
            with transaction.atomic():
                sent += _send(task, f"collection-due:{task.pk}")[1]
    return sent
