"""Targets from the registry and a figure's value and light against them.

A campaign's own target rows replace its template's rows for that indicator. Within the
chosen rows, a unit typed 城区/县区 takes the row of its type (else the untyped row); a unit
without a type (a city, a province) takes the mean of the typed targets weighted by its
teachers of each type, so a city with mostly rural counties is held to mostly the rural
target — the same sum the counties' own targets add up to.

Rows may also name a school stage (学段). A school or teaching point with a stage takes, in
order, the row of its type and stage, the untyped row of its stage, then the rows above. A
region's own figure keeps the area-weighted target (stage rows apply to schools only; the
dashboard's stage breakdown shows each stage against its own target).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.monitoring.enums import PERCENT_MEASURES, TERM_MEASURES, Direction, Light, Measure
from youke.monitoring.models import Indicator, IndicatorTarget
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import AreaType, SchoolStage

AMBER_SHARE = Decimal("0.8")  # at least 80 % of an at-least target: close, not yet met


@dataclass(frozen=True)
class Target:
    indicator: Indicator
    by_area: dict[str, Decimal]  # "" is the untyped row; rows for every stage only
    by_stage: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (area, stage)

    def for_stage(self, area: str, stage: str) -> Decimal | None:
        """A school's target: its stage's row (typed first) before the rows for every stage."""
        if stage:
            for key in ((area, stage), ("", stage)):
                if key in self.by_stage:
                    return self.by_stage[key]
        return self.for_area(area)

    def for_area(self, area: str) -> Decimal | None:
        if area in self.by_area:
            return self.by_area[area]
        if "" in self.by_area:
            return self.by_area[""]
        # Typed rows only and a unit of another type: hold it to the lowest (documented).
        return min(self.by_area.values()) if self.by_area else None

    def for_figure(self, area: str, figure, stage: str = "") -> Decimal | None:
        if stage:
            return self.for_stage(area, stage)
        if area or not figure.teachers:
            return self.for_area(area)
        other = figure.teachers - figure.teachers_urban - figure.teachers_county
        parts = [
            (figure.teachers_urban, self.for_area(AreaType.URBAN)),
            (figure.teachers_county, self.for_area(AreaType.COUNTY)),
            (other, self.for_area("")),
        ]
        if any(value is None for n, value in parts if n):
            return None
        weighted = sum((Decimal(n) * value for n, value in parts if n), Decimal(0))
        return weighted / Decimal(figure.teachers)


def campaign_targets(campaign: Campaign) -> list[Target]:
    """The indicators that have targets for this campaign, in registry order."""
    rows = list(
        IndicatorTarget.objects.filter(campaign=campaign).select_related("indicator")
    ) + list(
        IndicatorTarget.objects.filter(
            campaign__isnull=True, template_key=campaign.template_key
        ).select_related("indicator")
    )
    chosen: dict[int, dict] = {}
    own = {row.indicator_id for row in rows if row.campaign_id}
    for row in rows:
        if row.campaign_id is None and row.indicator_id in own:
            continue
        entry = chosen.setdefault(
            row.indicator_id, {"indicator": row.indicator, "areas": {}, "stages": {}}
        )
        if row.stage:
            entry["stages"][(row.area_type, row.stage)] = row.value
        else:
            entry["areas"][row.area_type] = row.value
    targets = [
        Target(entry["indicator"], entry["areas"], entry["stages"]) for entry in chosen.values()
    ]
    return sorted(targets, key=lambda t: (t.indicator.order, t.indicator.pk))


def value_of(measure: str, figure) -> Decimal | None:
    """The indicator's value for an aggregate; None when its denominator is zero."""
    if measure == Measure.ON_TIME_RATE:
        numerator, denominator = figure.on_time, figure.lessons
    elif measure == Measure.REVIEW_COMPLETION:
        numerator, denominator = figure.reviews_done, figure.reviews
    else:
        denominator = figure.teachers
        numerator = {
            Measure.PARTICIPATION: figure.showcased,
            Measure.LESSONS_PER_TEACHER: figure.lessons,
            Measure.EXCELLENT_RATE: figure.excellent,
        }[measure]
    if not denominator:
        return None
    scale = 100 if measure in PERCENT_MEASURES else 1
    return Decimal(numerator * scale) / Decimal(denominator)


def light(direction: str, value: Decimal | None, target: Decimal | None) -> str:
    if value is None or target is None:
        return Light.NONE
    if direction == Direction.AT_MOST:
        if value <= target:
            return Light.GREEN
        return Light.AMBER if value * AMBER_SHARE <= target else Light.RED
    if value >= target:
        return Light.GREEN
    return Light.AMBER if value >= target * AMBER_SHARE else Light.RED


def rounded(value: Decimal | None, measure: str) -> float | None:
    if value is None:
        return None
    places = Decimal("0.1") if measure in PERCENT_MEASURES else Decimal("0.01")
    return float(value.quantize(places, rounding=ROUND_HALF_UP))


# --- writing targets --------------------------------------------------------------------------


def can_set_targets(person, campaign: Campaign) -> bool:
    """The campaign's owners (admins covering its owner unit) set its targets."""
    return org_rules.covers(person, campaign.owner_unit)


@transaction.atomic
def set_campaign_target(
    actor: Actor,
    campaign: Campaign,
    indicator: Indicator,
    area_type: str,
    value: Decimal,
    stage: str = "",
) -> IndicatorTarget:
    """Set one target for one campaign (for an area type and/or a school stage, or all).
    The first campaign row of an indicator copies the template's rows, so the other unit
    types keep their targets instead of losing them."""
    if actor.person is None or not can_set_targets(actor.person, campaign):
        raise PermissionDenied("targets")
    if indicator.measure in TERM_MEASURES:
        raise ValidationError(
            _("三个课堂指标按学期统计，不按活动设定目标：请在“三个课堂指标目标”中设定。")
        )
    if area_type not in ("", *AreaType.values):
        raise ValidationError(_("城区/县区只能是“城区”“县区”或留空（适用于全部单位）。"))
    if stage not in ("", *SchoolStage.values):
        raise ValidationError(
            _("学段只能是：%(allowed)s，或留空（适用于全部学段）。")
            % {"allowed": "、".join(str(label) for label in SchoolStage.labels)}
        )
    if value < 0 or (indicator.measure in PERCENT_MEASURES and value > 100):
        raise ValidationError(_("目标值应在 0 到 100 之间（百分比），请修改后再保存。"))
    mine = IndicatorTarget.objects.filter(indicator=indicator, campaign=campaign)
    if not mine.exists():
        for row in IndicatorTarget.objects.filter(
            indicator=indicator, campaign__isnull=True, template_key=campaign.template_key
        ):
            IndicatorTarget.objects.create(
                indicator=indicator,
                campaign=campaign,
                area_type=row.area_type,
                stage=row.stage,
                value=row.value,
            )
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        campaign=campaign,
        area_type=area_type,
        stage=stage,
        defaults={"value": value},
    )
    record(
        actor,
        AuditAction.UPDATE,
        target,
        unit=campaign.owner_unit,
        after={
            "indicator": indicator.key,
            "area_type": area_type,
            "stage": stage,
            "value": str(value),
        },
    )
    return target
