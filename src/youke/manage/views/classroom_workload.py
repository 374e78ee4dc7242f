"""三个课堂 workload for admins (issue 12 item 10): per-teacher totals of the admin's
subtree for a term, the region's weights (county/city admins), the appraisal xlsx."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.domain import workload
from youke.classrooms.enums import WorkKind
from youke.core.actor import Actor
from youke.manage.views.classrooms import region_units, staff_required, visible_terms
from youke.manage.views.common import apply_errors
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WeightsForm(forms.Form):
    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in WorkKind:
            self.fields[kind.value] = forms.DecimalField(
                label=kind.label,
                min_value=0,
                max_value=workload.MAX_WEIGHT,
                decimal_places=2,
                initial=(current or workload.DEFAULT_WEIGHTS)[kind.value],
            )


def pick_term(terms, raw: str):
    """The term asked for, else the one running today, else the latest."""
    if raw:
        term = terms.filter(pk=raw).first() if raw.isdigit() else None
        if term is None:
            raise Http404("term")
        return term
    today = timezone.localdate()
    return (
        terms.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
        or terms.order_by("-starts_on").first()
    )


def _scope(request):
    person = request.user
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    terms = visible_terms(person).order_by("-starts_on", "id")
    return paths, terms, pick_term(terms, request.GET.get("term", ""))


@staff_required
def workload_view(request):
    paths, terms, term = _scope(request)
    units = [
        u
        for u in region_units(request.user, roles=(Role.UNIT_ADMIN,))
        if workload.can_set_weights(request.user, u)
    ]
    unit = next((u for u in units if str(u.pk) == request.POST.get("unit", "")), None)
    if unit is None and units:
        unit = units[0]
    form = None
    if unit is not None:
        form = WeightsForm(request.POST or None, current=workload.weights_for(unit))
        if request.method == "POST" and form.is_valid():
            try:
                workload.set_weights(Actor.from_request(request), unit, form.cleaned_data)
            except PermissionDenied as exc:
                raise Http404("unit") from exc
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存 %(unit)s 的折算标准。") % {"unit": unit.name})
                url = request.path + (f"?term={term.pk}" if term else "")
                return redirect(url)
    elif request.method == "POST":
        raise Http404("unit")
    rows = workload.workload_rows(term, paths=paths) if term else []
    return render(
        request,
        "manage/classrooms/workload.html",
        {
            "terms": terms,
            "term": term,
            "rows": rows,
            "kinds": list(WorkKind),
            "form": form,
            "weights_unit": unit,
        },
    )


@staff_required
def workload_export(request):
    paths, _terms, term = _scope(request)
    if term is None:
        raise Http404("term")
    rows = workload.workload_rows(term, paths=paths)
    response = HttpResponse(workload.workload_xlsx(term, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="workload-{term.pk}.xlsx"'
    return response


# --- indicators (issue 12 item 11) -----------------------------------------------------------


def indicator_units(person):
    """Units whose subtree the person may read: their staff grants' units (platform: top)."""
    from youke.orgs.models import Unit

    paths = rules.role_paths(person, rules.STAFF_ROLES)
    if paths is None:
        return list(Unit.objects.filter(depth__lte=2).order_by("path"))
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def _covered(person, unit) -> bool:
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    return paths is None or any(unit.path.startswith(p) for p in paths)


@staff_required
def indicators_view(request):
    from youke.classrooms.domain import indicators
    from youke.monitoring.domain import classroom_source
    from youke.orgs.models import Unit

    person = request.user
    _paths, terms, term = _scope(request)
    raw = request.GET.get("unit", "")
    if raw:
        unit = Unit.objects.filter(pk=raw).first() if raw.isdigit() else None
        if unit is None or not _covered(person, unit):
            raise Http404("unit")
    else:
        units = indicator_units(person)
        unit = units[0] if units else None
    sort = request.GET.get("sort", "periods_per_week")
    if sort not in indicators.KEYS:
        sort = "periods_per_week"
    total, rows = indicators.unit_indicators(term, unit, sort=sort) if term and unit else (None, [])
    # Traffic lights against the monitoring registry's 三个课堂 targets.
    total_cells, row_cells = (
        classroom_source.lit_rows(total, rows, indicators.COLUMNS) if total else (None, [])
    )
    return render(
        request,
        "manage/classrooms/indicators.html",
        {
            "terms": terms,
            "term": term,
            "unit": unit,
            "parent": unit.get_parent()
            if unit and unit.depth > 1 and _covered(person, unit.get_parent())
            else None,
            "columns": indicators.COLUMNS,
            "sort": sort,
            "total": total,
            "total_cells": total_cells,
            "lines": list(zip(rows, row_cells, strict=True)),
        },
    )
