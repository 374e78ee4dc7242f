"""Campaign-independent hour rules for 三个课堂 workload (issue 12 item 10, R12).

A county, city or province admin says how many training hours one item of each work kind
earns in their region (``WorkloadHourRule``), with an optional cap per teacher and term.
A teacher's kind uses the deepest unit above them that set it, so a county overrides its
city; a kind nobody above set earns no hours. Crediting is in ``domain.ledger``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from youke.classrooms.domain.workload import ancestor_paths, can_set_weights
from youke.classrooms.enums import WorkKind
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.training.models import WorkloadHourRule

MAX_ITEM_HOURS = Decimal("50")
MAX_TERM_CAP = Decimal("500")


@dataclass(frozen=True)
class HourRule:
    kind: str
    hours: Decimal
    cap: Decimal | None
    unit_path: str

    def hours_for(self, count: int) -> Decimal:
        earned = self.hours * count
        if self.cap is not None:
            earned = min(earned, self.cap)
        return earned.quantize(Decimal("0.1"))


class HourRules:
    """The rule rows above and under some units, resolved per unit path without queries."""

    def __init__(self, rows: list[tuple[str, str, Decimal, Decimal | None]]):
        self.rows = sorted(rows, key=lambda r: -len(r[0]))  # deepest first

    @classmethod
    def around(cls, paths: list[str]) -> HourRules:
        above = {a for p in paths for a in ancestor_paths(p)}
        condition = Q(unit__path__in=above)
        if paths:
            condition |= org_rules.subtree_q(paths, "unit__path")
        found = WorkloadHourRule.objects.filter(condition)
        return cls(list(found.values_list("unit__path", "kind", "hours", "term_cap")))

    def for_path(self, path: str) -> dict[str, HourRule]:
        rules: dict[str, HourRule] = {}
        for unit_path, kind, hours, cap in self.rows:
            if kind not in rules and path.startswith(unit_path):
                rules[kind] = HourRule(kind, hours, cap, unit_path)
        return rules


def rules_for(unit: Unit) -> dict[str, HourRule]:
    """The rules a teacher of ``unit`` (or the unit's own admin) sees applied there."""
    return HourRules.around([unit.path]).for_path(unit.path)


def own_rules(unit: Unit) -> dict[str, WorkloadHourRule]:
    return {r.kind: r for r in WorkloadHourRule.objects.filter(unit=unit)}


def _number(raw, limit: Decimal, field: str, label: str) -> Decimal | None:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        value = None
    if (
        value is None
        or not value.is_finite()
        or value != value.quantize(Decimal("0.1"))
        or not Decimal(0) < value <= limit
    ):
        raise ValidationError(
            {
                field: [
                    _(
                        "“%(label)s”须是大于 0、不超过 %(max)s 的数，最多一位小数，例如 0.5；留空表示不设。"
                    )
                    % {"label": label, "max": limit}
                ]
            }
        )
    return value


def set_rules(
    actor: Actor, unit: Unit, values: dict[str, tuple[object, object]]
) -> dict[str, HourRule]:
    """Set the region's rules: ``{kind: (hours per item, term cap)}``. Blank hours removes
    the region's own rule for the kind (the level above applies again). Every value is
    checked before anything is saved."""
    if actor.person is None or not can_set_weights(actor.person, unit):
        raise PermissionDenied("unit")
    unknown = set(values) - set(WorkKind.values)
    if unknown:
        raise ValidationError(_("未知的工作类型：%(k)s。") % {"k": "、".join(sorted(unknown))})
    parsed: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    errors: dict[str, list[str]] = {}
    for kind, (hours_raw, cap_raw) in values.items():
        label = WorkKind(kind).label
        try:
            hours = _number(hours_raw, MAX_ITEM_HOURS, f"{kind}_hours", label)
            cap = _number(cap_raw, MAX_TERM_CAP, f"{kind}_cap", _("%(k)s每学期上限") % {"k": label})
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if hours is None and cap is not None:
            errors[f"{kind}_hours"] = [
                _("设了“每学期上限”就要填“%(k)s”的每项学时；不计学时请把两项都留空。")
                % {"k": label}
            ]
            continue
        parsed[kind] = (hours, cap)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        mine = WorkloadHourRule.objects.select_for_update().filter(unit=unit)
        before = {r.kind: [str(r.hours), str(r.term_cap or "")] for r in mine}
        for kind, (hours, cap) in parsed.items():
            if hours is None:
                WorkloadHourRule.objects.filter(unit=unit, kind=kind).delete()
            else:
                WorkloadHourRule.objects.update_or_create(
                    unit=unit, kind=kind, defaults={"hours": hours, "term_cap": cap}
                )
        record(
            actor,
            AuditAction.UPDATE,
            unit,
            unit=unit,
            before=before,
            after={k: [str(h or ""), str(c or "")] for k, (h, c) in parsed.items()},
            reason=_("三个课堂工作量计入学时规则"),
        )
    return rules_for(unit)
