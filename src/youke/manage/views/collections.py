"""Collection pages (征集与报送): the index of tasks to fill and tasks to follow, a task's
status list with reminders and the export, and a unit's return (contact sheet or document
versions) with the review by the level above. Every rule is in ``youke.collections``."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns.models import Campaign
from youke.collections import rules
from youke.collections.access import (
    access_managed_task,
    access_return,
    access_task,
    access_version,
)
from youke.collections.domain import exports, reminders, returns, tasks
from youke.collections.enums import CollectionKind, ReturnState, ReturnStatus, TaskState
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.collection_forms import ContactSheetForm, ReviewForm, TaskForm, UploadForm
from youke.manage.views.common import (
    PAGE_SIZE,
    admin_required,
    apply_errors,
    paginate,
    scope_roots,
    unit_by_code,
)
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.programmes.models import YearEndReport


@admin_required
def index(request):
    person = request.user
    to_fill = (
        rules.returns_received(person)
        .select_related("task__issuing_unit", "unit")
        .order_by("task__deadline", "unit__path", "pk")
    )
    fill_page = Paginator(to_fill, PAGE_SIZE).get_page(request.GET.get("fill_page"))
    issued = rules.tasks_issued_by(person).select_related("issuing_unit", "campaign")
    return render(
        request,
        "manage/collections/index.html",
        {
            "fill_page": fill_page,
            "page": paginate(request, issued.order_by("-created_at", "-id")),
        },
    )


def _campaigns(person):
    return list(
        org_rules.scoped(Campaign.objects.all(), person, "owner_unit__path").order_by("-pk")[:50]
    )


@admin_required
def task_create(request):
    campaigns = _campaigns(request.user)
    if request.method == "POST":
        form = TaskForm(request.POST, campaigns=campaigns)
        if form.is_valid():
            data = form.cleaned_data
            unit = unit_by_code(request.user, data.pop("unit_code"))
            campaign_id = data.pop("campaign")
            campaign = next((c for c in campaigns if c.pk == campaign_id), None)
            if unit is None:
                form.add_error("unit_code", _("单位代码不存在或不在您的管理范围内，请核对。"))
            else:
                try:
                    task = tasks.create_task(
                        Actor.from_request(request), issuing_unit=unit, campaign=campaign, **data
                    )
                except PermissionDenied as exc:
                    raise Http404("unit") from exc
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(
                        request, _("征集任务草稿已保存，核对后点击“发布”通知报送单位。")
                    )
                    return redirect("manage_collections:task_detail", task.pk)
    else:
        roots = scope_roots(request.user)
        form = TaskForm(
            campaigns=campaigns,
            initial={"unit_code": roots[0].code if roots else "", "remind_days": 3},
        )
    return render(request, "manage/collections/task_form.html", {"form": form})


@admin_required
def task_detail(request, task_id: int):
    person = request.user
    task = access_task(person, task_id)
    manages = rules.can_manage_task(person, task)
    scope = rules.returns_visible_to(person) if manages else rules.returns_to_fill(person)
    rows = tasks.status_rows(task, scope)
    status = request.GET.get("status", "")
    counts = tasks.status_counts(rows)
    total = len(rows)
    missing = [row for row in rows if row.is_missing]
    if status in ReturnStatus.values:
        rows = [row for row in rows if row.status == status]
    return render(
        request,
        "manage/collections/task_detail.html",
        {
            "task": task,
            "manages": manages,
            "rows": rows,
            "counts": [(s, ReturnStatus(s).label, counts[s]) for s in ReturnStatus.values],
            "missing": missing,
            "total": total,
            "status": status,
            "is_contact_sheet": task.kind == CollectionKind.CONTACT_SHEET,
        },
    )


@admin_required
@require_POST
def task_action(request, task_id: int, action: str):
    task = access_managed_task(request.user, task_id)
    actor = Actor.from_request(request)
    back = redirect("manage_collections:task_detail", task.pk)
    if action == "open":
        return run_action(
            request,
            lambda: tasks.open_task(actor, task),
            _("任务已发布，已通知各报送单位的管理员。"),
            back,
        )
    if action == "close":
        return run_action(
            request,
            lambda: tasks.close_task(actor, task),
            _("任务已结束，不再接受报送；已报送的材料仍可审定。"),
            back,
        )
    if action == "remind":
        return run_action(
            request,
            lambda: reminders.remind_missing(actor, task),
            lambda result: (
                _("已提醒 %(units)s 个尚未报送的单位（新通知 %(people)s 人）。")
                % {"units": result[0], "people": result[1]}
            ),
            back,
        )
    raise Http404("action")


@admin_required
def task_export(request, task_id: int):
    task = access_managed_task(request.user, task_id)
    if task.kind != CollectionKind.CONTACT_SHEET:
        raise Http404("export")
    handle = io.BytesIO()
    exports.write_contact_sheet(handle, task)
    response = HttpResponse(
        handle.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="contacts-{task.pk}.xlsx"'
    return response


# --- one unit's return --------------------------------------------------------------------


def _return_context(request, collection_return, **extra):
    person = request.user
    task = collection_return.task
    return {
        "r": collection_return,
        "task": task,
        "can_fill": rules.can_fill(person, collection_return)
        and task.state == TaskState.OPEN
        and collection_return.state != ReturnState.APPROVED,
        "can_review": rules.can_manage_task(person, task)
        and collection_return.state == ReturnState.SUBMITTED,
        "versions": list(collection_return.versions.select_related("uploaded_by", "decided_by")),
        "is_contact_sheet": task.kind == CollectionKind.CONTACT_SHEET,
        "review_form": ReviewForm(),
        "upload_form": UploadForm(),
        "yearend_report": YearEndReport.objects.filter(collection_id=task.pk).first(),
        **extra,
    }


@admin_required
def return_detail(request, return_id: int):
    collection_return = access_return(request.user, return_id)
    contact_form = None
    if collection_return.task.kind == CollectionKind.CONTACT_SHEET:
        initial = {
            f"{role}-{field}": value
            for role, values in returns.prefill(collection_return).items()
            for field, value in values.items()
        }
        contact_form = ContactSheetForm(initial=initial)
    return render(
        request,
        "manage/collections/return_detail.html",
        _return_context(request, collection_return, contact_form=contact_form),
    )


@admin_required
@require_POST
def return_contacts(request, return_id: int):
    """Save the draft (always kept) and, with ``confirm``, submit it when complete."""
    collection_return = access_return(request.user, return_id)
    actor = Actor.from_request(request)
    form = ContactSheetForm(request.POST)
    if form.is_valid():
        try:
            problems = returns.save_contacts(actor, collection_return, form.rows())
        except PermissionDenied as exc:
            raise Http404("collection return") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if request.POST.get("confirm"):
                try:
                    returns.confirm_contacts(actor, collection_return)
                except ValidationError as exc:
                    apply_errors(form, exc)
                    messages.warning(request, _("草稿已保存，但还不能报送：请按提示修改后再确认。"))
                else:
                    messages.success(request, _("联系表已确认报送。"))
                    return redirect("manage_collections:return_detail", collection_return.pk)
            else:
                for key, errors in problems.items():
                    for error in errors:
                        form.add_error(key, error)
                messages.success(
                    request,
                    _("草稿已保存。")
                    if not problems
                    else _("草稿已保存，标红的项目确认报送前需要改正。"),
                )
    collection_return.refresh_from_db()
    return render(
        request,
        "manage/collections/return_detail.html",
        _return_context(request, collection_return, contact_form=form),
    )


@admin_required
@require_POST
def return_scan(request, return_id: int):
    collection_return = access_return(request.user, return_id)
    upload = request.FILES.get("file")
    back = redirect("manage_collections:return_detail", collection_return.pk)
    if upload is None:
        messages.error(request, _("请选择盖章扫描件（PDF、JPG 或 PNG）后再上传。"))
        return back
    return run_action(
        request,
        lambda: returns.attach_scan(Actor.from_request(request), collection_return, upload),
        _("盖章扫描件已上传。"),
        back,
    )


@admin_required
@require_POST
def return_version(request, return_id: int):
    collection_return = access_return(request.user, return_id)
    form = UploadForm(request.POST, request.FILES)
    back = redirect("manage_collections:return_detail", collection_return.pk)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文档（PDF 或 Word）。"))
        return back
    return run_action(
        request,
        lambda: returns.add_version(
            Actor.from_request(request),
            collection_return,
            form.cleaned_data["file"],
            form.cleaned_data["note"],
        ),
        lambda v: _("第 %(n)s 版已上传并报送，等待上级审定。") % {"n": v.number},
        back,
    )


@admin_required
@require_POST
def return_review(request, return_id: int, decision: str):
    collection_return = access_return(request.user, return_id)
    if decision not in ("approve", "return"):
        raise Http404("decision")
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    actor = Actor.from_request(request)
    if decision == "approve":
        action, done = (
            (lambda: returns.approve(actor, collection_return, comment)),
            _("已审定通过。"),
        )
    else:
        action = lambda: returns.send_back(actor, collection_return, comment)  # noqa: E731
        done = _("已退回修改，并通知了报送单位。")
    return run_action(
        request, action, done, redirect("manage_collections:return_detail", collection_return.pk)
    )


@admin_required
def return_scan_file(request, return_id: int):
    collection_return = access_return(request.user, return_id)
    if not collection_return.scan:
        raise Http404("scan")
    return FileResponse(
        collection_return.scan.open("rb"),
        as_attachment=False,
        filename=collection_return.scan.name.rsplit("/", 1)[-1],
        content_type=collection_return.scan_type or "application/octet-stream",
    )


@admin_required
def version_file(request, version_id: int):
    version = access_version(request.user, version_id)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file.name.rsplit("/", 1)[-1],
        content_type=version.content_type,
    )
