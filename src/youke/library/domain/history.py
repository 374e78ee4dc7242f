"""Watch history and watched time of signed-in people.

The player already posts its position about every 10 s while playing and on pause
(``media/player.js``, ``library:file_position``); each such post is a heartbeat here. A
heartbeat credits the time played since the previous one, bounded three ways:

- by the wall time since the previous heartbeat (fast-forwarding or a replayed request
  cannot add more than the time that passed; the same report sent twice adds nothing);
- by the progress of the position in the same video (seeking back or pausing adds nothing;
  on another video of the lesson, by its position);
- in total, by the duration of all the lesson's videos.

A first heartbeat credits nothing: it starts the clock. Heartbeats closer than
``MIN_INTERVAL`` to the previous one are not written (the next one credits the whole span),
so one person causes at most one upsert every few seconds.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from youke.library.enums import FileKind
from youke.library.models import LibraryFile, WatchHistory

MIN_INTERVAL = datetime.timedelta(seconds=5)
# A gap longer than this is a new sitting (a tab left open overnight): only the position moves.
MAX_GAP = datetime.timedelta(minutes=10)


def lesson_duration(lesson_id: int) -> int:
    total = (
        LibraryFile.objects.filter(lesson_id=lesson_id, kind=FileKind.VIDEO)
        .aggregate(s=Sum("upload__asset__duration_seconds"))
        .get("s")
    )
    return int(total or 0)


def credit(row: WatchHistory, file_id: int, position: float, now: datetime.datetime) -> float:
    """Seconds of watching this heartbeat adds to ``row`` (before the duration cap)."""
    elapsed = (now - row.last_watched_at).total_seconds()
    if elapsed <= 0 or elapsed > MAX_GAP.total_seconds():
        return 0.0
    progress = position - row.last_position if row.last_file_id == file_id else position
    return max(0.0, min(progress, elapsed))


def heartbeat(person, item: LibraryFile, position: float, now=None) -> WatchHistory | None:
    """Record that ``person`` is at ``position`` s of video ``item``; None when not written."""
    now = now or timezone.now()
    position = max(0.0, float(position))
    row = WatchHistory.objects.filter(lesson_id=item.lesson_id, person=person).first()
    if row is None:
        try:
            with transaction.atomic():
                return WatchHistory.objects.create(
                    lesson_id=item.lesson_id,
                    person=person,
                    last_file=item,
                    last_position=position,
                    duration_seconds=lesson_duration(item.lesson_id),
                    last_watched_at=now,
                )
        except IntegrityError:  # another tab's first heartbeat
            row = WatchHistory.objects.get(lesson_id=item.lesson_id, person=person)
    if row.last_file_id == item.pk and now - row.last_watched_at < MIN_INTERVAL:
        return None
    gained = credit(row, item.pk, position, now) + row.carry
    whole = int(gained)
    watched = min(row.seconds_watched + whole, row.duration_seconds)
    carry = gained - whole if watched < row.duration_seconds else 0.0
    # Compare-and-set on the previous heartbeat's time: a concurrent heartbeat that read the
    # same row loses (writes nothing) instead of crediting the same span twice.
    updated = WatchHistory.objects.filter(pk=row.pk, last_watched_at=row.last_watched_at).update(
        last_file=item,
        last_position=position,
        seconds_watched=watched,
        carry=carry,
        last_watched_at=now,
    )
    if not updated:
        return None
    row.last_file_id, row.last_position, row.seconds_watched = item.pk, position, watched
    row.carry, row.last_watched_at = carry, now
    return row


def history_of(person):
    """The person's history of published lessons, most recently watched first."""
    return (
        WatchHistory.objects.filter(person=person, lesson__state="published")
        .select_related("lesson")
        .order_by("-last_watched_at", "-id")
    )


def remove(person, lesson_id: int) -> int:
    """Forget one lesson; 0 when the person has no such entry (nothing to tell apart)."""
    deleted, _rows = WatchHistory.objects.filter(person=person, lesson_id=lesson_id).delete()
    return deleted


def clear(person) -> int:
    deleted, _rows = WatchHistory.objects.filter(person=person).delete()
    return deleted
