"""What the dashboard, the API, exports and bulletins show: read from the aggregates only.

``unit_report`` gives a unit's subtree figure and each direct child's, every indicator's
value, target and light, in three queries whatever the number of children.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign
from youke.campaigns.rules import campaigns_visible_to
from youke.monitoring.domain import targets as target_domain
from youke.monitoring.domain.figures import teachers
from youke.monitoring.enums import PERCENT_MEASURES, Light
from youke.monitoring.models import FigureHistory, SubjectFigure, UnitFigure
from youke.orgs import rules as org_rules
from youke.orgs.enums import AreaType, SchoolStage, UnitKind
from youke.orgs.models import Person, Unit
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission


@dataclass
class Cell:
    key: str
    measure: str
    value: float | None
    target: float | None
    light: str

    @property
    def light_label(self) -> str:
        return Light(self.light).label

    @property
    def text(self) -> str:
        return format_value(self.value, self.measure)

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.measure)


def format_value(value, measure: str) -> str:
    if value is None:
        return "—"
    if measure in PERCENT_MEASURES:
        return f"{value:.1f}%"
    return f"{value:.2f}"


@dataclass
class Row:
    unit_id: int
    name: str
    code: str
    kind: str
    area_type: str
    teachers: int
    showcased: int
    lessons: int
    excellent: int
    on_time: int
    cells: list[Cell] = field(default_factory=list)
    refreshed_at: datetime | None = None
    stage: str = ""

    @property
    def stage_label(self) -> str:
        return str(SchoolStage(self.stage).label) if self.stage else ""

    @property
    def met_all(self) -> bool:
        known = [c for c in self.cells if c.light != Light.NONE]
        return bool(known) and all(c.light == Light.GREEN for c in known)

    @property
    def behind(self) -> list[Cell]:
        return [c for c in self.cells if c.light in (Light.AMBER, Light.RED)]

    def as_dict(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "name": self.name,
            "code": self.code,
            "kind": self.kind,
            "area_type": self.area_type,
            "stage": self.stage,
            "teachers": self.teachers,
            "showcased": self.showcased,
            "lessons": self.lessons,
            "excellent": self.excellent,
            "on_time": self.on_time,
            "cells": [c.__dict__ for c in self.cells],
        }


@dataclass
class Report:
    campaign: Campaign
    unit: Unit
    targets: list[target_domain.Target]
    total: Row | None
    children: list[Row]

    @property
    def refreshed_at(self) -> datetime | None:
        return self.total.refreshed_at if self.total else None


def monitored_campaigns(person) -> QuerySet[Campaign]:
    """Campaigns the person may see that have figures."""
    return (
        campaigns_visible_to(person)
        .filter(pk__in=UnitFigure.objects.values("campaign_id"))
        .order_by("-year", "-id")
    )


def make_row(figure: UnitFigure, unit: Unit, targets) -> Row:
    row = Row(
        unit_id=unit.pk,
        name=unit.name,
        code=unit.code,
        kind=unit.kind,
        area_type=unit.area_type,
        teachers=figure.teachers,
        showcased=figure.showcased,
        lessons=figure.lessons,
        excellent=figure.excellent,
        on_time=figure.on_time,
        refreshed_at=figure.refreshed_at,
        stage=unit.stage,
    )
    for target in targets:
        measure = target.indicator.measure
        value = target_domain.value_of(measure, figure)
        goal = target.for_figure(unit.area_type, figure, unit.stage)
        row.cells.append(
            Cell(
                key=target.indicator.key,
                measure=measure,
                value=target_domain.rounded(value, measure),
                target=target_domain.rounded(goal, measure),
                light=target_domain.light(target.indicator.direction, value, goal),
            )
        )
    return row


def unit_report(campaign: Campaign, unit: Unit) -> Report:
    """The caller has checked that the person may see ``unit`` (``org_rules.covers``)."""
    targets = target_domain.campaign_targets(campaign)
    figures = list(
        UnitFigure.objects.filter(
            campaign=campaign, path__under=unit.path, depth__in=(unit.depth, unit.depth + 1)
        ).select_related("unit")
    )
    total = next((f for f in figures if f.unit_id == unit.pk), None)
    children = [
        make_row(f, f.unit, targets) for f in figures if f.unit_id != unit.pk and f.unit.is_active
    ]
    children.sort(key=lambda r: r.code)
    return Report(
        campaign=campaign,
        unit=unit,
        targets=targets,
        total=make_row(total, unit, targets) if total else None,
        children=children,
    )


def rows_at_kind(campaign: Campaign, unit: Unit, kind: str, targets) -> list[Row]:
    """Every unit of ``kind`` under ``unit`` (e.g. all counties of a province), by code."""
    figures = (
        UnitFigure.objects.filter(
            campaign=campaign, path__under=unit.path, unit__kind=kind, unit__is_active=True
        )
        .exclude(unit=unit)
        .select_related("unit")
        .order_by("unit__code")
    )
    return [make_row(f, f.unit, targets) for f in figures]


def ranked(rows: list[Row], key: str) -> list[Row]:
    """Best first for the indicator; units without a value last."""

    def sort_key(row: Row):
        cell = next((c for c in row.cells if c.key == key), None)
        value = cell.value if cell else None
        return (value is None, -(value or 0), row.code)

    return sorted(rows, key=sort_key)


def subject_chart(campaign: Campaign, unit: Unit) -> list[dict]:
    rows = (
        SubjectFigure.objects.filter(campaign=campaign, unit=unit, lessons__gt=0)
        .select_related("stage", "subject")
        .order_by("stage__path", "subject__path")
    )
    return [
        {
            "stage": row.stage.name,
            "subject": row.subject.name if row.subject else "",
            "lessons": row.lessons,
        }
        for row in rows
    ]


def area_gap(campaign: Campaign, unit: Unit, targets) -> list[dict]:
    """Urban against county schools of the subtree (seed 001 asks to narrow the gap)."""
    sums = {}
    for area in (AreaType.URBAN, AreaType.COUNTY):
        sums[area] = UnitFigure.objects.filter(
            campaign=campaign,
            path__under=unit.path,
            unit__kind=UnitKind.SCHOOL,
            unit__area_type=area,
        ).aggregate(
            teachers=Sum("teachers"),
            showcased=Sum("showcased"),
            lessons=Sum("lessons"),
            excellent=Sum("excellent"),
            on_time=Sum("on_time"),
            reviews=Sum("reviews"),
            reviews_done=Sum("reviews_done"),
        )
    result = []
    for target in targets:
        values = {}
        for area, summed in sums.items():
            figure = _Summed(**{k: v or 0 for k, v in summed.items()})
            values[area] = target_domain.rounded(
                target_domain.value_of(target.indicator.measure, figure), target.indicator.measure
            )
        result.append(
            {
                "key": target.indicator.key,
                "name": target.indicator.name,
                "urban": values[AreaType.URBAN],
                "county": values[AreaType.COUNTY],
            }
        )
    return result


def stage_breakdown(campaign: Campaign, unit: Unit, targets) -> list[dict]:
    """The subtree's schools summed per 学段, one grouped query: each
    stage's values against that stage's target (its untyped row, else the rows for every
    stage). Schools without a stage are one row with an empty ``stage``."""
    summed = (
        UnitFigure.objects.filter(
            campaign=campaign,
            path__under=unit.path,
            unit__kind=UnitKind.SCHOOL,  # a school's figure holds its teaching points
            unit__is_active=True,
        )
        .values("unit__stage")
        .annotate(
            teachers=Sum("teachers"),
            showcased=Sum("showcased"),
            lessons=Sum("lessons"),
            excellent=Sum("excellent"),
            on_time=Sum("on_time"),
            reviews=Sum("reviews"),
            reviews_done=Sum("reviews_done"),
            schools=Count("pk"),
        )
        .order_by()
    )
    order = {value: index for index, value in enumerate(SchoolStage.values)}
    result = []
    for group in sorted(summed, key=lambda g: order.get(g["unit__stage"], len(order))):
        stage = group.pop("unit__stage")
        schools = group.pop("schools")
        figure = _Summed(**{k: v or 0 for k, v in group.items()})
        cells = []
        for target in targets:
            measure = target.indicator.measure
            value = target_domain.value_of(measure, figure)
            goal = target.for_stage("", stage)
            cells.append(
                Cell(
                    key=target.indicator.key,
                    measure=measure,
                    value=target_domain.rounded(value, measure),
                    target=target_domain.rounded(goal, measure),
                    light=target_domain.light(target.indicator.direction, value, goal),
                )
            )
        result.append(
            {
                "stage": stage,
                "label": str(SchoolStage(stage).label) if stage else _("未注明学段"),
                "schools": schools,
                "teachers": figure.teachers,
                "lessons": figure.lessons,
                "cells": cells,
            }
        )
    return result


@dataclass
class _Summed:
    teachers: int
    showcased: int
    lessons: int
    excellent: int
    on_time: int
    reviews: int
    reviews_done: int


def history(campaign: Campaign, unit: Unit) -> list[dict]:
    return [
        {
            "day": row.day.isoformat(),
            "teachers": row.teachers,
            "showcased": row.showcased,
            "lessons": row.lessons,
            "excellent": row.excellent,
        }
        for row in FigureHistory.objects.filter(campaign=campaign, unit=unit).order_by("day")
    ]


def not_showcased(campaign: Campaign, school: Unit) -> QuerySet[Person]:
    """The school's teachers (and its teaching points') without a submitted package yet."""
    submitted = Submission.objects.filter(
        campaign=campaign, state=SubmissionState.SUBMITTED
    ).values("teacher_id")
    return (
        teachers(Person.objects.filter(unit__path__under=school.path))
        .exclude(pk__in=submitted)
        .select_related("unit")
        .order_by("unit__path", "full_name", "pk")
    )


def may_view(person, unit: Unit) -> bool:
    return org_rules.covers(person, unit)
