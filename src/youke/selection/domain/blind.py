"""Blind rounds: make sure every entry under review has its blind copies.

Copies are made when a material is checked; packages checked before blind review existed
(or before the campaign's cut changed) get theirs queued when a blind round opens or when
entries are assigned. The job itself is idempotent, so queuing twice costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from youke.selection.models import LevelEntry, ReviewRound
from youke.submissions.domain import blind_copies


def prepare_blind_copies(review_round: ReviewRound, entry_ids: Iterable[int] | None = None) -> int:
    """Queue the blind-copy job for what the round's entries miss; returns how many."""
    if not review_round.blind:
        return 0
    entries = (
        LevelEntry.objects.filter(pk__in=list(entry_ids))
        if entry_ids is not None
        else review_round.entries.all()
    )
    return blind_copies.queue_missing(entries.values_list("submission_id", flat=True))
