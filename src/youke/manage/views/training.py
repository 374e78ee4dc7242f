"""Training-hour admin pages: per-unit totals with drill-down, the teachers of a unit, a
teacher's ledger and honours record with manual credits, the 师训 xlsx and the 备案 lists.

Every rule is in ``training``; the unit and the teacher are loaded through the scope twins
(404 for another unit's)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns import rules as campaign_rules
from youke.core.actor import Actor
from youke.manage.training_forms import CreditForm
from youke.manage.views.common import (
    admin_required,
    apply_errors,
    paginate,
    scope_roots,
    start_job,
)
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import UnitKind
from youke.portal.training_views import honours_pdf_response
from youke.training import rules
from youke.training.access import access_teacher
from youke.training.domain import exports, filing, ledger, totals
from youke.training.domain.honours import honours_record

TEACHER_LIST_KINDS = (UnitKind.COUNTY, UnitKind.SCHOOL, UnitKind.TEACHING_POINT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _params(request):
    return request.POST if request.method == "POST" else request.GET


def _year(request) -> int | None:
    value = _params(request).get("year", "").strip()
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _admin_unit(request):
    """The unit asked for (default: the first scope root), administered by the viewer."""
    unit_id = _params(request).get("unit", "")
    if unit_id.isdigit():
        unit = access_unit(request.user, int(unit_id))
        if not org_rules.covers(request.user, unit):
            raise Http404("unit")
        return unit
    roots = scope_roots(request.user)
    if not roots:
        raise Http404("unit")
    return roots[0]


def _breadcrumbs(viewer, unit):
    """The unit's ancestors the viewer administers, top first, then the unit."""
    return [u for u in unit.get_ancestors() if org_rules.covers(viewer, u)] + [unit]


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin_required
def training_totals(request):
    unit = _admin_unit(request)
    year = _year(request)
    credits = rules.credits_visible_to(request.user)
    total, rows = totals.unit_totals(unit, year)
    # Above a county the teachers are too many to list; the units drill down to them.
    lists_teachers = unit.kind in TEACHER_LIST_KINDS
    query = request.GET.get("q", "").strip()[:64]
    found = []
    if query:
        found = list(
            rules.teachers_visible_to(request.user)
            .filter(Q(full_name__icontains=query) | Q(username__iexact=query))
            .select_related("unit")
            .order_by("full_name", "id")[:20]
        )
    return render(
        request,
        "manage/training_totals.html",
        {
            "unit": unit,
            "year": year,
            "years": range(ledger.current_year() + 1, ledger.current_year() - 6, -1),
            "total": total,
            "rows": rows,
            "breadcrumbs": _breadcrumbs(request.user, unit),
            "teachers": (
                paginate(request, totals.teacher_totals(credits, unit, year))
                if lists_teachers
                else None
            ),
            "query": query,
            "found": found,
            "filters": {"unit": unit.pk, "year": year or "", "q": query},
        },
    )


@admin_required
@require_POST
def training_export(request):
    """The 师训 xlsx as a job: its page shows progress and offers the file when done."""
    unit = _admin_unit(request)
    year = _year(request)
    back = redirect(f"{reverse('manage_training:totals')}?unit={unit.pk}")
    return start_job(
        request, lambda: exports.start_export(Actor.from_request(request), unit, year), back
    )


@admin_required
def teacher_detail(request, person_id: int):
    teacher = access_teacher(request.user, person_id)
    if teacher.pk == request.user.pk and not rules.can_credit(request.user, teacher):
        raise Http404("teacher")
    form = CreditForm(
        request.POST or None, initial={"year": ledger.current_year(), "kind": "manual"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ledger.add_manual_credit(
                Actor.from_request(request),
                teacher,
                hours=data["hours"],
                year=data["year"],
                source=data["source"],
                reason=data["reason"],
                kind=data["kind"],
            )
        except PermissionDenied as exc:
            raise Http404("teacher") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记 %(h)s 学时。") % {"h": data["hours"]})
            return redirect("manage_training:teacher_detail", teacher.pk)
    return render(
        request,
        "manage/training_teacher.html",
        {"teacher": teacher, "record": honours_record(teacher), "form": form},
        status=422 if form.errors else 200,
    )


@admin_required
def teacher_honours_pdf(request, person_id: int):
    return honours_pdf_response(access_teacher(request.user, person_id))


def _campaign(request, campaign_id: int):
    campaign = campaign_rules.campaigns_visible_to(request.user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("campaign")
    return campaign


@admin_required
def filing_lists(request):
    campaigns = list(campaign_rules.campaigns_visible_to(request.user).order_by("-year", "-id"))
    chosen = None
    counts = []
    campaign_id = request.GET.get("campaign", "")
    if campaign_id.isdigit():
        chosen = _campaign(request, int(campaign_id))
    elif campaigns:
        chosen = campaigns[0]
    if chosen is not None:
        counts = filing.level_counts(request.user, chosen)
    return render(
        request,
        "manage/training_filing.html",
        {"campaigns": campaigns, "chosen": chosen, "counts": counts},
    )


@admin_required
def filing_download(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    buffer = io.BytesIO()
    filing.write_filing(buffer, request.user, campaign)
    return _download(buffer.getvalue(), f"filing-{campaign.year}-{campaign.pk}.xlsx")
