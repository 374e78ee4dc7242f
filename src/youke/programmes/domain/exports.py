"""The task ledger (台账) as xlsx, in the layout of the plan's task list."""

from __future__ import annotations

import datetime
import io

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.programmes.domain.tasks import is_overdue
from youke.programmes.enums import TaskStatus
from youke.programmes.models import ProgressNote, Task

HEADERS = tuple(
    gettext_lazy(h)
    for h in ("序号", "任务领域", "任务", "牵头部门", "责任单位", "完成时限", "状态", "最新进展")
)


def with_latest_note(tasks: QuerySet[Task]) -> QuerySet[Task]:
    latest = ProgressNote.objects.filter(task=OuterRef("pk")).order_by("-date", "-id")
    return tasks.annotate(
        latest_text=Subquery(latest.values("text")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
        latest_percent=Subquery(latest.values("percent")[:1]),
    )


def status_text(task: Task, today: datetime.date) -> str:
    label = str(TaskStatus(task.status).label)
    return _("%(status)s（逾期）") % {"status": label} if is_overdue(task, today) else label


def latest_text(task: Task) -> str:
    if not task.latest_text:
        return ""
    percent = f"（{task.latest_percent}%）" if task.latest_percent is not None else ""
    return f"{task.latest_date.isoformat()} {task.latest_text}{percent}"


def ledger_rows(tasks: QuerySet[Task], today: datetime.date | None = None) -> list[list]:
    today = today or timezone.localdate()
    tasks = (
        with_latest_note(tasks)
        .select_related("area")
        .prefetch_related("units")
        .order_by("area__number", "id")
    )
    rows = []
    for index, task in enumerate(tasks, start=1):
        rows.append(
            [
                index,
                f"{task.area.number}. {task.area.name}",
                task.title,
                task.lead_department,
                "、".join(unit.name for unit in sorted(task.units.all(), key=lambda u: u.path)),
                task.deadline.isoformat(),
                status_text(task, today),
                latest_text(task),
            ]
        )
    return rows


def ledger_xlsx(programme, tasks: QuerySet[Task], today: datetime.date | None = None) -> bytes:
    from openpyxl import Workbook

    from youke.core.tabular import safe_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("工作台账"))
    sheet.append([safe_cell(_("%(name)s 工作台账和任务清单") % {"name": programme.name})])
    sheet.append(
        [
            _("牵头单位"),
            programme.owner_unit.name,
            _("导出日期"),
            (today or timezone.localdate()).isoformat(),
        ]
    )
    sheet.append([str(h) for h in HEADERS])
    for row in ledger_rows(tasks, today):
        sheet.append([safe_cell(value) for value in row])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()
