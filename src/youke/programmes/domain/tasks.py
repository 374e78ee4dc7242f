"""Tasks of the ledger: create, change status (the one function that writes ``status``),
progress notes and evidence files; what is overdue is derived here.

A status change locks the task row, checks the transition table and who may make the move
(``OWNER_ONLY`` moves need the owner unit's admin), writes the audit log and, once the
transaction commits, tells the other side: the owner hears from the responsible units and
the responsible units hear from the owner.
"""

from __future__ import annotations

import datetime
import mimetypes
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.domain.uploaded import sha256_of_upload
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.programmes import rules
from youke.programmes.enums import (
    OPEN_STATUSES,
    OWNER_ONLY,
    STATUS_NOTICE_KIND,
    TASK_TRANSITIONS,
    TaskStatus,
)
from youke.programmes.models import EvidenceFile, Programme, ProgressNote, Task, TaskArea, TaskUnit

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_SUFFIXES = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".jpg", ".jpeg", ".png", ".zip"}
)


# --- overdue (derived) --------------------------------------------------------------------------


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def is_overdue(task: Task, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return task.status in OPEN_STATUSES and task.deadline < today


def due_soon_q(today: datetime.date, days: int) -> Q:
    return Q(
        status__in=OPEN_STATUSES,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=days),
    )


def filter_tasks(
    tasks: QuerySet[Task],
    *,
    area: int | None = None,
    unit: Unit | None = None,
    status: str = "",
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Task]:
    """The list filters of the pages and the API; ``unit`` covers its subtree."""
    if area:
        tasks = tasks.filter(area_id=area)
    if unit is not None:
        tasks = tasks.filter(
            pk__in=TaskUnit.objects.filter(unit__path__under=unit.path).values("task_id")
        )
    if status:
        tasks = tasks.filter(status=status)
    if overdue:
        tasks = tasks.filter(overdue_q(today or timezone.localdate()))
    return tasks


# --- create ------------------------------------------------------------------------------------


@transaction.atomic
def create_task(
    actor: Actor,
    programme: Programme,
    *,
    area: TaskArea | None,
    title: str,
    units: list[Unit],
    deadline: datetime.date | None,
    description: str = "",
    lead_department: str = "",
) -> Task:
    if actor.person is None or not rules.can_manage_programme(actor.person, programme):
        raise PermissionDenied("programme")
    errors: dict[str, str] = {}
    if area is None or area.programme_id != programme.pk:
        errors["area"] = _("请选择本行动计划的任务领域。")
    if not title.strip():
        errors["title"] = _("请填写任务名称。")
    if not units:
        errors["units"] = _("请至少选择一个责任单位。")
    outside = [u.name for u in units if not u.path.startswith(programme.owner_unit.path)]
    if outside:
        errors["units"] = _(
            "责任单位须是牵头单位（%(owner)s）或其下级单位：%(names)s 不在范围内。"
        ) % {
            "owner": programme.owner_unit.name,
            "names": "、".join(outside),
        }
    if deadline is None:
        errors["deadline"] = _("请填写完成时限。")
    elif not programme.start_date <= deadline <= programme.end_date:
        errors["deadline"] = _("完成时限须在行动计划的起止日期（%(start)s 至 %(end)s）之内。") % {
            "start": programme.start_date,
            "end": programme.end_date,
        }
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        programme=programme,
        area=area,
        title=title.strip(),
        description=description.strip(),
        lead_department=lead_department.strip(),
        deadline=deadline,
    )
    TaskUnit.objects.bulk_create(TaskUnit(task=task, unit=unit) for unit in units)
    record(
        actor,
        AuditAction.CREATE,
        task,
        unit=programme.owner_unit,
        after={
            "title": task.title,
            "units": [u.code for u in units],
            "deadline": deadline.isoformat(),
        },
    )
    return task


# --- status ------------------------------------------------------------------------------------


@transaction.atomic
def set_task_status(actor: Actor, task: Task, new_status: str, *, reason: str = "") -> Task:
    """The only writer of ``Task.status``."""
    task = Task.objects.select_for_update().select_related("programme__owner_unit").get(pk=task.pk)
    person = actor.person
    if person is None or not rules.can_view_task(person, task):
        raise PermissionDenied("task")
    old = task.status
    if new_status not in TaskStatus.values:
        raise ValidationError({"status": _("状态不正确：请选择未开始、进行中、已完成或已暂停。")})
    if new_status not in TASK_TRANSITIONS[old]:
        raise ValidationError(
            {
                "status": _("任务当前为“%(old)s”，不能改为“%(new)s”。")
                % {"old": TaskStatus(old).label, "new": TaskStatus(new_status).label}
            }
        )
    if old == TaskStatus.PAUSED and new_status != task.paused_from:
        raise ValidationError(
            {
                "status": _("暂停的任务只能恢复到暂停前的状态“%(prev)s”。")
                % {"prev": TaskStatus(task.paused_from).label}
            }
        )
    is_owner = rules.can_manage_programme(person, task.programme)
    if (old, new_status) in OWNER_ONLY and not is_owner:
        raise ValidationError(
            {
                "status": _("暂停、恢复和重新打开任务须由牵头单位（%(unit)s）的管理员操作。")
                % {"unit": task.programme.owner_unit.name}
            }
        )
    now = timezone.now()
    task.paused_from = old if new_status == TaskStatus.PAUSED else ""
    if new_status == TaskStatus.COMPLETED:
        task.completed_at = task.completed_at if old == TaskStatus.PAUSED else now
    elif new_status != TaskStatus.PAUSED:
        task.completed_at = None
    task.status = new_status
    task.save(update_fields=["status", "paused_from", "completed_at", "updated_at"])
    record(
        actor,
        AuditAction.UPDATE,
        task,
        unit=task.programme.owner_unit,
        before={"status": old},
        after={"status": new_status},
        reason=reason,
    )
    task_id, by_owner, name = task.pk, is_owner, actor.name
    transaction.on_commit(
        lambda: _notify_status(task_id, old, new_status, by_owner=by_owner, actor_name=name)
    )
    return task


def _notify_status(task_id: int, old: str, new: str, *, by_owner: bool, actor_name: str) -> None:
    task = Task.objects.select_related("programme__owner_unit").filter(pk=task_id).first()
    if task is None:
        return
    if by_owner:
        recipients = unit_admins(task.unit_links.values_list("unit_id", flat=True))
    else:
        recipients = unit_admins([task.programme.owner_unit_id])
    names = {
        "task": task.title,
        "old": TaskStatus(old).label,
        "new": TaskStatus(new).label,
        "who": actor_name,
        "programme": task.programme.name,
    }
    url = reverse("manage_programmes:task_detail", args=[task.pk])
    for person in recipients:
        notify(
            person,
            STATUS_NOTICE_KIND,
            title=_("任务状态变更：%(task)s") % names,
            body=_("%(programme)s：%(who)s 将任务由“%(old)s”改为“%(new)s”。") % names,
            url=url,
        )


# --- notes and evidence ---------------------------------------------------------------------


def _reporting_unit(person, task: Task, unit: Unit | None) -> Unit:
    """The unit a note or file is filed for: one of the person's responsible units, or the
    owner unit for the owner's admins who hold none of them."""
    mine = rules.reporting_units(person, task)
    if unit is not None:
        if unit in mine or (
            unit.pk == task.programme.owner_unit_id
            and rules.can_manage_programme(person, task.programme)
        ):
            return unit
        raise ValidationError({"unit": _("请选择您管理的责任单位。")})
    if mine:
        return mine[0]
    if rules.can_manage_programme(person, task.programme):
        return task.programme.owner_unit
    raise PermissionDenied("task")


@transaction.atomic
def add_note(
    actor: Actor,
    task: Task,
    *,
    text: str,
    date: datetime.date | None = None,
    percent: int | None = None,
    unit: Unit | None = None,
) -> ProgressNote:
    person = actor.person
    if person is None or not rules.can_report_on_task(person, task):
        raise PermissionDenied("task")
    errors: dict[str, str] = {}
    today = timezone.localdate()
    date = date or today
    if not text.strip():
        errors["text"] = _("请填写工作进展。")
    if date > today:
        errors["date"] = _("进展日期不能晚于今天（%(today)s）。") % {"today": today}
    if percent is not None and not 0 <= percent <= 100:
        errors["percent"] = _("完成百分比须在 0 到 100 之间。")
    if errors:
        raise ValidationError(errors)
    note = ProgressNote.objects.create(
        task=task,
        unit=_reporting_unit(person, task, unit),
        author=person,
        date=date,
        text=text.strip(),
        percent=percent,
    )
    record(
        actor,
        AuditAction.CREATE,
        note,
        unit=note.unit,
        after={"task": task.pk, "date": date.isoformat(), "percent": percent},
    )
    return note


@transaction.atomic
def add_evidence(
    actor: Actor, task: Task, upload: UploadedFile, *, unit: Unit | None = None
) -> EvidenceFile:
    person = actor.person
    if person is None or not rules.can_report_on_task(person, task):
        raise PermissionDenied("task")
    name = PurePath(upload.name or "").name[:200]
    suffix = PurePath(name).suffix.lower()
    if not PurePath(name).stem:
        raise ValidationError({"file": _("请选择要上传的文件（文件名不能只有扩展名）。")})
    if suffix not in EVIDENCE_SUFFIXES:
        raise ValidationError(
            {
                "file": _("不支持该文件类型（%(suffix)s）；请上传 %(allowed)s 文件。")
                % {"suffix": suffix or "—", "allowed": "、".join(sorted(EVIDENCE_SUFFIXES))}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("文件是空的（0 字节），请重新选择。")})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("文件超过 20 MB，请压缩或拆分后再上传。")})
    evidence = EvidenceFile(
        task=task,
        unit=_reporting_unit(person, task, unit),
        name=name,
        size=upload.size,
        sha256=sha256_of_upload(upload),
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        uploaded_by=person,
    )
    evidence.file.save(f"{evidence.sha256[:16]}{suffix}", upload, save=False)
    # Every check ran before the file was written, so only a failing database write can
    # leave it in storage without a row.
    evidence.save()
    record(
        actor,
        AuditAction.CREATE,
        evidence,
        unit=evidence.unit,
        after={"task": task.pk, "name": name, "size": evidence.size, "sha256": evidence.sha256},
    )
    return evidence


# --- the programme page's counts ------------------------------------------------------------


def counts(tasks: QuerySet[Task], today: datetime.date | None = None) -> dict:
    """Counts by status and by area (with overdue), over the tasks the viewer may see."""
    from django.db.models import Count

    today = today or timezone.localdate()
    by_status = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    overdue = tasks.filter(overdue_q(today)).count()
    rows = (
        tasks.order_by()
        .values("area_id", "area__number", "area__name", "status")
        .annotate(n=Count("id"))
    )
    late = dict(
        tasks.filter(overdue_q(today)).order_by().values_list("area_id").annotate(n=Count("id"))
    )
    areas: dict[int, dict] = {}
    for row in rows:
        area = areas.setdefault(
            row["area_id"],
            {
                "number": row["area__number"],
                "name": row["area__name"],
                "total": 0,
                "overdue": late.get(row["area_id"], 0),
                **{s: 0 for s in TaskStatus.values},
            },
        )
        area[row["status"]] += row["n"]
        area["total"] += row["n"]
    return {
        "by_status": {s: by_status.get(s, 0) for s in TaskStatus.values},
        "overdue": overdue,
        "total": sum(by_status.values()),
        "areas": sorted(areas.values(), key=lambda a: a["number"]),
    }
