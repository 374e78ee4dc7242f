"""The 三个课堂 rows of the monitoring registry on the monitoring pages: their targets (set
on the same indicators page) and the dashboard's link to the term's figures. The rules are
in ``monitoring.domain.classroom_source``; the figures in ``classrooms.domain.indicators``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.classrooms import rules as classroom_rules
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import admin_required
from youke.monitoring.domain import classroom_source
from youke.monitoring.enums import TERM_MEASURES
from youke.monitoring.models import Indicator


def registry_context(person) -> dict:
    rows = classroom_source.target_rows()
    return {
        "term_target_rows": rows,
        "term_indicators": [row["indicator"] for row in rows],
        "can_edit_term_targets": classroom_source.can_set_term_targets(person),
        "campaign_indicators": Indicator.objects.exclude(measure__in=TERM_MEASURES),
    }


def dashboard_context(person, unit) -> dict:
    """The term whose 三个课堂 figures the dashboard links to (the running or latest one the
    person sees), with the unit; nothing for people outside 三个课堂."""
    from youke.manage.views.classroom_workload import pick_term
    from youke.manage.views.classrooms import visible_terms

    if not classroom_rules.is_staff(person):
        return {}
    term = pick_term(visible_terms(person), "")
    if term is None:
        return {}
    return {"classroom_term": term, "classroom_indicators": classroom_source.term_indicators()}


@admin_required
@require_POST
def set_term_target(request):
    back = redirect(f"{reverse('manage_monitoring:indicators')}#term-targets")
    if not classroom_source.can_set_term_targets(request.user):
        raise Http404("targets")
    indicator = Indicator.objects.filter(
        key=request.POST.get("indicator", ""), measure__in=TERM_MEASURES
    ).first()
    if indicator is None:
        messages.error(request, _("请选择三个课堂指标。"))
        return back
    raw = request.POST.get("value", "").strip()
    try:
        value = Decimal(raw) if raw else None
    except InvalidOperation:
        messages.error(request, _("目标值须为数字，例如 90 或 2.5；留空表示取消该目标。"))
        return back
    return run_action(
        request,
        lambda: classroom_source.set_term_target(
            Actor.from_request(request), indicator, request.POST.get("area_type", ""), value
        ),
        _("三个课堂指标目标已保存。") if value is not None else _("已取消该目标。"),
        back,
    )
