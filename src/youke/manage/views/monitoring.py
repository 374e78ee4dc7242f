"""Monitoring pages: the dashboard of a unit's figures against the targets (with charts,
drill-down and xlsx), and the indicator registry. Every rule is in ``monitoring``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns.rules import campaigns_visible_to
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views import monitoring_classrooms
from youke.manage.views.common import admin_required, paginate, scope_roots
from youke.monitoring.access import access_figures_unit, access_monitored_campaign
from youke.monitoring.domain import exports, figures, reading, registry, targets
from youke.monitoring.models import Indicator, IndicatorTarget
from youke.orgs import rules as org_rules
from youke.orgs.enums import AreaType, SchoolStage, UnitKind
from youke.orgs.models import Unit


def _campaign(request):
    campaigns = list(reading.monitored_campaigns(request.user).select_related("owner_unit"))
    chosen = request.GET.get("campaign", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404("campaign")
        return access_monitored_campaign(request.user, int(chosen)), campaigns
    return (campaigns[0] if campaigns else None), campaigns


def _default_unit(person, campaign) -> Unit | None:
    owner = campaign.owner_unit
    for root in scope_roots(person):
        if root.path.startswith(owner.path):
            return root
        if owner.path.startswith(root.path):
            return owner
    return None


def _unit(request, campaign) -> Unit:
    chosen = request.GET.get("unit", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404("unit")
        return access_figures_unit(request.user, int(chosen))
    unit = _default_unit(request.user, campaign)
    if unit is None:
        raise Http404("unit")
    return unit


def _trail(person, unit: Unit) -> list[Unit]:
    """The unit's ancestors the person may open, top first, then the unit."""
    paths = [unit.path[: n * Unit.steplen] for n in range(1, unit.depth)]
    above = org_rules.scoped(Unit.objects.filter(path__in=paths), person).order_by("depth")
    return [*above, unit]


def _chart_data(report: reading.Report) -> dict:
    indicators = [
        {
            "key": t.indicator.key,
            "name": t.indicator.name,
            "measure": t.indicator.measure,
            "percent": t.indicator.measure != "lessons_per_teacher",
        }
        for t in report.targets
    ]
    ranked = {}
    for index, t in enumerate(report.targets):
        rows = reading.ranked(report.children, t.indicator.key)
        ranked[t.indicator.key] = {
            "units": [row.name for row in rows],
            "values": [row.cells[index].value for row in rows],
            "targets": [row.cells[index].target for row in rows],
            "lights": [row.cells[index].light for row in rows],
        }
    return {
        "indicators": indicators,
        "ranked": ranked,
        "subjects": reading.subject_chart(report.campaign, report.unit),
        "gap": reading.area_gap(report.campaign, report.unit, report.targets),
        "history": reading.history(report.campaign, report.unit),
    }


@admin_required
def dashboard(request):
    campaign, campaigns = _campaign(request)
    refreshable = [
        c
        for c in campaigns_visible_to(request.user).select_related("owner_unit")
        if targets.can_set_targets(request.user, c)
    ]
    if campaign is None:
        return render(
            request,
            "manage/monitoring_dashboard.html",
            {"campaign": None, "campaigns": campaigns, "refreshable": refreshable},
        )
    unit = _unit(request, campaign)
    report = reading.unit_report(campaign, unit)
    context = {
        "campaign": campaign,
        "campaigns": campaigns,
        "refreshable": [c for c in refreshable if c.pk == campaign.pk],
        "unit": unit,
        "trail": _trail(request.user, unit),
        "report": report,
        "charts": _chart_data(report) if report.total else None,
        "is_school": unit.kind in (UnitKind.SCHOOL, UnitKind.TEACHING_POINT),
        **monitoring_classrooms.dashboard_context(request.user, unit),
    }
    if not context["is_school"] and report.total:
        context["stages"] = reading.stage_breakdown(campaign, unit, report.targets)
    if context["is_school"]:
        context["idle"] = paginate(request, reading.not_showcased(campaign, unit))
    return render(request, "manage/monitoring_dashboard.html", context)


@admin_required
def export_xlsx(request):
    campaign, _campaigns = _campaign(request)
    if campaign is None:
        raise Http404("campaign")
    unit = _unit(request, campaign)
    report = reading.unit_report(campaign, unit)
    response = HttpResponse(
        exports.report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-{campaign.pk}-{unit.code}.xlsx"'
    )
    return response


@admin_required
@require_POST
def refresh(request):
    campaign = (
        campaigns_visible_to(request.user)
        .select_related("owner_unit")
        .filter(pk=request.POST.get("campaign") or 0)
        .first()
    )
    if campaign is None or not targets.can_set_targets(request.user, campaign):
        raise Http404("campaign")
    count = figures.refresh_campaign(campaign)
    messages.success(request, _("已重新统计 %(n)d 个单位的数据。") % {"n": count})
    return redirect(f"{reverse('manage_monitoring:dashboard')}?campaign={campaign.pk}")


@admin_required
def indicators(request):
    registry.ensure_defaults()
    campaign, campaigns = _campaign(request)
    rows = []
    can_edit = False
    if campaign is not None:
        can_edit = targets.can_set_targets(request.user, campaign)
        for target in targets.campaign_targets(campaign):
            rows.append(
                {
                    "indicator": target.indicator,
                    "urban": target.for_area(AreaType.URBAN),
                    "county": target.for_area(AreaType.COUNTY),
                    "stages": [
                        (
                            f"{SchoolStage(stage).label}"
                            + (f"（{AreaType(area).label}）" if area else ""),
                            value,
                        )
                        for (area, stage), value in sorted(target.by_stage.items())
                    ],
                    "own": IndicatorTarget.objects.filter(
                        indicator=target.indicator, campaign=campaign
                    ).exists(),
                }
            )
    return render(
        request,
        "manage/monitoring_indicators.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "rows": rows,
            "can_edit": can_edit,
            "all_indicators": Indicator.objects.all(),
            "area_types": AreaType.choices,
            # 三个课堂 indicators: per term, their own targets (monitoring_classrooms).
            **monitoring_classrooms.registry_context(request.user),
            "stages": SchoolStage.choices,
        },
    )


@admin_required
@require_POST
def set_target(request):
    campaign = access_monitored_campaign(request.user, int(request.POST.get("campaign") or 0))
    indicator = Indicator.objects.filter(key=request.POST.get("indicator", "")).first()
    back = redirect(f"{reverse('manage_monitoring:indicators')}?campaign={campaign.pk}")
    if indicator is None:
        messages.error(request, _("请选择指标。"))
        return back
    try:
        value = Decimal(request.POST.get("value", "").strip())
    except InvalidOperation:
        messages.error(request, _("目标值须为数字，例如 90 或 2.5，请修改后再保存。"))
        return back
    return run_action(
        request,
        lambda: targets.set_campaign_target(
            Actor.from_request(request),
            campaign,
            indicator,
            request.POST.get("area_type", ""),
            value,
            request.POST.get("stage", ""),
        ),
        _("目标已保存，看板与通报按新目标计算。"),
        back,
    )
