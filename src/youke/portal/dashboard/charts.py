"""Progress per child unit for the admin dashboard's ECharts charts (a JSON endpoint's data).

Packages by state, recommendations against quota and review progress, in five queries
whatever the number of child units.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from youke.orgs.models import Unit
from youke.selection.enums import AssignmentState, EntryState
from youke.selection.models import Assignment, LevelEntry, Quota
from youke.submissions.domain.stats import counts_by_child_unit
from youke.submissions.enums import SubmissionState


def chart_data(person, campaign, unit: Unit) -> dict:
    """Per direct child of ``unit``; the caller has checked that the person covers ``unit``."""
    counted = counts_by_child_unit(person, campaign, unit)
    children = [row.unit for row in counted]
    ids = [child.pk for child in children]
    recommended = dict(
        LevelEntry.objects.filter(
            level__campaign=campaign, unit_id__in=ids, state=EntryState.RECOMMENDED
        )
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    # A quota is overall (no category) or per category; the overall one wins when both exist.
    overall: dict[int, int] = {}
    by_category: dict[int, int] = {}
    quota_rows = (
        Quota.objects.filter(campaign=campaign, unit_id__in=ids)
        .values_list("unit_id", "category_id")
        .annotate(n=Sum("allowed"))
        .order_by()
    )
    for unit_id, category_id, n in quota_rows:
        target = overall if category_id is None else by_category
        target[unit_id] = target.get(unit_id, 0) + n
    prefix = (unit.depth + 1) * Unit.steplen
    by_path = {child.path: index for index, child in enumerate(children)}
    done = [0] * len(children)
    total = [0] * len(children)
    reviews = (
        Assignment.objects.filter(
            round__campaign=campaign, entry__submission__unit__path__under=unit.path
        )
        .values_list("entry__submission__unit__path")
        .annotate(total=Count("id"), done=Count("id", filter=Q(state=AssignmentState.SUBMITTED)))
        .order_by()
    )
    for path, n_total, n_done in reviews:
        index = by_path.get(path[:prefix])
        if index is not None:
            total[index] += n_total
            done[index] += n_done
    return {
        "campaign": campaign.name,
        "unit": unit.name,
        "units": [child.name for child in children],
        "states": [
            {"key": value, "label": str(label), "counts": [row.by_state[value] for row in counted]}
            for value, label in SubmissionState.choices
        ],
        "recommended": [recommended.get(pk, 0) for pk in ids],
        "quota": [overall.get(pk, by_category.get(pk, 0)) for pk in ids],
        "reviews_done": done,
        "reviews_total": total,
    }
