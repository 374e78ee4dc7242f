"""Reading the ledger: a teacher's totals by year, a unit's totals by child unit (drill-down),
the teachers of a subtree with their totals, and the 师训 office's xlsx.

Per-unit totals are one grouped query: every credit under the unit is grouped by the first
``len(path) + steplen`` characters of its unit's materialized path, which is the path of the
child unit it lies under (or the unit's own path for credits booked on the unit itself).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from youke.campaigns.enums import TrainingEvent
from youke.orgs.enums import UnitKind
from youke.orgs.models import Unit
from youke.orgs.validators import mask_id_card
from youke.training.enums import CreditKind
from youke.training.models import TrainingCredit, UnitYearTotal

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")


def hours_of(value) -> Decimal:
    """Sums come back as 13 on SQLite and 13.0 on PostgreSQL: one tenth everywhere."""
    return Decimal(value or 0).quantize(TENTH)


EXCELLENT_EVENTS = (TrainingEvent.CITY_EXCELLENT, TrainingEvent.PROVINCIAL_EXCELLENT)


def column_of(kind: str, event: str) -> str:
    """Which 师训 column a line counts in: 晒课, 优课 or 其他 (manual and corrections)."""
    if kind in (CreditKind.RULE, CreditKind.REVERSAL):
        return "showcase" if event == TrainingEvent.SHOWCASE else "excellent"
    return "other"


@dataclass
class Breakdown:
    showcase: Decimal = ZERO
    excellent: Decimal = ZERO
    other: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.showcase + self.excellent + self.other

    def add(self, kind: str, event: str, hours: Decimal) -> None:
        name = column_of(kind, event)
        setattr(self, name, hours_of(getattr(self, name) + hours))


@dataclass
class YearTotal:
    year: int
    hours: Breakdown = field(default_factory=Breakdown)


def year_totals(credits: QuerySet[TrainingCredit]) -> list[YearTotal]:
    """Totals per year, newest first, split into the 师训 columns (one query)."""
    years: dict[int, YearTotal] = {}
    rows = credits.values("year", "kind", "event").annotate(hours=Sum("hours")).order_by()
    for row in rows:
        years.setdefault(row["year"], YearTotal(row["year"])).hours.add(
            row["kind"], row["event"], row["hours"]
        )
    return [years[year] for year in sorted(years, reverse=True)]


@dataclass
class UnitTotal:
    unit: Unit | None  # None: lines booked on the parent unit itself
    hours: Decimal
    credits: int
    # Teachers with lines in the year; None over all years, where a sum would count a
    # teacher once per year.
    teachers: int | None


def unit_totals(unit: Unit, year: int | None = None) -> tuple[UnitTotal, list[UnitTotal]]:
    """The unit's total and one row per child unit (zero rows included), in two queries.

    Reads the maintained ``UnitYearTotal`` rows (one per unit and year), not the ledger, so
    the cost follows the number of units in the subtree. The caller checks that the viewer
    administers ``unit``. A teacher with lines on two units of one subtree in the same year
    counts on each (transfers within a year; rare, and shown as such).
    """
    prefix_length = len(unit.path) + Unit.steplen
    sums = UnitYearTotal.objects.filter(unit__path__under=unit.path)
    if year is not None:
        sums = sums.filter(year=year)
    grouped = (
        sums.annotate(prefix=Substr("unit__path", 1, prefix_length))
        .values("prefix")
        .annotate(sum_hours=Sum("hours"), sum_lines=Sum("lines"), sum_teachers=Sum("teachers"))
        .order_by()
    )
    by_prefix = {row["prefix"]: row for row in grouped}

    def total_of(target: Unit | None, row: dict) -> UnitTotal:
        return UnitTotal(
            target,
            hours_of(row.get("sum_hours")),
            row.get("sum_lines") or 0,
            (row.get("sum_teachers") or 0) if year is not None else None,
        )

    children = Unit.objects.filter(path__under=unit.path, depth=unit.depth + 1).order_by("path")
    rows = [total_of(child, by_prefix.get(child.path, {})) for child in children]
    if unit.path in by_prefix:
        rows.append(total_of(None, by_prefix[unit.path]))
    whole = {
        "sum_hours": sum((r.get("sum_hours") or 0 for r in by_prefix.values()), start=ZERO),
        "sum_lines": sum(r.get("sum_lines") or 0 for r in by_prefix.values()),
        "sum_teachers": sum(r.get("sum_teachers") or 0 for r in by_prefix.values()),
    }
    return total_of(unit, whole), rows


def teacher_totals(
    credits: QuerySet[TrainingCredit], unit: Unit, year: int | None = None
) -> QuerySet:
    """One row per teacher with credits under ``unit``: id, name, school and hours."""
    scoped = credits.filter(unit__path__under=unit.path)
    if year is not None:
        scoped = scoped.filter(year=year)
    return (
        scoped.values("teacher_id", "teacher__full_name", "teacher__unit__name")
        .annotate(hours=Sum("hours"), credits=Count("id"))
        .order_by("-hours", "teacher__full_name", "teacher_id")
    )


EXPORT_HEADERS = (
    "序号",
    "姓名",
    "身份证号",
    "学校（单位）",
    "县（区）",
    "年度",
    "晒课学时",
    "优课学时",
    "其他学时",
    "合计学时",
    "学时来源",
)


def _county_names(unit: Unit) -> dict[str, str]:
    """Paths and names of the counties a row under ``unit`` can lie in (one query)."""
    ancestors = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    counties = Unit.objects.filter(kind=UnitKind.COUNTY).filter(
        Q(path__under=unit.path) | Q(path__in=ancestors)
    )
    return dict(counties.values_list("path", "name"))


def _county_of(path: str, counties: dict[str, str]) -> str:
    for end in range(Unit.steplen, len(path) + 1, Unit.steplen):
        if path[:end] in counties:
            return counties[path[:end]]
    return ""


def export_rows(
    credits: QuerySet[TrainingCredit], unit: Unit, year: int | None = None, on_line=None
):
    """Rows for the 师训 office: one per teacher and year, sources listed in the last column.

    Streams the credits ordered by teacher with the teacher's name, school and masked ID in
    the same query, so memory holds one teacher at a time and the query count stays at two.
    """
    scoped = credits.filter(unit__path__under=unit.path)
    if year is not None:
        scoped = scoped.filter(year=year)
    counties = _county_names(unit)
    lines = (
        scoped.order_by("teacher__unit__path", "teacher_id", "year", "id")
        .values_list(
            "teacher_id",
            "year",
            "kind",
            "event",
            "hours",
            "source",
            "teacher__full_name",
            "teacher__id_card",
            "teacher__unit__name",
            "teacher__unit__path",
        )
        .iterator(chunk_size=2000)
    )
    index, current, person, hours, sources = 0, None, None, Breakdown(), []

    def row():
        name, id_card, school, path = person
        return (
            index,
            name,
            mask_id_card(id_card),
            school,
            _county_of(path, counties),
            current[1],
            hours.showcase,
            hours.excellent,
            hours.other,
            hours.total,
            "；".join(sources),
        )

    for number, (teacher_id, line_year, kind, event, amount, source, *about) in enumerate(
        lines, start=1
    ):
        if on_line is not None:
            on_line(number)
        key = (teacher_id, line_year)
        if key != current:
            if current is not None:
                index += 1
                yield row()
            current, person, hours, sources = key, about, Breakdown(), []
        hours.add(kind, event, amount)
        sources.append(f"{source}（{amount:+}）")
    if current is not None:
        index += 1
        yield row()


def write_export(
    handle: IO[bytes], credits, unit: Unit, year: int | None = None, on_line=None
) -> int:
    """Stream the export into ``handle``; returns the number of teacher rows."""
    from youke.core.tabular import write_xlsx

    written = 0

    def counted():
        nonlocal written
        for row in export_rows(credits, unit, year, on_line):
            written += 1
            yield row

    title = _("%(unit)s培训学时") % {"unit": unit.name}
    write_xlsx(handle, [_(h) for h in EXPORT_HEADERS], counted(), title=title)
    return written


def per_source(credits: QuerySet[TrainingCredit]) -> dict[int, list[TrainingCredit]]:
    """A teacher's ledger lines grouped by year, newest first (for the 我的学时 page)."""
    grouped: dict[int, list[TrainingCredit]] = defaultdict(list)
    for credit in credits.select_related("campaign", "created_by").order_by("-year", "-id"):
        grouped[credit.year].append(credit)
    return dict(grouped)
