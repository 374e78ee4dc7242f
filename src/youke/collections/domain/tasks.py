"""Collection tasks: create a draft, open it (which creates one return per target unit and
notifies their admins), close it; the status list of a task.

``set_task_state`` is the only writer of ``CollectionTask.state``: it checks
``TASK_TRANSITIONS`` under a row lock, writes the audit log and notifies in the same
transaction (e-mail leaves after commit).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.collections.enums import TASK_TRANSITIONS, CollectionKind, ReturnStatus, TaskState
from youke.collections.models import CollectionReturn, CollectionTask
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit

MAX_REMIND_DAYS = 60


def target_units(issuing_unit: Unit, target_kind: str = "") -> QuerySet[Unit]:
    """The units a task goes to: those directly below, or every unit of a kind below."""
    units = Unit.objects.filter(path__under=issuing_unit.path, is_active=True).exclude(
        pk=issuing_unit.pk
    )
    if target_kind:
        return units.filter(kind=target_kind).order_by("path")
    return units.filter(depth=issuing_unit.depth + 1).order_by("path")


def _check_fields(fields: dict, issuing_unit: Unit) -> None:
    errors: dict[str, list[str]] = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = [_("请填写标题，例如“关于报送2026年一师一优课活动联系表的通知”。")]
    if fields.get("kind") not in CollectionKind.values:
        errors["kind"] = [_("请选择报送内容：联系表、实施方案或年度报告。")]
    deadline = fields.get("deadline")
    if not isinstance(deadline, datetime.date) or deadline < timezone.localdate():
        errors["deadline"] = [_("截止日期不能早于今天，请重新选择。")]
    days = fields.get("remind_days", 3)
    if not isinstance(days, int) or not 0 <= days <= MAX_REMIND_DAYS:
        errors["remind_days"] = [
            _("自动提醒天数应为 0 到 %(n)s 之间的整数（0 表示不自动提醒）。")
            % {"n": MAX_REMIND_DAYS}
        ]
    if not errors and not target_units(issuing_unit, fields.get("target_kind", "")).exists():
        errors["target_kind"] = [
            _("%(unit)s 下没有符合条件的单位，请选择其他报送单位类型。")
            % {"unit": issuing_unit.name}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_task(actor: Actor, *, issuing_unit: Unit, campaign=None, **fields) -> CollectionTask:
    """A draft task of ``issuing_unit`` (which must be the actor's); opened separately."""
    if actor.person is None or not org_rules.covers(actor.person, issuing_unit):
        raise PermissionDenied("unit")
    fields.setdefault("target_kind", "")
    fields.setdefault("remind_days", 3)
    _check_fields(fields, issuing_unit)
    task = CollectionTask.objects.create(
        issuing_unit=issuing_unit,
        campaign=campaign,
        title=fields["title"].strip(),
        kind=fields["kind"],
        instructions=fields.get("instructions", ""),
        deadline=fields["deadline"],
        target_kind=fields["target_kind"],
        remind_days=fields["remind_days"],
        created_by=actor.person,
    )
    record(
        actor,
        AuditAction.CREATE,
        task,
        unit=issuing_unit,
        after={"title": task.title, "kind": task.kind, "deadline": str(task.deadline)},
    )
    return task


@transaction.atomic
def set_task_state(
    actor: Actor, task: CollectionTask, new_state: str, units: list[Unit] | None = None
) -> CollectionTask:
    """``units`` (on opening only) sends the task to these units instead of its targets:
    each must be an active unit below the issuing unit (e.g. a programme's responsible
    units for its year-end report)."""
    task = CollectionTask.objects.select_for_update().select_related("issuing_unit").get(pk=task.pk)
    if actor.person is not None and not org_rules.covers(actor.person, task.issuing_unit):
        raise PermissionDenied("collection")
    if new_state not in TASK_TRANSITIONS[task.state]:
        raise ValidationError(
            _("任务当前为“%(state)s”，不能改为“%(new)s”。")
            % {"state": task.get_state_display(), "new": TaskState(new_state).label}
        )
    before = task.state
    now = timezone.now()
    task.state = new_state
    changed = ["state"]
    if new_state == TaskState.OPEN:
        if task.deadline < timezone.localdate():
            raise ValidationError(_("截止日期已过，请先修改截止日期再发布。"))
        if units is None:
            units = list(target_units(task.issuing_unit, task.target_kind))
        elif any(
            not unit.is_active
            or unit.pk == task.issuing_unit.pk
            or not unit.path.startswith(task.issuing_unit.path)
            for unit in units
        ):
            raise ValidationError(_("报送单位须是发布单位下级的在用单位，请核对后再发布。"))
        if not units:
            raise ValidationError(_("没有可报送的下级单位，无法发布。"))
        CollectionReturn.objects.bulk_create(
            [CollectionReturn(task=task, unit=unit) for unit in units]
        )
        task.opened_at = now
        changed.append("opened_at")
    elif new_state == TaskState.CLOSED:
        task.closed_at = now
        changed.append("closed_at")
    task.save(update_fields=changed)
    record(
        actor,
        AuditAction.UPDATE,
        task,
        unit=task.issuing_unit,
        before={"state": before},
        after={"state": new_state},
    )
    if new_state == TaskState.OPEN:
        _notify_opened(task, [unit.pk for unit in units])
    return task


def open_task(
    actor: Actor, task: CollectionTask, units: list[Unit] | None = None
) -> CollectionTask:
    return set_task_state(actor, task, TaskState.OPEN, units)


def close_task(actor: Actor, task: CollectionTask) -> CollectionTask:
    return set_task_state(actor, task, TaskState.CLOSED)


def _notify_opened(task: CollectionTask, unit_ids: list[int]) -> None:
    url = reverse("manage_collections:task_detail", args=[task.pk])
    names = {
        "unit": task.issuing_unit.name,
        "title": task.title,
        "kind": task.get_kind_display(),
        "deadline": task.deadline.isoformat(),
    }
    for person in unit_admins(unit_ids):
        notify(
            person,
            NotificationKind.COLLECTION,
            title=_("%(unit)s 征集%(kind)s：%(title)s") % names,
            body=_("请于 %(deadline)s 前报送%(kind)s。") % names,
            url=url,
            dedupe_key=f"collection-open:{task.pk}",
        )


# --- the status list ----------------------------------------------------------------------


def status_rows(
    task: CollectionTask, returns: QuerySet[CollectionReturn]
) -> list[CollectionReturn]:
    """The task's returns (already scoped by the caller) with their unit and latest version
    number, in tree order: one query whatever the number of units."""
    rows = list(
        returns.filter(task=task)
        .select_related("unit")
        .annotate(latest_version=Max("versions__number"))
        .order_by("unit__path")
    )
    for row in rows:
        row.task = task  # the status reads the deadline; no query per row
    return rows


def status_counts(rows: list[CollectionReturn]) -> dict[str, int]:
    counts = Counter(row.status for row in rows)
    return {status: counts.get(status, 0) for status in ReturnStatus.values}
