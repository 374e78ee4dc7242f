"""The expert picker of a round: each candidate's areas, load, conflicts and fit.

One pass for the whole list (a fixed number of queries, whatever the number of experts).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from youke.catalog.models import CourseNode
from youke.orgs.models import Person
from youke.selection.domain.assignment import (
    _area_paths,
    _eligibility,
    round_entries,
    unit_experts,
)
from youke.selection.enums import RoundState
from youke.selection.models import Assignment, ReviewRound, RoundExpert

AREA_MISMATCH = "mismatch"


@dataclass
class Candidate:
    expert: Person
    areas: list[str]  # "小学数学", "初中" …
    load: int  # assignments carried in open rounds (all units)
    conflicts: int  # entries of this round the expert may not review (school, county, declared)
    mismatch: bool  # none of the expert's areas covers any entry of the round


def area_labels(paths_by_expert: dict[int, list[str]]) -> dict[int, list[str]]:
    """ "小学数学" for a subject area, "初中" for a stage area (names of the path's ancestors)."""
    wanted = {p[:i] for paths in paths_by_expert.values() for p in paths for i in (4, 8)}
    names = dict(CourseNode.objects.filter(path__in=wanted).values_list("path", "name"))
    return {
        pk: sorted("".join(names.get(p[:i], "") for i in range(4, len(p) + 1, 4)) for p in paths)
        for pk, paths in paths_by_expert.items()
    }


def open_loads(expert_ids) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(expert_id__in=expert_ids, round__state=RoundState.OPEN)
        .values("expert_id")
        .annotate(n=Count("id"))
        .values_list("expert_id", "n")
    )
    return dict(rows)


def candidates(review_round: ReviewRound) -> list[Candidate]:
    """Experts of the unit's scope not yet on the panel, fitting ones first."""
    on_panel = set(
        RoundExpert.objects.filter(round=review_round).values_list("expert_id", flat=True)
    )
    people = [p for p in unit_experts(review_round.unit) if p.pk not in on_panel]
    ids = [p.pk for p in people]
    entry_rows = list(round_entries(review_round).values_list("pk", "submission__node__path"))
    areas = _area_paths(ids)
    labels = area_labels(areas)
    loads = open_loads(ids)
    check = _eligibility(review_round, ids, [pk for pk, _path in entry_rows])
    fit_reason = check.area_reason
    result = []
    for person in people:
        conflicted = Counter(
            bool(check.conflict_reason(person.pk, pk)) for pk, _path in entry_rows
        )[True]
        mismatch = bool(entry_rows) and all(fit_reason(person.pk, pk) for pk, _path in entry_rows)
        result.append(
            Candidate(
                expert=person,
                areas=labels.get(person.pk, []),
                load=loads.get(person.pk, 0),
                conflicts=conflicted,
                mismatch=mismatch or not areas.get(person.pk),
            )
        )
    # Fitting experts first, then by name in code-point order (the same on every database).
    result.sort(key=lambda c: (c.mismatch, c.expert.full_name, c.expert.pk))
    return result
