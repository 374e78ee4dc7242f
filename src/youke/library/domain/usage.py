"""Views, visitors and downloads: counted in the cache, written to the database by a flush.

No page request writes to the database. A play beacon (after 10 s of playback) or a download
adds to a counter key; the lesson is marked dirty once and gets a slot in a numbered list.
``flush`` (beat, every minute) reads the dirty lessons' counters, adds them to the rows and
*subtracts* what it wrote from the keys (never deletes them), so counts arriving while it
runs stay for the next flush. A dirty mark expires after ``DIRTY_SECONDS``: if a slot was
ever lost, the next count registers the lesson again; the counters themselves never expire.

- PV: one per visitor and lesson per ``VIEW_WINDOW_SECONDS`` (a reload does not count again);
- UV: one per visitor, lesson and day;
- downloads: one per visitor and file per ``VIEW_WINDOW_SECONDS``.
Likes and ratings are explicit actions of a signed-in person: written at once.
"""

from __future__ import annotations

import contextlib
import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.library.domain import cache_version
from youke.library.models import LessonLike, LessonRating, LibraryFile, LibraryLesson

VIEW_WINDOW_SECONDS = 30 * 60
DIRTY_SECONDS = 600
PREFIX = "youke:library:usage"
SEQ_KEY = f"{PREFIX}:seq"
FLUSHED_KEY = f"{PREFIX}:flushed"
PENDING_KEY = f"{PREFIX}:pending"
LOCK_KEY = f"{PREFIX}:flush-lock"
LESSON_FIELDS = ("views", "visitors", "downloads")


def _counter(lesson_id: int, field: str) -> str:
    return f"{PREFIX}:n:{lesson_id}:{field}"


def _file_counter(file_id: int) -> str:
    return f"{PREFIX}:f:{file_id}"


def _incr(key: str, amount: int = 1) -> None:
    cache.add(key, 0, None)
    try:
        cache.incr(key, amount)
    except ValueError:  # evicted between add and incr
        cache.add(key, amount, None)


def _mark_dirty(lesson_id: int) -> None:
    if cache.add(f"{PREFIX}:dirty:{lesson_id}", 1, DIRTY_SECONDS):
        cache.add(SEQ_KEY, 0, None)
        slot = cache.incr(SEQ_KEY)
        cache.set(f"{PREFIX}:slot:{slot}", lesson_id, None)


def _bump(lesson_id: int, field: str) -> None:
    # Counter first, mark second: a flush that clears the mark in between has read the count.
    _incr(_counter(lesson_id, field))
    _mark_dirty(lesson_id)


def record_view(lesson_id: int, visitor: str, today: datetime.date | None = None) -> bool:
    """Count a view (the player reports 10 s of playback); False when the window holds one."""
    day = (today or timezone.localdate()).isoformat()
    counted = cache.add(f"{PREFIX}:pv:{lesson_id}:{visitor}", 1, VIEW_WINDOW_SECONDS)
    if counted:
        _bump(lesson_id, "views")
    if cache.add(f"{PREFIX}:uv:{day}:{lesson_id}:{visitor}", 1, 26 * 3600):
        _bump(lesson_id, "visitors")
    return counted


def record_download(file: LibraryFile, visitor: str) -> bool:
    if not cache.add(f"{PREFIX}:dl:{file.pk}:{visitor}", 1, VIEW_WINDOW_SECONDS):
        return False
    _incr(_file_counter(file.pk))
    _bump(file.lesson_id, "downloads")
    return True


def pending(lesson_id: int) -> dict[str, int]:
    """Counts not yet flushed (shown added to the stored ones for the viewer's own page)."""
    keys = {f: _counter(lesson_id, f) for f in LESSON_FIELDS}
    values = cache.get_many(list(keys.values()))
    return {f: int(values.get(k) or 0) for f, k in keys.items()}


def collect() -> tuple[list[int], dict[str, int]]:
    """Take the dirty lessons off the list and read their counters (first half of a flush)."""
    seq = int(cache.get(SEQ_KEY) or 0)
    last = int(cache.get(FLUSHED_KEY) or 0)
    retry = list(cache.get(PENDING_KEY) or [])
    slots = retry + list(range(last + 1, seq + 1))
    slot_keys = {f"{PREFIX}:slot:{s}": s for s in slots}
    found = cache.get_many(list(slot_keys))
    # A slot written after we read the sequence is retried once; after that its lesson's mark
    # has expired and the next count registers it again.
    missing = [s for k, s in slot_keys.items() if k not in found and s not in retry]
    cache.set(PENDING_KEY, missing, None)
    cache.set(FLUSHED_KEY, max(seq, last), None)
    lesson_ids = sorted({int(v) for v in found.values()})
    cache.delete_many([f"{PREFIX}:dirty:{i}" for i in lesson_ids] + list(found))
    counter_keys = [_counter(i, f) for i in lesson_ids for f in LESSON_FIELDS]
    files = list(LibraryFile.objects.filter(lesson_id__in=lesson_ids).values_list("pk", flat=True))
    counter_keys += [_file_counter(pk) for pk in files]
    values = cache.get_many(counter_keys)
    return lesson_ids, {k: int(v) for k, v in values.items() if int(v or 0) > 0}


def apply(lesson_ids: list[int], values: dict[str, int]) -> int:
    """Add what ``collect`` read to the rows, then subtract it from the keys."""
    changed = 0
    with transaction.atomic():
        for lesson_id in lesson_ids:
            delta = {f: values.get(_counter(lesson_id, f), 0) for f in LESSON_FIELDS}
            if any(delta.values()):
                LibraryLesson.objects.filter(pk=lesson_id).update(
                    **{f: F(f) + n for f, n in delta.items() if n}
                )
                changed += 1
        for key, n in values.items():
            if key.startswith(f"{PREFIX}:f:"):
                LibraryFile.objects.filter(pk=int(key.rsplit(":", 1)[1])).update(
                    downloads=F("downloads") + n
                )
    for key, n in values.items():
        with contextlib.suppress(ValueError):
            cache.decr(key, n)
    return changed


def flush() -> int:
    """Write buffered counts to the database; returns how many lessons changed."""
    if not cache.add(LOCK_KEY, 1, 300):
        return 0
    try:
        lesson_ids, values = collect()
        changed = apply(lesson_ids, values) if values else 0
    finally:
        cache.delete(LOCK_KEY)
    if changed:
        cache_version.bump_stats()
    return changed


# --- likes and ratings -------------------------------------------------------------------------


def toggle_like(person, lesson: LibraryLesson) -> bool:
    """Like, or take the like back; returns whether the person now likes it."""
    with transaction.atomic():
        LibraryLesson.objects.select_for_update().filter(pk=lesson.pk).first()
        deleted, _rows = LessonLike.objects.filter(lesson=lesson, person=person).delete()
        if not deleted:
            LessonLike.objects.create(lesson=lesson, person=person)
        likes = LessonLike.objects.filter(lesson=lesson).count()
        LibraryLesson.objects.filter(pk=lesson.pk).update(likes=likes)
    lesson.likes = likes
    transaction.on_commit(cache_version.bump_stats)
    return not deleted


def rate(person, lesson: LibraryLesson, stars) -> LessonRating:
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError(_("评分须为 1 到 5 星，请点选星级后再提交。"))
    with transaction.atomic():
        LibraryLesson.objects.select_for_update().filter(pk=lesson.pk).first()
        rating, _created = LessonRating.objects.update_or_create(
            lesson=lesson, person=person, defaults={"stars": stars}
        )
        totals = LessonRating.objects.filter(lesson=lesson).aggregate(n=Count("id"), s=Sum("stars"))
        n, s = totals["n"] or 0, totals["s"] or 0
        LibraryLesson.objects.filter(pk=lesson.pk).update(
            rating_count=n, rating_sum=s, rating_avg=round(s / n, 3) if n else 0
        )
    transaction.on_commit(cache_version.bump_stats)
    return rating
