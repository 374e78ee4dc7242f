"""Workload credit (issue 12 item 10): each teacher's 三个课堂 work in a term, weighted.

Counted from the records themselves, in one grouped query per kind whatever the number of
teachers (five counts, the weights, the names):

- 主讲课时: sessions the teacher hosted in the term's groups that were held (not cancelled;
  ended by the host's mark, or past their end without any mark);
- 辅助听讲课时: held sessions of groups where the teacher is a receiving class's assistant;
- 示范课、公开课: the master's lessons starting in the term, over and not cancelled;
- 评课: evaluations written in the term;
- 网络课堂录课: planned network-course lessons of the term with a recording.

Weights are data (``WorkloadWeight``): a county or city (or province) admin sets them for
their region; a teacher's figures use the deepest unit above them that set a kind, else
``DEFAULT_WEIGHTS``.

Training hours: these counts also feed the training ledger where a region's
``training.WorkloadHourRule`` says so (``training.domain.ledger.credit_workload_term``, once
the term has ended) — see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.enums import LessonState, WorkKind
from youke.classrooms.models import (
    ClassSession,
    DemoLesson,
    Evaluation,
    PlannedLesson,
    Term,
    WorkloadWeight,
)
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import REGION_KINDS, Role
from youke.orgs.models import Person, Unit

DEFAULT_WEIGHTS: dict[str, Decimal] = {
    WorkKind.HOST_PERIOD: Decimal("1"),
    WorkKind.ASSISTED_SESSION: Decimal("0.5"),
    WorkKind.DEMO_LESSON: Decimal("2"),
    WorkKind.REVIEW: Decimal("0.5"),
    WorkKind.NETWORK_LESSON: Decimal("1"),
}
MAX_WEIGHT = Decimal("100")
STEP = 4  # treebeard steplen


def ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


# --- weights ---------------------------------------------------------------------------------


def can_set_weights(person: Person, unit: Unit) -> bool:
    """A county, city or province admin sets the weights of their region."""
    if unit.kind not in REGION_KINDS:
        return False
    paths = rules.role_paths(person, frozenset({Role.UNIT_ADMIN}))
    return paths is None or any(unit.path.startswith(p) for p in paths)


class Weights:
    """The weight rows above and under some units, resolved per unit path without queries."""

    def __init__(self, rows: list[tuple[str, str, Decimal]]):
        # deepest first, so the first matching prefix is the one that applies
        self.rows = sorted(rows, key=lambda r: -len(r[0]))

    @classmethod
    def around(cls, paths: list[str] | None) -> Weights:
        """Rows set at or above any of ``paths`` or under them (None: every row)."""
        found = WorkloadWeight.objects.all()
        if paths is not None:
            above = {a for p in paths for a in ancestor_paths(p)}
            condition = Q(unit__path__in=above)
            if paths:
                condition |= org_rules.subtree_q(paths, "unit__path")
            found = found.filter(condition)
        return cls(list(found.values_list("unit__path", "kind", "weight")))

    def for_path(self, path: str) -> dict[str, Decimal]:
        weights = dict(DEFAULT_WEIGHTS)
        seen = set()
        for unit_path, kind, weight in self.rows:
            if kind not in seen and path.startswith(unit_path):
                weights[kind] = weight
                seen.add(kind)
        return weights


def weights_for(unit: Unit) -> dict[str, Decimal]:
    return Weights.around([unit.path]).for_path(unit.path)


def _parse(kind: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= MAX_WEIGHT:
        raise ValidationError(
            {
                kind: [
                    _("“%(kind)s”的折算课时须是 0–%(max)s 之间的数，例如 0.5。")
                    % {"kind": WorkKind(kind).label, "max": MAX_WEIGHT}
                ]
            }
        )
    return value.quantize(Decimal("0.01"))


def set_weights(actor: Actor, unit: Unit, values: dict[str, object]) -> dict[str, Decimal]:
    """Set the region's weights (all kinds given are checked before any is saved)."""
    if not can_set_weights(actor.person, unit):
        raise PermissionDenied
    unknown = set(values) - set(WorkKind.values)
    if unknown:
        raise ValidationError(_("未知的工作类型：%(k)s。") % {"k": "、".join(sorted(unknown))})
    parsed: dict[str, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for kind, raw in values.items():
        try:
            parsed[kind] = _parse(kind, raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = dict(
            WorkloadWeight.objects.select_for_update()
            .filter(unit=unit)
            .values_list("kind", "weight")
        )
        for kind, weight in parsed.items():
            WorkloadWeight.objects.update_or_create(
                unit=unit, kind=kind, defaults={"weight": weight}
            )
        record(
            actor,
            AuditAction.UPDATE,
            unit,
            unit=unit,
            before={k: str(v) for k, v in before.items()},
            after={k: str(v) for k, v in parsed.items()},
            reason=_("三个课堂工作量折算标准"),
        )
    return weights_for(unit)


# --- counting --------------------------------------------------------------------------------


@dataclass
class WorkRow:
    person_id: int
    full_name: str
    unit_name: str
    unit_path: str
    counts: dict[str, int] = field(default_factory=dict)
    weights: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((self.weights[k] * self.counts.get(k, 0) for k in WorkKind.values), Decimal("0"))

    def cells(self) -> list[int]:
        return [self.counts.get(k, 0) for k in WorkKind.values]


def term_bounds(term: Term) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(term.starts_on, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(term.ends_on + dt.timedelta(days=1), dt.time()))
    return start, end


def held_sessions(now: dt.datetime) -> Q:
    """Sessions that took place: not cancelled; ended by mark, or past their end unmarked."""
    return Q(cancelled_at__isnull=True) & (
        Q(ended_at__isnull=False) | Q(started_at__isnull=True, ends_at__lte=now)
    )


def _scope(paths: list[str] | None, person: Person | None, prefix: str) -> Q:
    if person is not None:
        return Q(**{prefix: person})
    if paths is None:
        return Q(**{f"{prefix}__isnull": False})
    if not paths:
        return Q(pk__in=[])
    return org_rules.subtree_q(paths, f"{prefix}__unit__path")


def workload_rows(
    term: Term,
    *,
    paths: list[str] | None = None,
    person: Person | None = None,
    now: dt.datetime | None = None,
) -> list[WorkRow]:
    """Teachers under ``paths`` (None: everyone), or just ``person``, with work in the term."""
    now = now or timezone.now()
    start, end = term_bounds(term)
    held = held_sessions(now)
    counts: dict[int, dict[str, int]] = {}

    def add(kind: str, rows) -> None:
        for person_id, n in rows:
            if person_id is not None and n:
                counts.setdefault(person_id, {})[kind] = n

    add(
        WorkKind.HOST_PERIOD,
        ClassSession.objects.filter(held, _scope(paths, person, "host_teacher"), group__term=term)
        .values("host_teacher")
        .annotate(n=Count("pk"))
        .values_list("host_teacher", "n"),
    )
    add(
        WorkKind.ASSISTED_SESSION,
        ClassSession.objects.filter(
            held, _scope(paths, person, "group__classrooms__assistant"), group__term=term
        )
        .values("group__classrooms__assistant")
        .annotate(n=Count("pk", distinct=True))
        .values_list("group__classrooms__assistant", "n"),
    )
    add(
        WorkKind.DEMO_LESSON,
        DemoLesson.objects.filter(
            _scope(paths, person, "master__person"),
            starts_at__gte=start,
            starts_at__lt=end,
            ends_at__lte=now,
        )
        .exclude(state=LessonState.CANCELLED)
        .values("master__person")
        .annotate(n=Count("pk"))
        .values_list("master__person", "n"),
    )
    add(
        WorkKind.REVIEW,
        Evaluation.objects.filter(
            _scope(paths, person, "author"), created_at__gte=start, created_at__lt=end
        )
        .values("author")
        .annotate(n=Count("pk"))
        .values_list("author", "n"),
    )
    add(
        WorkKind.NETWORK_LESSON,
        PlannedLesson.objects.filter(
            _scope(paths, person, "teacher"),
            planned_on__gte=term.starts_on,
            planned_on__lte=term.ends_on,
        )
        .exclude(recording_url="", recording__isnull=True)
        .values("teacher")
        .annotate(n=Count("pk"))
        .values_list("teacher", "n"),
    )
    if not counts:
        return []
    people = Person.objects.filter(pk__in=counts).select_related("unit")
    # rows at or above the scope and under it: every teacher's chain is covered
    weights = Weights.around([person.unit.path] if person is not None else paths)
    rows = [
        WorkRow(
            person_id=p.pk,
            full_name=p.full_name,
            unit_name=p.unit.name,
            unit_path=p.unit.path,
            counts=counts[p.pk],
            weights=weights.for_path(p.unit.path),
        )
        for p in people
    ]
    rows.sort(key=lambda r: (-r.total, r.unit_path, r.full_name, r.person_id))
    return rows


def workload_xlsx(term: Term, rows: list[WorkRow]) -> bytes:
    """The appraisal (绩效考核) sheet: counts, weights and the weighted total per teacher."""
    import io

    from youke.core.tabular import write_xlsx

    headers = [_("教师"), _("单位")]
    for kind in WorkKind:
        headers += [str(kind.label), _("%(kind)s折算") % {"kind": kind.label}]
    headers.append(_("折算课时合计"))
    handle = io.BytesIO()

    def lines():
        for row in rows:
            cells: list = [row.full_name, row.unit_name]
            for kind in WorkKind.values:
                cells += [row.counts.get(kind, 0), float(row.weights[kind])]
            cells.append(float(row.total))
            yield cells

    write_xlsx(handle, headers, lines(), title=_("%(term)s工作量") % {"term": term.name})
    return handle.getvalue()
