"""三个课堂 indicators for a unit's subtree in a term, per child unit (issue 12 item 11).

Each figure is one grouped query over the whole subtree, grouped by the child unit's path
prefix (``Substr(path, 1, len(unit.path) + 4)``), so the page costs the same for 3 children
or 300. Work that belongs to the unit itself (not under a child) is its own row ("本级").

- 主讲教室周均课时: held sessions ÷ weeks of the term so far ÷ host classrooms (the official
  survey's "专递课堂本学期平均每周主讲教室开课课时数"); by the host school;
- 开课率: held sessions ÷ sessions due so far (regular, not make-up); by the host school;
- 出勤率: students present ÷ expected, from attendance records; by the receiving school;
- 新开齐学科: (receiving school, subject) pairs served this term and by no earlier term;
- 名师任务完成率 (R16): masters with enough reviewed lessons ÷ active masters; by the
  master's own school;
- 网络课程共享: network courses shared during the term; by the pilot school.

The monitoring registry lists these as per-term indicators with their targets
(``monitoring.domain.classroom_source``), which calls this module for the figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youke.classrooms.domain.duty import reviewed_q
from youke.classrooms.domain.workload import held_sessions, term_bounds
from youke.classrooms.enums import CourseState, LessonState
from youke.classrooms.models import (
    Attendance,
    ClassSession,
    DeliveryGroup,
    DemoLesson,
    MasterTeacher,
    NetworkCourse,
    ReceivingClassroom,
    Term,
)
from youke.orgs.models import Unit

STEP = 4
OWN = "own"  # the row of the unit itself

COLUMNS = [
    ("periods_per_week", _("主讲教室周均课时")),
    ("held_rate", _("开课率（%）")),
    ("attendance_rate", _("出勤率（%）")),
    ("new_subjects", _("新开齐学科（校·科）")),
    ("duty_rate", _("名师任务完成率（%）")),
    ("shared_courses", _("网络课程共享数")),
]
KEYS = [key for key, _label in COLUMNS]


@dataclass
class IndicatorRow:
    key: str  # a child's path, or OWN
    name: str
    unit: Unit | None
    raw: dict[str, int] = field(default_factory=dict)
    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    rank: int | None = None

    @property
    def cells(self) -> list:
        return [self.values.get(key) for key in KEYS]


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def weeks_so_far(term: Term, today: dt.date) -> Decimal:
    end = min(today, term.ends_on)
    days = (end - term.starts_on).days + 1
    return (
        max(Decimal(1), (Decimal(days) / 7).quantize(Decimal("0.01"))) if days > 0 else Decimal(1)
    )


def _grouped(queryset, path_field: str, length: int, unit_path: str, **aggregates) -> dict:
    """{child prefix or OWN: {name: value}} for rows under ``unit_path``."""
    rows = (
        queryset.filter(**{f"{path_field}__startswith": unit_path})
        .annotate(child=Substr(path_field, 1, length))
        .values("child")
        .annotate(**aggregates)
    )
    found: dict[str, dict] = {}
    for row in rows:
        key = row.pop("child")
        key = OWN if len(key) < length else key
        into = found.setdefault(key, {})
        for name, value in row.items():
            into[name] = into.get(name, 0) + (value or 0)
    return found


def unit_indicators(
    term: Term, unit: Unit, *, now: dt.datetime | None = None, sort: str = "periods_per_week"
) -> tuple[IndicatorRow, list[IndicatorRow]]:
    """The unit's own totals and its children's rows, ranked by ``sort`` (highest first)."""
    now = now or timezone.now()
    length = len(unit.path) + STEP
    start, end = term_bounds(term)
    held = held_sessions(now)
    sessions = ClassSession.objects.filter(group__term=term)
    raw: dict[str, dict[str, int]] = {}

    def merge(found: dict) -> None:
        for key, values in found.items():
            raw.setdefault(key, {}).update(values)

    merge(
        _grouped(
            sessions,
            "group__host_school__path",
            length,
            unit.path,
            held=Count("pk", filter=held & Q(starts_at__lte=now)),
            due=Count("pk", filter=Q(extra=False, starts_at__lte=now)),
        )
    )
    # distinct host classrooms = (host school, classroom name) pairs: counted in Python from
    # one small query (a group row per pair).
    rooms: dict[str, set] = {}
    for path, school_id, room in DeliveryGroup.objects.filter(
        term=term, host_school__path__startswith=unit.path
    ).values_list("host_school__path", "host_school_id", "host_classroom"):
        key = OWN if len(path) < length else path[:length]
        rooms.setdefault(key, set()).add((school_id, room.strip()))
    for key, pairs in rooms.items():
        raw.setdefault(key, {})["rooms"] = len(pairs)
    merge(
        _grouped(
            Attendance.objects.filter(session__group__term=term),
            "classroom__school__path",
            length,
            unit.path,
            present=Sum("present"),
            expected=Sum("expected"),
        )
    )
    earlier = set(
        (school, subject)
        for school, subjects in ReceivingClassroom.objects.filter(
            group__term__starts_on__lt=term.starts_on, school__path__startswith=unit.path
        ).values_list("school_id", "group__subjects")
        for subject in subjects or []
    )
    pairs: dict[str, set] = {}
    for school, path, subjects in ReceivingClassroom.objects.filter(
        group__term=term, school__path__startswith=unit.path
    ).values_list("school_id", "school__path", "group__subjects"):
        key = OWN if len(path) < length else path[:length]
        for subject in subjects or []:
            if (school, subject) not in earlier:
                pairs.setdefault(key, set()).add((school, subject))
    for key, found in pairs.items():
        raw.setdefault(key, {})["new_subjects"] = len(found)
    in_term = DemoLesson.objects.filter(
        master=OuterRef("pk"), starts_at__gte=start, starts_at__lt=end
    ).exclude(state=LessonState.CANCELLED)
    reviewed = (
        MasterTeacher.objects.filter(is_active=True)
        .annotate(
            reviewed=Count(
                "lessons",
                filter=Q(lessons__in=in_term.filter(reviewed_q()).values("pk")),
                distinct=True,
            )
        )
        .filter(person__unit__path__startswith=unit.path)
    )
    for path, count in reviewed.values_list("person__unit__path", "reviewed"):
        key = OWN if len(path) < length else path[:length]
        into = raw.setdefault(key, {})
        into["masters"] = into.get("masters", 0) + 1
        into["masters_done"] = into.get("masters_done", 0) + int(
            count >= term.master_lessons_required
        )
    merge(
        _grouped(
            NetworkCourse.objects.filter(
                state=CourseState.SHARED, shared_at__gte=start, shared_at__lt=end
            ),
            "pilot__school__path",
            length,
            unit.path,
            shared=Count("pk"),
        )
    )
    weeks = weeks_so_far(term, timezone.localdate(now))
    children = {
        c.path: c for c in Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    }
    rows = [
        IndicatorRow(key=path, name=c.name, unit=c, raw=raw.get(path, {}))
        for path, c in sorted(children.items())
    ]
    if OWN in raw:
        rows.append(IndicatorRow(key=OWN, name=str(_("本级")), unit=unit, raw=raw[OWN]))
    total = IndicatorRow(key="total", name=unit.name, unit=unit, raw={})
    for row in rows:
        for name, value in row.raw.items():
            total.raw[name] = total.raw.get(name, 0) + value
    for row in [*rows, total]:
        row.values = _values(row.raw, weeks)
    ranked = [r for r in rows if r.values.get(sort) is not None]
    ranked.sort(key=lambda r: (-r.values[sort], r.name))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    unranked = [r for r in rows if r.rank is None]
    return total, ranked + sorted(unranked, key=lambda r: r.name)


def _values(raw: dict[str, int], weeks: Decimal) -> dict:
    rooms = raw.get("rooms", 0)
    return {
        "periods_per_week": (Decimal(raw.get("held", 0)) / weeks / rooms).quantize(Decimal("0.1"))
        if rooms
        else None,
        "held_rate": _pct(raw.get("held", 0), raw.get("due", 0)),
        "attendance_rate": _pct(raw.get("present", 0), raw.get("expected", 0)),
        "new_subjects": raw.get("new_subjects", 0),
        "duty_rate": _pct(raw.get("masters_done", 0), raw.get("masters", 0)),
        "shared_courses": raw.get("shared", 0),
    }
