"""Monitoring through the API: the indicator registry and targets, figures per unit, and
bulletins (list, compose, publish). Scoping follows the pages: figures only for units in the
caller's admin subtrees, bulletins through ``bulletins_visible_to``; anything else is 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_monitoring import (
    BulletinIn,
    BulletinOut,
    FigureFilters,
    FiguresOut,
    IndicatorFilters,
    IndicatorOut,
    RefreshIn,
    RefreshOut,
    TargetIn,
)
from youke.campaigns.rules import campaigns_visible_to
from youke.manage.views.common import scope_roots
from youke.monitoring.access import (
    access_bulletin,
    access_figures_unit,
    access_monitored_campaign,
)
from youke.monitoring.domain import bulletins, figures, reading, registry, targets
from youke.monitoring.models import Indicator
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.enums import AreaType

router = Router(tags=["monitoring"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _campaign_for_targets(person, campaign_id: int):
    campaign = (
        campaigns_visible_to(person).select_related("owner_unit").filter(pk=campaign_id).first()
    )
    if campaign is None:
        raise Http404("campaign")
    return campaign


@router.get(
    "/monitoring/indicators",
    response={200: list[IndicatorOut], 404: ErrorOut},
    operation_id="list_indicators",
)
def list_indicators(request, filters: Query[IndicatorFilters]):
    """The indicator registry; with ``campaign``, each indicator's targets for it."""
    registry.ensure_defaults()
    applying = {}
    if filters.campaign is not None:
        campaign = _campaign_for_targets(viewer(request), filters.campaign)
        applying = {t.indicator.pk: t for t in targets.campaign_targets(campaign)}
    return [
        {
            "key": indicator.key,
            "name": indicator.name,
            "measure": indicator.measure,
            "direction": indicator.direction,
            "description": indicator.description,
            "targets": _target_rows(applying[indicator.pk]) if indicator.pk in applying else [],
        }
        for indicator in Indicator.objects.all()
    ]


def _target_rows(target) -> list[dict]:
    rows = [{"area_type": a, "stage": "", "value": v} for a, v in sorted(target.by_area.items())]
    rows += [
        {"area_type": a, "stage": s, "value": v} for (a, s), v in sorted(target.by_stage.items())
    ]
    return rows


@router.put(
    "/monitoring/targets", response={200: IndicatorOut, **WRITE_ERRORS}, operation_id="set_target"
)
def set_target(request, payload: TargetIn):
    """Set one target of one campaign (its owners only); returns the indicator's targets."""
    person = viewer(request)
    campaign = _campaign_for_targets(person, payload.campaign)
    indicator = Indicator.objects.filter(key=payload.indicator).first()
    if indicator is None:
        raise Http404("indicator")
    if payload.area_type not in ("", *AreaType.values):
        raise ValidationError({"area_type": [_("只能是 urban、county 或留空。")]})
    targets.set_campaign_target(
        actor(request), campaign, indicator, payload.area_type, payload.value, payload.stage
    )
    chosen = next(t for t in targets.campaign_targets(campaign) if t.indicator.pk == indicator.pk)
    return {
        "key": indicator.key,
        "name": indicator.name,
        "measure": indicator.measure,
        "direction": indicator.direction,
        "description": indicator.description,
        "targets": _target_rows(chosen),
    }


@router.get(
    "/monitoring/figures", response={200: FiguresOut, 404: ErrorOut}, operation_id="get_figures"
)
def get_figures(request, filters: Query[FigureFilters]):
    """A unit's subtree figure and each direct child's, with values, targets and lights."""
    person = viewer(request)
    campaign = access_monitored_campaign(person, filters.campaign)
    if filters.unit is not None:
        unit = access_figures_unit(person, filters.unit)
    else:
        owner = campaign.owner_unit
        unit = next(
            (
                root if root.path.startswith(owner.path) else owner
                for root in scope_roots(person)
                if root.path.startswith(owner.path) or owner.path.startswith(root.path)
            ),
            None,
        )
        if unit is None:
            raise Http404("unit")
    report = reading.unit_report(campaign, unit)
    return {
        "campaign_id": campaign.pk,
        "unit_id": unit.pk,
        "refreshed_at": report.refreshed_at,
        "total": report.total.as_dict() if report.total else None,
        "children": [row.as_dict() for row in report.children],
        "stages": [
            {**row, "cells": [c.__dict__ for c in row["cells"]]}
            for row in reading.stage_breakdown(campaign, unit, report.targets)
        ],
    }


@router.post(
    "/monitoring/refresh",
    response={200: RefreshOut, **WRITE_ERRORS},
    operation_id="refresh_figures",
)
def refresh_figures(request, payload: RefreshIn):
    """Recompute every figure of a campaign now (its owners only)."""
    person = viewer(request)
    campaign = _campaign_for_targets(person, payload.campaign)
    if not targets.can_set_targets(person, campaign):
        raise Http404("campaign")
    return {"units": figures.refresh_campaign(campaign)}


def _bulletin(bulletin) -> dict:
    return {
        "id": bulletin.pk,
        "title": bulletin.title,
        "doc_number": bulletin.doc_number,
        "issuing_unit_id": bulletin.issuing_unit_id,
        "campaign_id": bulletin.campaign_id,
        "state": bulletin.state,
        "is_public": bulletin.is_public,
        "period_start": bulletin.period_start,
        "period_end": bulletin.period_end,
        "indicators": bulletin.indicators,
        "figures_at": bulletin.figures_at,
        "published_at": bulletin.published_at,
        "snapshot": bulletin.snapshot,
    }


@router.get("/monitoring/bulletins", response=list[BulletinOut], operation_id="list_bulletins")
@paginated
def list_bulletins(request):
    """Bulletins issued in the caller's scope (drafts too) and those received from above."""
    rows = bulletins.bulletins_visible_to(viewer(request))
    return rows.order_by("-published_at", "-created_at", "-id")


@router.get(
    "/monitoring/bulletins/{bulletin_id}",
    response={200: BulletinOut, 404: ErrorOut},
    operation_id="get_bulletin",
)
def get_bulletin(request, bulletin_id: int):
    return _bulletin(access_bulletin(viewer(request), bulletin_id))


@router.post(
    "/monitoring/bulletins",
    response={201: BulletinOut, **WRITE_ERRORS},
    operation_id="compose_bulletin",
)
def compose_bulletin(request, payload: BulletinIn):
    """A draft with the figures as they are now; publish it with ``publish_bulletin``."""
    person = viewer(request)
    campaign = access_monitored_campaign(person, payload.campaign)
    unit = access_unit(person, payload.unit)
    if not org_rules.covers(person, unit):
        raise Http404("unit")
    fields = payload.dict(exclude={"campaign", "unit"})
    bulletin = bulletins.compose(actor(request), unit=unit, campaign=campaign, **fields)
    return Status(201, _bulletin(bulletin))


@router.post(
    "/monitoring/bulletins/{bulletin_id}/publish",
    response={200: BulletinOut, **WRITE_ERRORS},
    operation_id="publish_bulletin",
)
def publish_bulletin(request, bulletin_id: int):
    """Number, write the PDF and xlsx, notify the units below; the bulletin is then final."""
    bulletin = access_bulletin(viewer(request), bulletin_id)
    return _bulletin(bulletins.publish(actor(request), bulletin))
