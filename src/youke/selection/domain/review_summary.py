"""Review aggregates kept current on submit: one summary per entry of a round, one stats row
per expert of a round, and the ranking (R15 vetoes excluded) that reads them.

Only submitted reviews count. Submitting a review (``review.save_scores``) or reopening it
(``review.reopen_review``) calls ``review_changed`` in the same transaction with the round
row locked, so concurrent submits in one round are applied one after another. ``rebuild_round`` recomputes everything from the
submitted assignments (management command ``rebuild_review_summaries``); readers call
``ensure_current`` first, which rebuilds a round whose summaries do not match its reviews
(rounds scored before the summaries existed, or reviews written in bulk).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from youke.selection.enums import AssignmentState, RankingMethod
from youke.selection.models import (
    Assignment,
    EntryReviewSummary,
    ExpertRoundStats,
    ReviewRound,
    RoundReviewTotals,
)

RANK_KEY = {
    RankingMethod.MEAN: "mean",
    RankingMethod.TRIMMED_MEAN: "trimmed_mean",
    RankingMethod.ZSCORE: "zscore",
}


def trimmed_mean(values: list[int]) -> float | None:
    """Mean without the highest and the lowest score once there are at least 4."""
    if not values:
        return None
    if len(values) < 4:
        return statistics.fmean(values)
    return statistics.fmean(sorted(values)[1:-1])


def entry_figures(totals: list[int], vetoes: list[bool], threshold: int) -> dict:
    if not totals:
        return {
            "reviews": 0,
            "mean": None,
            "trimmed_mean": None,
            "low": None,
            "high": None,
            "spread": None,
            "disagreement": False,
            "veto": False,
        }
    low, high = min(totals), max(totals)
    return {
        "reviews": len(totals),
        "mean": statistics.fmean(totals),
        "trimmed_mean": trimmed_mean(totals),
        "low": low,
        "high": high,
        "spread": high - low,
        "disagreement": high - low > threshold,
        "veto": any(vetoes),
    }


def _submitted(review_round: ReviewRound):
    return Assignment.objects.filter(round=review_round, state=AssignmentState.SUBMITTED)


def _lock(review_round: ReviewRound) -> None:
    list(ReviewRound.objects.select_for_update().filter(pk=review_round.pk).values_list("pk"))


# --- writers -------------------------------------------------------------------------------


def create_summaries(review_round: ReviewRound, entry_ids: Iterable[int]) -> None:
    """Empty summaries for entries that have none (when the round opens)."""
    have = set(
        EntryReviewSummary.objects.filter(round=review_round).values_list("entry_id", flat=True)
    )
    EntryReviewSummary.objects.bulk_create(
        [EntryReviewSummary(round=review_round, entry_id=pk) for pk in entry_ids if pk not in have],
        batch_size=1000,
    )
    refresh_totals(review_round)


def _entry_totals(rows) -> tuple[dict, dict]:
    totals: dict[int, list[int]] = defaultdict(list)
    vetoes: dict[int, list[bool]] = defaultdict(list)
    for entry_id, total, veto in rows.values_list("entry_id", "total", "veto").iterator():
        totals[entry_id].append(total)
        vetoes[entry_id].append(veto)
    return totals, vetoes


def refresh_entry(review_round: ReviewRound, entry_id: int) -> None:
    """Recompute one entry's figures from its submitted reviews (ranks: ``refresh_ranks``)."""
    totals, vetoes = _entry_totals(_submitted(review_round).filter(entry_id=entry_id))
    figures = entry_figures(totals[entry_id], vetoes[entry_id], review_round.disagreement_threshold)
    EntryReviewSummary.objects.update_or_create(
        round=review_round, entry_id=entry_id, defaults=figures
    )


def _replace_entries(review_round: ReviewRound) -> None:
    """Every entry summary of the round written afresh (insert, not a bulk UPDATE: Django
    compiles one CASE per row and field, which took seconds for a few thousand rows)."""
    totals, vetoes = _entry_totals(_submitted(review_round))
    threshold = review_round.disagreement_threshold
    EntryReviewSummary.objects.filter(round=review_round).delete()
    EntryReviewSummary.objects.bulk_create(
        [
            EntryReviewSummary(
                round=review_round,
                entry_id=pk,
                **entry_figures(totals[pk], vetoes[pk], threshold),
            )
            for pk in review_round.entries.order_by("id").values_list("id", flat=True).iterator()
        ],
        batch_size=2000,
    )


def _expert_figures(totals: list[int], deviations: list[float]) -> dict:
    return {
        "count": len(totals),
        "mean": statistics.fmean(totals),
        "stdev": statistics.pstdev(totals),
        "deviation": statistics.fmean(deviations) if deviations else None,
    }


def refresh_experts(review_round: ReviewRound, expert_ids: Iterable[int] | None = None) -> None:
    """Recompute count, mean, standard deviation and leniency of these experts (all of the
    round when None); reads the entries' panel means, so refresh the entries first."""
    rows = _submitted(review_round)
    if expert_ids is not None:
        expert_ids = set(expert_ids)
        rows = rows.filter(expert_id__in=expert_ids)
    panel = dict(
        EntryReviewSummary.objects.filter(
            round=review_round, entry_id__in=rows.values("entry_id")
        ).values_list("entry_id", "mean")
    )
    totals: dict[int, list[int]] = defaultdict(list)
    deviations: dict[int, list[float]] = defaultdict(list)
    for expert_id, entry_id, total in rows.values_list("expert_id", "entry_id", "total").iterator():
        totals[expert_id].append(total)
        if panel.get(entry_id) is not None:
            deviations[expert_id].append(total - panel[entry_id])
    stats = ExpertRoundStats.objects.filter(round=review_round)
    if expert_ids is None:
        stats.delete()
        ExpertRoundStats.objects.bulk_create(
            [
                ExpertRoundStats(
                    round=review_round, expert_id=pk, **_expert_figures(own, deviations[pk])
                )
                for pk, own in totals.items()
            ]
        )
        return
    # An expert whose last review was reopened has no figures left.
    stats.filter(expert_id__in=expert_ids - set(totals)).delete()
    for pk, own in totals.items():
        ExpertRoundStats.objects.update_or_create(
            round=review_round, expert_id=pk, defaults=_expert_figures(own, deviations[pk])
        )


# Table and column names are filled in from model metadata and RANK_KEY, never from input.
ZSCORE_SQL = (
    "UPDATE {summary} SET zscore = ("
    " SELECT AVG(CASE WHEN st.stdev > 0 THEN (a.total - st.mean) / st.stdev ELSE 0.0 END)"
    " FROM {assignment} a JOIN {stats} st"
    " ON st.round_id = a.round_id AND st.expert_id = a.expert_id"
    " WHERE a.round_id = {summary}.round_id AND a.entry_id = {summary}.entry_id"
    " AND a.state = %s) WHERE round_id = %s"
)
ZSCORE_OF_EXPERT_SQL = (
    " AND (entry_id = %s OR entry_id IN (SELECT entry_id FROM {assignment}"
    " WHERE round_id = %s AND expert_id = %s AND state = %s))"
)
UNRANK_SQL = (
    "UPDATE {summary} SET {rank} = NULL WHERE round_id = %s AND {rank} IS NOT NULL"
    " AND (reviews = 0 OR veto)"
)
RANK_SQL = (
    "UPDATE {summary} SET {rank} = ranked.position FROM ("
    " SELECT id, ROW_NUMBER() OVER (ORDER BY {key} DESC, entry_id) AS position"
    " FROM {summary} WHERE round_id = %s AND reviews > 0 AND NOT veto) AS ranked"
    " WHERE {summary}.id = ranked.id"
    " AND ({summary}.{rank} IS NULL OR {summary}.{rank} <> ranked.position)"
)


def _names(**extra: str) -> dict[str, str]:
    quote = connection.ops.quote_name
    names = {
        "summary": quote(EntryReviewSummary._meta.db_table),
        "assignment": quote(Assignment._meta.db_table),
        "stats": quote(ExpertRoundStats._meta.db_table),
        "rank": quote("rank"),
    }
    return names | {k: quote(v) for k, v in extra.items()}


def refresh_zscores(review_round: ReviewRound, assignment: Assignment | None = None) -> None:
    """Entry z-score = mean over its reviews of (total − expert mean) / expert SD, an SD of
    0 counting as 0. One UPDATE; after a change to ``assignment`` only its entry and the
    entries its expert reviewed (their z-scores move with the expert's mean and SD)."""
    submitted = AssignmentState.SUBMITTED.value
    template, params = ZSCORE_SQL, [submitted, review_round.pk]
    if assignment is not None:
        template += ZSCORE_OF_EXPERT_SQL
        params += [assignment.entry_id, review_round.pk, assignment.expert_id, submitted]
    with connection.cursor() as cursor:
        cursor.execute(template.format(**_names()), params)


def refresh_ranks(review_round: ReviewRound) -> None:
    """Rank 1… by the round's method (ties by entry id); no rank without reviews or with a
    veto. Two UPDATEs that touch only the rows whose rank changes."""
    names = _names(key=RANK_KEY[review_round.ranking_method])
    with connection.cursor() as cursor:
        cursor.execute(UNRANK_SQL.format(**names), [review_round.pk])
        cursor.execute(RANK_SQL.format(**names), [review_round.pk])


def refresh_totals(review_round: ReviewRound) -> None:
    """The round's counts over every summary (one aggregate, one upsert)."""
    totals = EntryReviewSummary.objects.filter(round=review_round).aggregate(
        entries=Count("id"),
        ranked=Count("id", filter=Q(rank__isnull=False)),
        unscored=Count("id", filter=Q(reviews=0)),
        incomplete=Count("id", filter=Q(reviews__lt=review_round.reviews_per_entry)),
        flagged=Count("id", filter=Q(disagreement=True)),
        veto=Count("id", filter=Q(veto=True)),
        reviews=Coalesce(Sum("reviews"), 0),
    )
    RoundReviewTotals.objects.update_or_create(round=review_round, defaults=totals)


def review_changed(review_round: ReviewRound, assignment: Assignment) -> None:
    """A review was submitted or reopened: its entry, the experts of that entry (their leniency reads
    the entry's mean), the z-scores of the submitting expert's entries, and the ranks."""
    _lock(review_round)
    refresh_entry(review_round, assignment.entry_id)
    panel = set(
        _submitted(review_round)
        .filter(entry_id=assignment.entry_id)
        .values_list("expert_id", flat=True)
    )
    refresh_experts(review_round, panel | {assignment.expert_id})  # also when it left
    refresh_zscores(review_round, assignment)
    refresh_ranks(review_round)
    refresh_totals(review_round)


def rebuild_round(review_round: ReviewRound) -> None:
    """Recompute every figure of the round from its submitted reviews."""
    with transaction.atomic():
        _lock(review_round)
        _replace_entries(review_round)
        refresh_experts(review_round)
        refresh_zscores(review_round)
        refresh_ranks(review_round)
        refresh_totals(review_round)


def is_current(review_round: ReviewRound) -> bool:
    """The stored totals count every entry of the round and every submitted review, and so
    do the expert stats (reviews deleted with a withdrawn entry show here)."""
    totals = RoundReviewTotals.objects.filter(round=review_round).first()
    if totals is None:
        return False
    counted = ExpertRoundStats.objects.filter(round=review_round).aggregate(n=Sum("count"))["n"]
    entries = review_round.entries.count()
    reviews = _submitted(review_round).count()
    return totals.entries == entries and totals.reviews == (counted or 0) == reviews


def ensure_current(review_round: ReviewRound) -> None:
    if not is_current(review_round):
        rebuild_round(review_round)
