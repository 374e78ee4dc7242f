"""Action-plan ledger pages (seed 004): programmes with stages and roster, the task ledger
with filters and counts, 我的任务 of a responsible unit, progress notes, evidence, status and
the xlsx 台账. Every rule is in ``youke.programmes``; these views only parse and render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import (
    admin_required,
    apply_errors,
    paginate,
    paginate_ids,
    scope_roots,
)
from youke.orgs import rules as org_rules
from youke.orgs.models import Unit
from youke.programmes import rules
from youke.programmes.access import (
    access_evidence,
    access_managed_programme,
    access_programme,
    access_roster_member,
    access_task,
)
from youke.programmes.domain import exports, programmes, tasks
from youke.programmes.enums import TASK_TRANSITIONS, RosterRole, TaskStatus
from youke.programmes.models import Task, TaskArea

STAGE_ROWS = 4


# --- forms ------------------------------------------------------------------------------------


class ProgrammeForm(forms.Form):
    owner_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("牵头单位")
    )
    name = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    doc_number = forms.CharField(label=gettext_lazy("文号"), max_length=40, required=False)
    description = forms.CharField(
        label=gettext_lazy("说明"), max_length=4000, required=False, widget=forms.Textarea
    )
    start_date = forms.DateField(
        label=gettext_lazy("开始日期"), widget=forms.DateInput({"type": "date"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("结束日期"), widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units
        for n in range(1, STAGE_ROWS + 1):
            self.fields[f"stage{n}_name"] = forms.CharField(
                label=_("阶段 %(n)d") % {"n": n}, max_length=60, required=False
            )
            self.fields[f"stage{n}_start"] = forms.DateField(
                required=False, widget=forms.DateInput({"type": "date"})
            )
            self.fields[f"stage{n}_end"] = forms.DateField(
                required=False, widget=forms.DateInput({"type": "date"})
            )

    def stages(self) -> list[programmes.StageInput]:
        data = self.cleaned_data
        return [
            programmes.StageInput(
                name=data[f"stage{n}_name"],
                start_date=data[f"stage{n}_start"],
                end_date=data[f"stage{n}_end"],
            )
            for n in range(1, STAGE_ROWS + 1)
        ]

    def stage_rows(self):
        return [
            (self[f"stage{n}_name"], self[f"stage{n}_start"], self[f"stage{n}_end"])
            for n in range(1, STAGE_ROWS + 1)
        ]


class RosterForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("职务"), choices=RosterRole.choices)
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=60, required=False)
    username = forms.CharField(
        label=gettext_lazy("关联账号（用户名，可不填）"), max_length=150, required=False
    )
    department = forms.CharField(label=gettext_lazy("部门"), max_length=120, required=False)
    position = forms.CharField(label=gettext_lazy("行政职务"), max_length=60, required=False)
    phone = forms.CharField(label=gettext_lazy("电话"), max_length=30, required=False)


class TaskForm(forms.Form):
    area = forms.ModelChoiceField(queryset=TaskArea.objects.none(), label=gettext_lazy("任务领域"))
    title = forms.CharField(label=gettext_lazy("任务"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("任务内容"), max_length=4000, required=False, widget=forms.Textarea
    )
    lead_department = forms.CharField(
        label=gettext_lazy("牵头部门"), max_length=120, required=False
    )
    unit_codes = forms.CharField(
        label=gettext_lazy("责任单位代码（多个用逗号或空格分隔）"), max_length=2000
    )
    deadline = forms.DateField(
        label=gettext_lazy("完成时限"), widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = TaskArea.objects.filter(programme=programme)


class NoteForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput({"type": "date"}))
    text = forms.CharField(label=gettext_lazy("进展情况"), max_length=4000, widget=forms.Textarea)
    percent = forms.IntegerField(
        label=gettext_lazy("完成百分比"), min_value=0, max_value=100, required=False
    )


# --- programmes -------------------------------------------------------------------------------


@admin_required
def programme_list(request):
    visible = rules.programmes_visible_to(request.user).select_related("owner_unit")
    return render(
        request,
        "manage/programmes/list.html",
        {"page": paginate(request, visible.order_by("-start_date", "-id"))},
    )


@admin_required
def programme_create(request):
    units = Unit.objects.filter(pk__in=[u.pk for u in scope_roots(request.user)])
    form = ProgrammeForm(request.POST or None, units=units, initial={"owner_unit": units.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = programmes.create_programme(
                Actor.from_request(request),
                owner_unit=data["owner_unit"],
                name=data["name"],
                doc_number=data["doc_number"],
                description=data["description"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                stages=form.stages(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已创建行动计划。请添加工作专班、任务领域和任务。"))
            return redirect("manage_programmes:programme_detail", programme.pk)
    return render(request, "manage/programmes/create.html", {"form": form})


def _programme_tasks(person, programme):
    return rules.tasks_visible_to(person).filter(programme=programme)


@admin_required
def programme_detail(request, programme_id: int):
    programme = access_programme(request.user, programme_id)
    manages = rules.can_manage_programme(request.user, programme)
    figures = tasks.counts(_programme_tasks(request.user, programme))
    statuses = [(value, label) for value, label in TaskStatus.choices]
    context = {
        "programme": programme,
        "manages": manages,
        "stages": programme.stages.all(),
        "roster": programme.roster.all(),
        "areas": programme.areas.all(),
        "figures": figures,
        "statuses": statuses,
        "status_counts": [(label, figures["by_status"][value]) for value, label in statuses],
        "area_rows": [
            {
                "label": f"{a['number']}. {a['name']}",
                "cells": [a[value] for value, _label in statuses],
                "overdue": a["overdue"],
                "total": a["total"],
            }
            for a in figures["areas"]
        ],
        "chart": {
            "areas": [f"{a['number']}. {a['name']}" for a in figures["areas"]],
            "series": [
                {"name": str(label), "data": [a[value] for a in figures["areas"]]}
                for value, label in statuses
            ],
            "overdue": {"name": _("逾期"), "data": [a["overdue"] for a in figures["areas"]]},
        },
    }
    if manages:
        context["roster_form"] = RosterForm()
        context["task_form"] = TaskForm(programme=programme)
    return render(request, "manage/programmes/detail.html", context)


@admin_required
@require_POST
def roster_add(request, programme_id: int):
    programme = access_managed_programme(request.user, programme_id)
    form = RosterForm(request.POST)
    back = redirect("manage_programmes:programme_detail", programme.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    data = form.cleaned_data
    person = None
    if data["username"].strip():
        person = (
            org_rules.people_visible_to(request.user)
            .select_related("unit")
            .filter(username=data["username"].strip())
            .first()
        )
        if person is None:
            messages.error(request, _("找不到该账号，请核对用户名，或不填账号只写姓名。"))
            return back
    return run_action(
        request,
        lambda: programmes.add_roster_member(
            Actor.from_request(request),
            programme,
            role=data["role"],
            name=data["name"],
            person=person,
            department=data["department"],
            position=data["position"],
            phone=data["phone"],
        ),
        _("已添加工作专班成员。"),
        back,
    )


@admin_required
@require_POST
def roster_remove(request, programme_id: int, member_id: int):
    member = access_roster_member(request.user, member_id)
    if member.programme_id != programme_id:
        raise Http404("member")
    return run_action(
        request,
        lambda: programmes.remove_roster_member(Actor.from_request(request), member),
        _("已移除工作专班成员。"),
        redirect("manage_programmes:programme_detail", programme_id),
    )


@admin_required
@require_POST
def area_add(request, programme_id: int):
    programme = access_managed_programme(request.user, programme_id)
    return run_action(
        request,
        lambda: programmes.add_area(
            Actor.from_request(request), programme, name=request.POST.get("name", "")[:120]
        ),
        _("已添加任务领域。"),
        redirect("manage_programmes:programme_detail", programme.pk),
    )


def _units_by_codes(person, programme, text: str) -> tuple[list[Unit], list[str]]:
    codes = [c for c in text.replace("，", ",").replace(",", " ").split() if c]
    found = {
        u.code: u
        for u in org_rules.units_visible_to(person).filter(
            code__in=codes, path__under=programme.owner_unit.path, is_active=True
        )
    }
    return [found[c] for c in dict.fromkeys(codes) if c in found], [
        c for c in codes if c not in found
    ]


@admin_required
@require_POST
def task_create(request, programme_id: int):
    programme = access_managed_programme(request.user, programme_id)
    form = TaskForm(request.POST, programme=programme)
    back = redirect("manage_programmes:programme_detail", programme.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    data = form.cleaned_data
    units, missing = _units_by_codes(request.user, programme, data["unit_codes"])
    if missing:
        messages.error(
            request,
            _("以下单位代码不存在或不在牵头单位范围内：%(codes)s。请核对后重新提交。")
            % {"codes": "、".join(missing)},
        )
        return back
    try:
        task = tasks.create_task(
            Actor.from_request(request),
            programme,
            area=data["area"],
            title=data["title"],
            description=data["description"],
            lead_department=data["lead_department"],
            units=units,
            deadline=data["deadline"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return back
    messages.success(request, _("已添加任务。"))
    return redirect("manage_programmes:task_detail", task.pk)


@admin_required
def export_xlsx(request, programme_id: int):
    programme = access_programme(request.user, programme_id)
    response = HttpResponse(
        exports.ledger_xlsx(programme, _programme_tasks(request.user, programme)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-{programme.pk}.xlsx"'
    return response


# --- task lists -------------------------------------------------------------------------------


def _filtered(request, queryset, programme=None):
    """Apply the list filters from the query string; returns (tasks, filter values)."""
    get = request.GET
    area = get.get("area", "")
    status = get.get("status", "")
    unit_code = get.get("unit", "").strip()
    unit = None
    if unit_code:
        unit = org_rules.units_visible_to(request.user).filter(code=unit_code).first()
        if unit is None:
            queryset = queryset.none()
    filtered = tasks.filter_tasks(
        queryset,
        area=int(area) if area.isdigit() else None,
        unit=unit,
        status=status if status in TaskStatus.values else "",
        overdue=get.get("overdue") == "1",
    )
    return filtered, {
        "area": area,
        "status": status,
        "unit": unit_code,
        "overdue": get.get("overdue", ""),
    }


def _task_page(request, queryset):
    rows = (
        exports.with_latest_note(Task.objects.all())
        .select_related("area", "programme")
        .prefetch_related("units")
    )
    page = paginate_ids(request, queryset.order_by("programme_id", "area__number", "id"), rows)
    today = timezone.localdate()
    for task in page.object_list:
        task.overdue = tasks.is_overdue(task, today)
    return page


@admin_required
def programme_tasks(request, programme_id: int):
    programme = access_programme(request.user, programme_id)
    queryset, values = _filtered(request, _programme_tasks(request.user, programme))
    return render(
        request,
        "manage/programmes/tasks.html",
        {
            "programme": programme,
            "page": _task_page(request, queryset),
            "values": values,
            "areas": programme.areas.all(),
            "statuses": TaskStatus.choices,
            "title": _("任务清单"),
        },
    )


@admin_required
def my_tasks(request):
    queryset, values = _filtered(request, rules.own_tasks(request.user))
    return render(
        request,
        "manage/programmes/tasks.html",
        {
            "programme": None,
            "page": _task_page(request, queryset),
            "values": values,
            "statuses": TaskStatus.choices,
            "title": _("我的任务"),
        },
    )


# --- one task ---------------------------------------------------------------------------------


def _moves(person, task) -> list[tuple[str, str]]:
    """The status buttons to show: allowed moves the person may make."""
    from youke.programmes.enums import OWNER_ONLY

    manages = rules.can_manage_programme(person, task.programme)
    moves = []
    for target in TASK_TRANSITIONS[task.status]:
        if task.status == TaskStatus.PAUSED and target != task.paused_from:
            continue
        if (task.status, target) in OWNER_ONLY and not manages:
            continue
        if task.status == TaskStatus.PAUSED:
            label = _("恢复为“%(s)s”") % {"s": TaskStatus(target).label}
        else:
            label = _("改为“%(s)s”") % {"s": TaskStatus(target).label}
        moves.append((target, label))
    return sorted(moves)


@admin_required
def task_detail(request, task_id: int):
    task = access_task(request.user, task_id)
    return render(
        request,
        "manage/programmes/task.html",
        {
            "task": task,
            "units": task.units.order_by("path"),
            "notes": task.notes.select_related("unit", "author"),
            "evidence": task.evidence.select_related("unit"),
            "overdue": tasks.is_overdue(task),
            "moves": _moves(request.user, task),
            "note_form": NoteForm(initial={"date": timezone.localdate()}),
            "manages": rules.can_manage_programme(request.user, task.programme),
        },
    )


@admin_required
@require_POST
def task_status(request, task_id: int):
    task = access_task(request.user, task_id)
    return run_action(
        request,
        lambda: tasks.set_task_status(
            Actor.from_request(request),
            task,
            request.POST.get("status", ""),
            reason=request.POST.get("reason", "")[:300],
        ),
        lambda t: _("任务状态已改为“%(s)s”。") % {"s": t.get_status_display()},
        redirect("manage_programmes:task_detail", task.pk),
    )


@admin_required
@require_POST
def task_note(request, task_id: int):
    task = access_task(request.user, task_id)
    form = NoteForm(request.POST)
    back = redirect("manage_programmes:task_detail", task.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    data = form.cleaned_data
    return run_action(
        request,
        lambda: tasks.add_note(
            Actor.from_request(request),
            task,
            text=data["text"],
            date=data["date"],
            percent=data["percent"],
        ),
        _("已填报工作进展。"),
        back,
    )


@admin_required
@require_POST
def task_evidence(request, task_id: int):
    task = access_task(request.user, task_id)
    back = redirect("manage_programmes:task_detail", task.pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的佐证材料文件。"))
        return back
    return run_action(
        request,
        lambda: tasks.add_evidence(Actor.from_request(request), task, upload),
        _("已上传佐证材料。"),
        back,
    )


@admin_required
def evidence_download(request, evidence_id: int):
    evidence = access_evidence(request.user, evidence_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
