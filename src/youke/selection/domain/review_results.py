"""Reading a round's results from its maintained summaries (``review_summary``): the whole
ranking for jobs and the API, one sorted/filtered/searched page for the results page, the
totals and the experts' leniency. Plain ``.values()`` rows, no per-review objects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from youke.orgs.models import Person
from youke.selection.domain.review_summary import ensure_current
from youke.selection.enums import AssignmentState
from youke.selection.models import (
    Assignment,
    EntryReviewSummary,
    ExpertRoundStats,
    LevelEntry,
    ReviewRound,
    RoundReviewTotals,
)

SORTS = {
    # Ranked entries by rank, then those without reviews, then vetoed ones (R15): the
    # order of the (round, rank, veto, entry) index, so page 1 reads 50 index entries.
    "rank": [F("rank").asc(nulls_last=True), F("veto"), F("entry_id")],
    "mean": [F("mean").desc(nulls_last=True), F("entry_id")],
    "trimmed_mean": [F("trimmed_mean").desc(nulls_last=True), F("entry_id")],
    "zscore": [F("zscore").desc(nulls_last=True), F("entry_id")],
    "spread": [F("spread").desc(nulls_last=True), F("entry_id")],
    "title": [F("entry__submission__title"), F("entry_id")],
}
FILTERS = {
    "": Q(),
    "flagged": Q(disagreement=True),
    "veto": Q(veto=True),
    "unscored": Q(reviews=0),
}
FIGURE_FIELDS = [
    "entry_id",
    "reviews",
    "mean",
    "trimmed_mean",
    "zscore",
    "spread",
    "disagreement",
    "veto",
    "rank",
]
ROW_FIELDS = [*FIGURE_FIELDS, "title", "school", "teacher"]
TOTALS = ["entries", "ranked", "unscored", "incomplete", "flagged", "veto", "reviews"]


@dataclass
class EntryResult:
    entry: LevelEntry
    totals: list[int] = field(default_factory=list)
    mean: float | None = None
    trimmed_mean: float | None = None
    zscore: float | None = None
    spread: int | None = None
    disagreement: bool = False
    veto: bool = False
    rank: int | None = None

    @property
    def reviews(self) -> int:
        return len(self.totals)


@dataclass
class ExpertResult:
    expert: Person
    count: int
    mean: float | None
    stdev: float | None
    # Mean of (this expert's total − the panel mean of the same entry): > 0 lenient, < 0 severe.
    deviation: float | None


def summaries(review_round: ReviewRound) -> QuerySet[EntryReviewSummary]:
    """The round's summaries with the entry's title, school and teacher, in result order."""
    return (
        EntryReviewSummary.objects.filter(round=review_round)
        .annotate(
            title=F("entry__submission__title"),
            school=F("entry__submission__unit__name"),
            teacher=F("entry__submission__teacher__full_name"),
        )
        .order_by(*SORTS["rank"])
    )


def every_row(review_round: ReviewRound) -> list[dict]:
    """Figures, title, school and teacher of every entry of the round in result order."""
    ensure_current(review_round)
    return list(summaries(review_round).values(*ROW_FIELDS))


def round_results(review_round: ReviewRound) -> tuple[list[EntryResult], list[ExpertResult]]:
    """Submitted reviews only; vetoed entries are excluded from the ranking (listed last).

    Every entry of the round, for jobs; pages use ``results_page``."""
    rows = every_row(review_round)
    entries = LevelEntry.objects.select_related("submission__unit", "submission__teacher").in_bulk(
        [row["entry_id"] for row in rows]
    )
    totals: dict[int, list[int]] = defaultdict(list)
    for entry_id, total in (
        Assignment.objects.filter(round=review_round, state=AssignmentState.SUBMITTED)
        .order_by("id")
        .values_list("entry_id", "total")
        .iterator(chunk_size=5000)
    ):
        totals[entry_id].append(total)
    results = [
        EntryResult(
            entry=entries[row["entry_id"]],
            totals=totals[row["entry_id"]],
            mean=row["mean"],
            trimmed_mean=row["trimmed_mean"],
            zscore=row["zscore"],
            spread=row["spread"],
            disagreement=row["disagreement"],
            veto=row["veto"],
            rank=row["rank"],
        )
        for row in rows
    ]
    experts = [
        ExpertResult(
            expert=stats.expert,
            count=stats.count,
            mean=stats.mean,
            stdev=stats.stdev,
            deviation=stats.deviation,
        )
        for stats in ExpertRoundStats.objects.filter(round=review_round)
        .select_related("expert")
        .order_by("expert_id")
    ]
    return results, experts


def results_page(
    review_round: ReviewRound, *, sort: str = "rank", show: str = "", query: str = ""
) -> QuerySet:
    """``.values()`` figures of the round's entries, sorted, filtered and searched by title,
    school or teacher (unknown sort/filter keys fall back to rank/all). Only a search or the
    title sort joins the entry's tables: page the rows, then ``describe`` the page."""
    ensure_current(review_round)
    rows = EntryReviewSummary.objects.filter(round=review_round).filter(FILTERS.get(show, Q()))
    if show == "incomplete":
        rows = rows.filter(reviews__lt=review_round.reviews_per_entry)
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(entry__submission__title__icontains=query)
            | Q(entry__submission__unit__name__icontains=query)
            | Q(entry__submission__teacher__full_name__icontains=query)
        )
    return rows.order_by(*SORTS.get(sort, SORTS["rank"])).values(*FIGURE_FIELDS)


def describe(rows: list[dict]) -> list[dict]:
    """Title, school and teacher of a page of ``results_page`` rows (one query)."""
    names = {
        pk: (title, school, teacher)
        for pk, title, school, teacher in LevelEntry.objects.filter(
            pk__in=[row["entry_id"] for row in rows]
        ).values_list(
            "id", "submission__title", "submission__unit__name", "submission__teacher__full_name"
        )
    }
    for row in rows:
        row["title"], row["school"], row["teacher"] = names[row["entry_id"]]
    return rows


def with_totals(review_round: ReviewRound, rows: list[dict], *, every: bool = False) -> list[dict]:
    """``rows`` (from ``results_page``) with each entry's submitted totals in review order;
    ``every`` when the rows are the whole round (no id list in the query)."""
    reviews = Assignment.objects.filter(round=review_round, state=AssignmentState.SUBMITTED)
    if not every:
        reviews = reviews.filter(entry_id__in=[row["entry_id"] for row in rows])
    totals: dict[int, list[int]] = defaultdict(list)
    for entry_id, total in reviews.order_by("id").values_list("entry_id", "total").iterator():
        totals[entry_id].append(total)
    for row in rows:
        row["totals"] = totals[row["entry_id"]]
    return rows


def round_totals(review_round: ReviewRound) -> dict:
    """Counts over the whole round, whatever page or filter is shown (kept with the
    summaries; read after ``results_page`` or ``every_row`` made them current)."""
    totals = RoundReviewTotals.objects.filter(round=review_round).values(*TOTALS)
    return totals.first() or dict.fromkeys(TOTALS, 0)


def expert_rows(review_round: ReviewRound) -> QuerySet:
    return (
        ExpertRoundStats.objects.filter(round=review_round)
        .order_by("expert_id")
        .values("expert_id", "expert__full_name", "count", "mean", "stdev", "deviation")
    )
