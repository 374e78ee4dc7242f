"""三个课堂 indicators in the registry (issue 11 item 1, issue 12 item 11).

Their figures are per *term* rather than per campaign, and are computed by
``classrooms.domain.indicators.unit_indicators`` (one grouped query per figure over the
subtree); this module only registers them as ``Indicator`` rows (measures in
``TERM_MEASURES``), keeps their targets — rows with neither template nor campaign, per area
type like the others — and puts a traffic light beside each figure with
``targets.light``. Default targets come from the seeds: R16 asks every master teacher for
the semester's lesson (duty completion 100 %), and 开齐开足 asks every planned period to be
held (开课率 100 %); the other figures have no default target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.monitoring.domain.targets import Target, light
from youke.monitoring.enums import PERCENT_MEASURES, TERM_MEASURES, Direction, Light, Measure
from youke.monitoring.models import Indicator, IndicatorTarget
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import AreaType

ORDER_FROM = 100  # after the campaign indicators in the registry

# key, name, measure, definition, the column of ``classrooms.domain.indicators``
CLASSROOM_INDICATORS = [
    (
        "cls_periods_per_week",
        "主讲教室周均课时",
        Measure.CLASSROOM_PERIODS,
        "专递课堂已开课时 ÷ 本学期已过周数 ÷ 主讲教室数（按主讲学校）",
        "periods_per_week",
    ),
    (
        "cls_held_rate",
        "开课率",
        Measure.CLASSROOM_HELD_RATE,
        "已开课时 ÷ 截至目前应开课时（按主讲学校）",
        "held_rate",
    ),
    (
        "cls_attendance_rate",
        "出勤率",
        Measure.CLASSROOM_ATTENDANCE,
        "听讲课堂实到人数 ÷ 应到人数（按听讲学校）",
        "attendance_rate",
    ),
    (
        "cls_new_subjects",
        "新开齐学科",
        Measure.CLASSROOM_NEW_SUBJECTS,
        "听讲学校本学期开设、以往学期未开设的学校·学科数",
        "new_subjects",
    ),
    (
        "cls_duty_rate",
        "名师任务完成率",
        Measure.CLASSROOM_DUTY,
        "完成本学期示范课、公开课任务（R16）的名师 ÷ 在册名师数",
        "duty_rate",
    ),
    (
        "cls_shared_courses",
        "网络课程共享数",
        Measure.CLASSROOM_SHARED,
        "本学期通过教研、电教两部门审核并共享的网络课程数（R17）",
        "shared_courses",
    ),
]
COLUMN_OF = {row[0]: row[4] for row in CLASSROOM_INDICATORS}
DEFAULT_TARGETS = [
    # indicator, area type ("" = every unit), value
    ("cls_duty_rate", "", Decimal(100)),
    ("cls_held_rate", "", Decimal(100)),
]


def ensure_defaults() -> None:
    """Add the rows and default targets where missing (never overwriting an edited one)."""
    keys = [row[0] for row in CLASSROOM_INDICATORS]
    if Indicator.objects.filter(key__in=keys).count() == len(keys):
        return
    with transaction.atomic():
        made = {}
        for order, (key, name, measure, description, _column) in enumerate(
            CLASSROOM_INDICATORS, start=ORDER_FROM
        ):
            made[key], created = Indicator.objects.get_or_create(
                key=key,
                defaults={
                    "name": name,
                    "measure": measure,
                    "description": description,
                    "order": order,
                    "direction": Direction.AT_LEAST,
                },
            )
            if created:
                for target_key, area, value in DEFAULT_TARGETS:
                    if target_key == key:
                        IndicatorTarget.objects.get_or_create(
                            indicator=made[key],
                            template_key="",
                            campaign=None,
                            area_type=area,
                            defaults={"value": value},
                        )


def term_indicators() -> list[Indicator]:
    ensure_defaults()
    return list(Indicator.objects.filter(measure__in=TERM_MEASURES))


def term_targets() -> list[Target]:
    """Every 三个课堂 indicator with its targets by area type (possibly none), in order."""
    indicators = term_indicators()
    areas: dict[int, dict[str, Decimal]] = {i.pk: {} for i in indicators}
    for row in IndicatorTarget.objects.filter(
        indicator__in=indicators, campaign__isnull=True, template_key=""
    ):
        areas[row.indicator_id][row.area_type] = row.value
    return [Target(i, areas[i.pk]) for i in indicators]


def target_rows() -> list[dict]:
    """The registry page's table: each 三个课堂 indicator with its target per unit type."""
    return [
        {
            "indicator": t.indicator,
            "all": t.by_area.get(""),
            "urban": t.by_area.get(AreaType.URBAN),
            "county": t.by_area.get(AreaType.COUNTY),
        }
        for t in term_targets()
    ]


@dataclass(frozen=True)
class Cell:
    value: Decimal | int | None
    target: Decimal | None
    light: str
    percent: bool

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label)


def cells_for(row, targets: list[Target]) -> dict[str, Cell]:
    """``{classrooms column: Cell}`` for one ``classrooms.domain.indicators.IndicatorRow``.

    A unit typed 城区/县区 takes its type's target; a city or province (untyped) takes the
    untyped row, else the lowest typed one (``Target.for_area``): the 三个课堂 figures have
    no per-teacher weighting to mix typed targets with.
    """
    area = (row.unit.area_type if row.unit is not None else "") or ""
    found = {}
    for target in targets:
        column = COLUMN_OF.get(target.indicator.key)
        if column is None:  # an admin-made row with a term measure: shown, never lit
            continue
        value = row.values.get(column)
        goal = target.for_area(area) if target.by_area else None
        found[column] = Cell(
            value=value,
            target=goal,
            light=light(
                target.indicator.direction, None if value is None else Decimal(value), goal
            ),
            percent=target.indicator.measure in PERCENT_MEASURES,
        )
    return found


def lit_rows(total, rows, columns) -> tuple[list, list[list]]:
    """The total's and each row's cells in the page's column order."""
    targets = term_targets()
    keys = [key for key, _label in columns]

    def line(row):
        cells = cells_for(row, targets)
        return [
            cells.get(key) or Cell(row.values.get(key), None, Light.NONE, False) for key in keys
        ]

    return line(total), [line(row) for row in rows]


# --- writing targets --------------------------------------------------------------------------


def can_set_term_targets(person) -> bool:
    """The 三个课堂 targets hold for every term and region: a province (or higher) admin's."""
    paths = org_rules.admin_paths(person)
    return paths is None or any(len(p) <= 8 for p in paths)


@transaction.atomic
def set_term_target(
    actor: Actor, indicator: Indicator, area_type: str, value: Decimal | None
) -> IndicatorTarget | None:
    """Set (or, with ``value`` None, remove) one 三个课堂 target for a unit type."""
    if actor.person is None or not can_set_term_targets(actor.person):
        raise PermissionDenied("targets")
    if indicator.measure not in TERM_MEASURES:
        raise ValidationError(_("该指标按遴选活动统计，请在“活动目标”中设定。"))
    if area_type not in ("", *AreaType.values):
        raise ValidationError(_("城区/县区只能是“城区”“县区”或留空（适用于全部单位）。"))
    if value is not None and (value < 0 or (indicator.measure in PERCENT_MEASURES and value > 100)):
        raise ValidationError(_("目标值应在 0 到 100 之间（百分比），请修改后再保存。"))
    rows = IndicatorTarget.objects.filter(
        indicator=indicator, campaign__isnull=True, template_key="", area_type=area_type
    )
    before = [str(v) for v in rows.values_list("value", flat=True)]
    target = None
    if value is None:
        rows.delete()
    else:
        target, _created = IndicatorTarget.objects.update_or_create(
            indicator=indicator,
            campaign=None,
            template_key="",
            area_type=area_type,
            defaults={"value": value},
        )
    record(
        actor,
        AuditAction.UPDATE,
        indicator,
        before={"area_type": area_type, "value": before},
        after={"indicator": indicator.key, "area_type": area_type, "value": str(value or "")},
    )
    return target
