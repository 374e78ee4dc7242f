"""Year-end reports of a programme (年度进展报告) and the 择优推荐 of typical cases.

The bureau opens a year's report, follows every unit's return, consolidates them (PDF and
xlsx, a job) and recommends approved returns or single entries upward; a unit fills one
entry per task; the level above decides and forwards cases. Rules live in
``youke.programmes.domain.yearend`` and ``domain.cases``; these views parse and render.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.collections import rules as collection_rules
from youke.collections.domain.tasks import status_counts, status_rows
from youke.collections.enums import ReturnState, TaskState
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import admin_required, paginate
from youke.orgs.domain.units import PermissionDenied
from youke.programmes import rules
from youke.programmes.access import (
    access_case,
    access_managed_programme,
    access_programme,
    access_report,
    access_yearend_return,
)
from youke.programmes.domain import cases, yearend
from youke.programmes.enums import CaseState
from youke.programmes.models import EvidenceFile, YearEndEntry, YearEndReport


@admin_required
def report_list(request, programme_id: int):
    programme = access_programme(request.user, programme_id)
    manages = rules.can_manage_programme(request.user, programme)
    if not manages:
        raise Http404("programme")
    reports = YearEndReport.objects.filter(programme=programme).select_related("collection")
    today = timezone.localdate()
    return render(
        request,
        "manage/programmes/yearend_list.html",
        {
            "programme": programme,
            "reports": reports,
            "default_year": min(
                max(today.year, programme.start_date.year), programme.end_date.year
            ),
            "default_deadline": (today + datetime.timedelta(days=30)).isoformat(),
            "units": yearend.responsible_units(programme),
        },
    )


@admin_required
@require_POST
def report_open(request, programme_id: int):
    programme = access_managed_programme(request.user, programme_id)
    back = redirect("manage_programmes:yearend_list", programme.pk)
    try:
        year = int(request.POST.get("year", ""))
        deadline = datetime.date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, _("请填写年度（如 2026）和截止日期（如 2026-12-31）。"))
        return back
    try:
        report = yearend.open_report(
            Actor.from_request(request),
            programme,
            year=year,
            deadline=deadline,
            instructions=request.POST.get("instructions", "").strip(),
        )
    except PermissionDenied as exc:
        raise Http404("programme") from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return back
    messages.success(request, _("已向责任单位发起年度进展报告，并已通知各单位。"))
    return redirect("manage_programmes:yearend_detail", report.pk)


@admin_required
def report_detail(request, report_id: int):
    report = access_report(request.user, report_id)
    rows = status_rows(report.collection, collection_rules.returns_visible_to(request.user))
    sent = (
        cases.cases_visible_to(request.user)
        .filter(report=report, previous__isnull=True)
        .select_related("to_unit", "collection_return__unit", "entry__task")
    )
    return render(
        request,
        "manage/programmes/yearend_detail.html",
        {
            "report": report,
            "programme": report.programme,
            "rows": rows,
            "counts": status_counts(rows),
            "cases": sent,
            "consolidated": yearend.consolidated_rows(report),
        },
    )


@admin_required
@require_POST
def report_consolidate(request, report_id: int):
    report = access_report(request.user, report_id)
    return run_action(
        request,
        lambda: yearend.start_consolidation(Actor.from_request(request), report),
        _("已开始汇总，完成后可在本页下载 PDF 和 xlsx。"),
        redirect("manage_programmes:yearend_detail", report.pk),
    )


@admin_required
def report_file(request, report_id: int, kind: str):
    report = access_report(request.user, report_id)
    found = yearend.consolidated_file(report, kind)
    if found is None:
        raise Http404("file")
    handle, content_type, name = found
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


# --- a unit's return ----------------------------------------------------------------------------


def _fill_context(request, collection_return, report, errors=None, typed=None):
    person = request.user
    entries = yearend.entry_rows(report, collection_return)
    evidence = {}
    for item in EvidenceFile.objects.filter(
        task_id__in=[task.pk for task, _entry in entries], unit_id=collection_return.unit_id
    ):
        evidence.setdefault(item.task_id, []).append(item)
    typed = typed or {}
    errors = errors or {}
    rows = []
    for task, entry in entries:
        values = typed.get(task.pk) or {
            "done": entry.done if entry else "",
            "percent": "" if entry is None or entry.percent is None else entry.percent,
            "problems": entry.problems if entry else "",
            "next_steps": entry.next_steps if entry else "",
        }
        chosen = {e.pk for e in entry.evidence.all()} if entry else set()
        rows.append(
            {
                "task": task,
                "entry": entry,
                "values": values,
                "evidence": [(item, item.pk in chosen) for item in evidence.get(task.pk, [])],
                "errors": {
                    field: errors.get(f"{task.pk}-{field}", [])
                    for field in ("done", "percent", "next_steps")
                },
            }
        )
    manages = collection_rules.can_manage_task(person, collection_return.task)
    return {
        "r": collection_return,
        "report": report,
        "rows": rows,
        "can_fill": collection_rules.can_fill(person, collection_return)
        and collection_return.task.state == TaskState.OPEN
        and collection_return.state in (ReturnState.PENDING, ReturnState.RETURNED),
        "can_recommend": manages and collection_return.state == ReturnState.APPROVED,
        "cases": cases.cases_visible_to(person)
        .filter(collection_return=collection_return)
        .select_related("to_unit", "entry__task"),
    }


@admin_required
def return_fill(request, return_id: int):
    collection_return, report = access_yearend_return(request.user, return_id)
    if request.method != "POST":
        return render(
            request,
            "manage/programmes/yearend_return.html",
            _fill_context(request, collection_return, report),
        )
    typed: dict[int, dict] = {}
    for task, _entry in yearend.entry_rows(report, collection_return):
        prefix = f"t{task.pk}-"
        typed[task.pk] = {
            "done": request.POST.get(prefix + "done", ""),
            "percent": request.POST.get(prefix + "percent", ""),
            "problems": request.POST.get(prefix + "problems", ""),
            "next_steps": request.POST.get(prefix + "next_steps", ""),
            "evidence": request.POST.getlist(prefix + "evidence"),
        }
    try:
        errors = yearend.save_entries(Actor.from_request(request), collection_return, typed)
    except PermissionDenied as exc:
        raise Http404("collection return") from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("manage_programmes:yearend_return", collection_return.pk)
    if errors:
        messages.warning(request, _("已保存。标红的项目在上传年度报告（报送）前需要填写或改正。"))
        return render(
            request,
            "manage/programmes/yearend_return.html",
            _fill_context(request, collection_return, report, errors, typed),
        )
    messages.success(request, _("已保存。各项任务已填写完整，请上传年度报告文档完成报送。"))
    return redirect("manage_programmes:yearend_return", collection_return.pk)


@admin_required
@require_POST
def return_recommend(request, return_id: int):
    collection_return, report = access_yearend_return(request.user, return_id)
    entry = None
    if request.POST.get("entry"):
        entry = YearEndEntry.objects.filter(
            pk=request.POST["entry"], collection_return=collection_return
        ).first()
        if entry is None:
            raise Http404("entry")
    return run_action(
        request,
        lambda: cases.recommend(
            Actor.from_request(request),
            report,
            collection_return,
            entry=entry,
            title=request.POST.get("title", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("已推荐至上级单位，并已通知对方审核。"),
        redirect("manage_programmes:yearend_return", collection_return.pk),
    )


# --- typical cases ------------------------------------------------------------------------------


@admin_required
def case_list(request):
    visible = cases.cases_visible_to(request.user).select_related(
        "from_unit", "to_unit", "report__programme"
    )
    state = request.GET.get("state", "")
    inbox = cases.inbox(request.user).select_related("from_unit", "to_unit", "report__programme")
    if state in CaseState.values:
        inbox = inbox.filter(state=state)
    return render(
        request,
        "manage/programmes/cases.html",
        {
            "inbox": paginate(request, inbox),
            "sent": visible.exclude(pk__in=cases.inbox(request.user).values("pk"))[:50],
            "state": state,
            "states": CaseState.choices,
        },
    )


@admin_required
def case_detail(request, case_id: int):
    case = access_case(request.user, case_id)
    can_decide = cases.can_decide(request.user, case)
    return render(
        request,
        "manage/programmes/case.html",
        {
            "case": case,
            "steps": cases.chain(case),
            "can_decide": can_decide and case.state == CaseState.PENDING,
            "can_forward": can_decide
            and case.state == CaseState.ACCEPTED
            and case.to_unit.depth > 1
            and not hasattr(case, "next_step"),
            "entries": [case.entry]
            if case.entry
            else list(
                case.collection_return.yearend_entries.select_related("task__area").order_by(
                    "task__area__number", "task_id"
                )
            ),
        },
    )


@admin_required
@require_POST
def case_decide(request, case_id: int):
    case = access_case(request.user, case_id)
    accept = request.POST.get("decision") == "accept"
    return run_action(
        request,
        lambda: cases.decide(
            Actor.from_request(request), case, accept, request.POST.get("comment", "")
        ),
        _("已采纳该案例。") if accept else _("已退回该案例，推荐单位会收到通知。"),
        redirect("manage_programmes:case_detail", case.pk),
    )


@admin_required
@require_POST
def case_forward(request, case_id: int):
    case = access_case(request.user, case_id)
    return run_action(
        request,
        lambda: cases.forward(
            Actor.from_request(request), case, reason=request.POST.get("reason", "")
        ),
        _("已继续向上级推荐。"),
        redirect("manage_programmes:case_detail", case.pk),
    )
