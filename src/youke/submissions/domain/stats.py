"""Counts of submissions per subordinate unit, for every admin in the chain.

Higher levels may not open packages before they are recommended to them, but they see how
many each child unit has, by state. The counts page and the API share this function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count

from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.submissions import rules
from youke.submissions.enums import SubmissionState

if TYPE_CHECKING:
    from youke.campaigns.models import Campaign
    from youke.orgs.models import Person


@dataclass
class ChildCounts:
    """One direct child of the counted unit: packages by state (every state present)."""

    unit: Unit
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def in_state_order(self) -> list[int]:
        return [self.by_state[value] for value in SubmissionState.values]


def counts_by_child_unit(person: Person, campaign: Campaign, unit: Unit) -> list[ChildCounts]:
    """Per direct child of ``unit``: the campaign's packages under it, by state.

    Two queries whatever the number of children: the children, and one grouped count whose
    rows are bucketed under the child whose path prefixes the package's unit.
    """
    if not org_rules.covers(person, unit):
        raise PermissionDenied("unit")
    children = list(
        Unit.objects.filter(path__under=unit.path, depth=unit.depth + 1).order_by("path")
    )
    rows = {
        child.path: ChildCounts(child, dict.fromkeys(SubmissionState.values, 0))
        for child in children
    }
    prefix = (unit.depth + 1) * Unit.steplen
    grouped = (
        rules.counts_visible_to(person)
        .filter(campaign=campaign, unit__path__under=unit.path)
        .values_list("unit__path", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for path, state, n in grouped:
        row = rows.get(path[:prefix])
        if row is not None:  # packages of the unit itself belong to no child
            row.by_state[state] = row.by_state.get(state, 0) + n
    return list(rows.values())
