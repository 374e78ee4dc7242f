"""Summary sheets (推荐汇总表): generate as a job, download from the job page, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.enums import JobState
from youke.core.models import Job
from youke.manage.views.common import admin_required, start_job
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain import summary
from youke.selection.models import SummarySheetConfirmation


def _latest_jobs(person) -> dict[int, Job]:
    """The viewer's newest finished sheet per list (they can only confirm their own)."""
    latest: dict[int, Job] = {}
    recent = Job.objects.filter(
        created_by=person, kind=summary.JOB_KIND, state=JobState.SUCCEEDED
    ).order_by("-created_at", "-id")[:500]
    for job in recent:
        latest.setdefault(job.params.get("level_list"), job)
    return latest


@admin_required
def sheet_list(request):
    lists = list(
        summary.lists_visible_to(request.user)
        .select_related("unit", "level", "campaign")
        .order_by("-confirmed_at", "-id")[:200]
    )
    confirmations: dict[int, SummarySheetConfirmation] = {}
    for c in SummarySheetConfirmation.objects.filter(level_list__in=lists).select_related(
        "confirmed_by"
    ):
        confirmations.setdefault(c.level_list_id, c)
    jobs = _latest_jobs(request.user)
    rows = [
        {
            "list": row,
            "confirmation": confirmations.get(row.pk),
            "job": jobs.get(row.pk),
            "can_confirm": summary.can_confirm_sheet(request.user, row),
        }
        for row in lists
    ]
    return render(request, "manage/sheet_list.html", {"rows": rows})


@admin_required
@require_POST
def sheet_generate(request, list_id: int):
    level_list = summary.access_list(request.user, list_id)
    return start_job(
        request,
        lambda: summary.request_summary_sheet(Actor.from_request(request), level_list),
        redirect("manage_publicity:sheet_list"),
    )


@admin_required
@require_POST
def sheet_confirm(request, list_id: int):
    level_list = summary.access_list(request.user, list_id)
    raw = request.POST.get("job", "")
    job = Job.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if job is None:
        raise Http404("job")
    try:
        confirmation = summary.confirm_summary_sheet(Actor.from_request(request), level_list, job)
    except PermissionDenied as exc:
        raise Http404("job") from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已确认汇总表：%(n)s 行，SHA-256 %(h)s。")
            % {"n": confirmation.row_count, "h": confirmation.sha256[:16]},
        )
    return redirect("manage_publicity:sheet_list")
