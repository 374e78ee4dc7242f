"""The expert's dashboard: their tasks per review round, with progress and deadline."""

from __future__ import annotations

from django.db.models import Count, Q

from youke.selection.domain.review import assignments_visible_to
from youke.selection.enums import AssignmentState, RoundState


def build(person) -> dict:
    rounds = list(
        assignments_visible_to(person)
        .values(
            "round_id", "round__name", "round__deadline", "round__state", "round__campaign__name"
        )
        .annotate(total=Count("id"), done=Count("id", filter=Q(state=AssignmentState.SUBMITTED)))
        .order_by("round__deadline", "round_id")
    )
    for row in rounds:
        row["open"] = row["round__state"] == RoundState.OPEN
        row["left"] = row["total"] - row["done"]
    return {"rounds": rounds, "tasks_left": sum(r["left"] for r in rounds if r["open"])}
