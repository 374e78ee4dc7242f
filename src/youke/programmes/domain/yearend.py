"""Year-end reports of a programme: open the 年度报告 collection for a year (sent to the
programme's responsible units), per-task entries saved as typed, the check that every entry
is complete before the return is submitted, and the consolidated document as a job.

Review (审定 approve / return with comments), versions and reminders are the collection
mechanism's own (``youke.collections.domain``); this module only adds what is particular to
a programme. The 择优推荐 chain is in ``domain.cases``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.collections import rules as collection_rules
from youke.collections.domain import tasks as collection_tasks
from youke.collections.enums import CollectionKind, ReturnState, TaskState
from youke.collections.models import CollectionReturn
from youke.collections.signals import return_submitting
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.core.models import Job
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.programmes import rules
from youke.programmes.models import (
    EvidenceFile,
    Programme,
    Task,
    TaskUnit,
    YearEndEntry,
    YearEndReport,
)

TEXT_FIELDS = {"done": 4000, "problems": 2000, "next_steps": 2000}
JOB_KIND = "programmes.consolidate_yearend"


def responsible_units(programme: Programme) -> list[Unit]:
    """Active responsible units of the programme's tasks below its owner, in tree order."""
    owner = programme.owner_unit
    return list(
        Unit.objects.filter(
            pk__in=TaskUnit.objects.filter(task__programme=programme).values("unit_id"),
            path__startswith=owner.path,
            is_active=True,
        )
        .exclude(pk=owner.pk)
        .order_by("path")
    )


@transaction.atomic
def open_report(
    actor: Actor,
    programme: Programme,
    *,
    year: int,
    deadline: datetime.date,
    instructions: str = "",
) -> YearEndReport:
    """Create and open the year's 年度报告 collection of the programme (owner's admins)."""
    if actor.person is None or not rules.can_manage_programme(actor.person, programme):
        raise PermissionDenied("programme")
    if not programme.start_date.year <= year <= programme.end_date.year:
        raise ValidationError(
            {
                "year": [
                    _("年度应在行动计划的起止年份 %(a)s–%(b)s 之间。")
                    % {"a": programme.start_date.year, "b": programme.end_date.year}
                ]
            }
        )
    if YearEndReport.objects.filter(programme=programme, year=year).exists():
        raise ValidationError(
            {
                "year": [
                    _("%(year)s 年度的进展报告已发起，请在原任务中查看和催报。") % {"year": year}
                ]
            }
        )
    units = responsible_units(programme)
    if not units:
        raise ValidationError(_("该行动计划的任务还没有下级责任单位，请先为任务指定责任单位。"))
    collection = collection_tasks.create_task(
        actor,
        issuing_unit=programme.owner_unit,
        title=_("%(name)s %(year)s年度进展报告") % {"name": programme.name, "year": year},
        kind=CollectionKind.REPORT,
        instructions=instructions
        or _(
            "请逐项填写本单位负责任务的年度完成情况、完成百分比、存在问题和下一步打算，并上传年度报告文档。"
        ),
        deadline=deadline,
    )
    report = YearEndReport.objects.create(programme=programme, year=year, collection=collection)
    collection_tasks.open_task(actor, collection, units)
    record(
        actor,
        AuditAction.CREATE,
        report,
        unit=programme.owner_unit,
        after={"year": year, "collection": collection.pk, "units": len(units)},
    )
    return report


def report_of(collection_return: CollectionReturn) -> YearEndReport | None:
    return (
        YearEndReport.objects.filter(collection_id=collection_return.task_id)
        .select_related("programme__owner_unit", "collection")
        .first()
    )


def tasks_for(report: YearEndReport, unit_id: int):
    """The programme's tasks this unit is responsible for, in ledger order."""
    return (
        Task.objects.filter(programme_id=report.programme_id, unit_links__unit_id=unit_id)
        .select_related("area")
        .order_by("area__number", "id")
    )


def entry_rows(report: YearEndReport, collection_return: CollectionReturn) -> list[tuple]:
    """(task, entry or None) per task of the return's unit, for the form and the page."""
    entries = {e.task_id: e for e in collection_return.yearend_entries.prefetch_related("evidence")}
    return [(task, entries.get(task.pk)) for task in tasks_for(report, collection_return.unit_id)]


def entry_errors(report: YearEndReport, collection_return: CollectionReturn) -> dict:
    """What still blocks submitting, keyed ``<task id>-<field>``; empty when complete."""
    errors: dict[str, list[str]] = {}
    for task, entry in entry_rows(report, collection_return):
        if entry is None or not entry.done:
            errors[f"{task.pk}-done"] = [
                _("请填写任务“%(task)s”的完成情况。") % {"task": task.title}
            ]
        if entry is None or entry.percent is None:
            errors[f"{task.pk}-percent"] = [
                _("请填写任务“%(task)s”的完成百分比（0–100 的整数）。") % {"task": task.title}
            ]
        if entry is None or not entry.next_steps:
            errors[f"{task.pk}-next_steps"] = [
                _("请填写任务“%(task)s”的下一步打算。") % {"task": task.title}
            ]
    return errors


def _parse_percent(raw) -> tuple[int | None, str]:
    text = str(raw if raw is not None else "").strip().rstrip("%％")
    if not text:
        return None, ""
    try:
        value = int(text)
    except ValueError:
        return None, _("完成百分比须为 0–100 的整数（例如 60），请修改后再保存。")
    if not 0 <= value <= 100:
        return None, _("完成百分比须在 0 到 100 之间，请修改后再保存。")
    return value, ""


@transaction.atomic
def save_entries(
    actor: Actor, collection_return: CollectionReturn, rows: dict[int, dict]
) -> dict[str, list[str]]:
    """Keep what was typed for each task (a bad percentage keeps the rest of the row and
    the previously saved percentage) and return the problems still to fix."""
    locked = (
        CollectionReturn.objects.select_for_update()
        .select_related("task", "unit")
        .get(pk=collection_return.pk)
    )
    report = report_of(locked)
    if report is None:
        raise ValidationError(_("该报送不是行动计划的年度报告。"))
    if actor.person is None or not collection_rules.can_fill(actor.person, locked):
        raise PermissionDenied("collection return")
    if locked.task.state != TaskState.OPEN:
        raise ValidationError(_("该年度报告任务已结束，不能再修改；如需补报请联系上级单位。"))
    if locked.state not in (ReturnState.PENDING, ReturnState.RETURNED):
        raise ValidationError(
            _("该报送当前为“%(state)s”，不能修改；退回后才能修改。")
            % {"state": locked.get_state_display()}
        )
    problems: dict[str, list[str]] = {}
    tasks = {task.pk: task for task in tasks_for(report, locked.unit_id)}
    evidence_ok = set(
        EvidenceFile.objects.filter(task_id__in=tasks, unit_id=locked.unit_id).values_list(
            "pk", "task_id"
        )
    )
    for task_id, values in rows.items():
        if task_id not in tasks:
            continue  # not this unit's task: nothing to keep
        entry, _created = YearEndEntry.objects.get_or_create(
            collection_return=locked, task_id=task_id
        )
        for field, limit in TEXT_FIELDS.items():
            if field in values:
                setattr(entry, field, str(values[field] or "").strip()[:limit])
        if "percent" in values:
            percent, problem = _parse_percent(values["percent"])
            if problem:
                problems[f"{task_id}-percent"] = [problem]
            else:
                entry.percent = percent
        entry.save()
        if "evidence" in values:
            wanted = {int(i) for i in values["evidence"] if str(i).isdigit()}
            entry.evidence.set([i for i in wanted if (i, task_id) in evidence_ok])
    locked.save(update_fields=["updated_at"])
    record(actor, AuditAction.UPDATE, locked, unit=locked.unit, after={"entries": len(rows)})
    missing = entry_errors(report, locked)
    for key, messages in problems.items():
        missing[key] = messages  # the bad input's message, not "please fill"
    return missing


@receiver(return_submitting)
def check_entries_before_submitting(sender, collection_return, **kwargs) -> None:
    """A year-end return is submitted only with every task's entry complete."""
    report = report_of(collection_return)
    if report is None:
        return
    errors = entry_errors(report, collection_return)
    if errors:
        raise ValidationError(
            _("请先填写完本单位每项任务的年度进展（尚缺 %(n)s 项），保存后再上传年度报告。")
            % {"n": len(errors)}
        )


# --- consolidation (汇总) ---------------------------------------------------------------------


def consolidated_rows(report: YearEndReport) -> list[dict]:
    """Every (task, responsible unit) pair of the report grouped by area → task → unit, with
    the unit's entry when its return has been submitted (drafts are not consolidated)."""
    returns = {
        r.unit_id: r
        for r in CollectionReturn.objects.filter(task_id=report.collection_id).select_related(
            "task"
        )
    }
    entries = {
        (e.collection_return.unit_id, e.task_id): e
        for e in YearEndEntry.objects.filter(
            collection_return__task_id=report.collection_id,
            collection_return__state__in=(ReturnState.SUBMITTED, ReturnState.APPROVED),
        )
        .select_related("collection_return")
        .prefetch_related("evidence")
    }
    links = (
        TaskUnit.objects.filter(task__programme_id=report.programme_id, unit_id__in=returns)
        .select_related("task__area", "unit")
        .order_by("task__area__number", "task_id", "unit__path")
    )
    rows = []
    for link in links:
        entry = entries.get((link.unit_id, link.task_id))
        collection_return = returns[link.unit_id]
        rows.append(
            {
                "area": f"{link.task.area.number}. {link.task.area.name}",
                "task": link.task.title,
                "unit": link.unit.name,
                "status": str(collection_return.status_label),
                "done": entry.done if entry else "",
                "percent": entry.percent if entry else None,
                "problems": entry.problems if entry else "",
                "next_steps": entry.next_steps if entry else "",
                "evidence": "、".join(f.name for f in entry.evidence.all()) if entry else "",
            }
        )
    return rows


XLSX_HEADERS = tuple(
    gettext_lazy(h)
    for h in (
        "任务领域",
        "任务",
        "责任单位",
        "报送状态",
        "完成情况",
        "完成百分比",
        "存在问题",
        "下一步打算",
        "佐证材料",
    )
)


def consolidated_xlsx(report: YearEndReport, rows: list[dict]) -> bytes:
    import io

    from openpyxl import Workbook

    from youke.core.tabular import safe_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("年度进展汇总"))
    sheet.append([safe_cell(report.collection.title)])
    sheet.append([_("牵头单位"), report.programme.owner_unit.name, _("年度"), report.year])
    sheet.append([str(h) for h in XLSX_HEADERS])
    for row in rows:
        sheet.append(
            [
                safe_cell(row["area"]),
                safe_cell(row["task"]),
                safe_cell(row["unit"]),
                row["status"],
                safe_cell(row["done"]),
                row["percent"],
                safe_cell(row["problems"]),
                safe_cell(row["next_steps"]),
                safe_cell(row["evidence"]),
            ]
        )
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def consolidated_pdf(report: YearEndReport, rows: list[dict]) -> bytes:
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from youke.core.pdf_fonts import chinese_font

    font = chinese_font().name
    title = ParagraphStyle("t", fontName=font, fontSize=17, leading=26, alignment=1, wordWrap="CJK")
    h1 = ParagraphStyle("h1", fontName=font, fontSize=13, leading=22, wordWrap="CJK")
    h2 = ParagraphStyle("h2", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK")
    body = ParagraphStyle(
        "b", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", leftIndent=12
    )

    def para(text: str, style) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [
        para(report.collection.title, title),
        para(
            _("牵头单位：%(unit)s　汇总时间：%(at)s")
            % {
                "unit": report.programme.owner_unit.name,
                "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            body,
        ),
        Spacer(1, 6 * mm),
    ]
    area = task = None
    for row in rows:
        if row["area"] != area:
            area = row["area"]
            story.append(para(area, h1))
        if row["task"] != task:
            task = row["task"]
            story.append(para(task, h2))
        percent = f"{row['percent']}%" if row["percent"] is not None else "—"
        story.append(
            para(
                _("【%(unit)s】（%(status)s，完成 %(percent)s）")
                % {"unit": row["unit"], "status": row["status"], "percent": percent},
                body,
            )
        )
        for label, key in (
            (_("完成情况"), "done"),
            (_("存在问题"), "problems"),
            (_("下一步打算"), "next_steps"),
            (_("佐证材料"), "evidence"),
        ):
            if row[key]:
                story.append(para(f"{label}：{row[key]}", body))
    if not rows:
        story.append(para(_("尚无责任单位。"), body))
    handle = io.BytesIO()
    SimpleDocTemplate(
        handle, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=report.collection.title
    ).build(story)
    return handle.getvalue()


def start_consolidation(actor: Actor, report: YearEndReport) -> Job:
    """Queue the consolidated PDF and xlsx (the programme's managers only)."""
    if actor.person is None or not rules.can_manage_programme(actor.person, report.programme):
        raise PermissionDenied("programme")
    return jobs.create_job(
        actor, JOB_KIND, unit=report.programme.owner_unit, params={"report": report.pk}
    )


@jobs.register(JOB_KIND)
def consolidate(job: Job, progress: jobs.JobProgress) -> dict:
    from django.core.files.base import ContentFile

    report = (
        YearEndReport.objects.select_related("programme__owner_unit", "collection")
        .filter(pk=job.params.get("report"))
        .first()
    )
    person = job.created_by
    if report is None or person is None or not rules.can_manage_programme(person, report.programme):
        raise jobs.JobError(_("该年度报告已不存在或不在您的管理范围内，无法汇总。"))
    rows = consolidated_rows(report)
    progress.set_total(len(rows))
    stem = f"yearend-{report.programme_id}-{report.year}"
    report.xlsx.save(f"{stem}.xlsx", ContentFile(consolidated_xlsx(report, rows)), save=False)
    report.pdf.save(f"{stem}.pdf", ContentFile(consolidated_pdf(report, rows)), save=False)
    report.consolidated_at = timezone.now()
    report.save(update_fields=["xlsx", "pdf", "consolidated_at"])
    progress.advance(len(rows))
    filed = sum(1 for row in rows if row["done"])
    return {
        "rows": len(rows),
        "message": _("汇总完成：共 %(n)s 条任务进展，其中已报送 %(f)s 条。")
        % {"n": len(rows), "f": filed},
    }


CONSOLIDATED_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def consolidated_file(report, kind: str):
    """(open file, content type, download name) of the report's consolidated PDF or xlsx;
    None before the consolidation job has built it."""
    stored = {"pdf": report.pdf, "xlsx": report.xlsx}.get(kind)
    if not stored:
        return None
    name = f"yearend-{report.programme_id}-{report.year}.{kind}"
    return stored.open("rb"), CONSOLIDATED_TYPES[kind], name
