"""我的收藏: a signed-in person keeps library lessons; the count lives on the lesson.

Adding twice or removing what is not there changes nothing (the page's toggle and the API's
add/remove are idempotent). The lesson row is locked while the count is recomputed, so two
people favouriting at once never lose a count.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from youke.library.models import LessonFavourite, LibraryLesson


def _recount(lesson: LibraryLesson) -> int:
    count = LessonFavourite.objects.filter(lesson=lesson).count()
    LibraryLesson.objects.filter(pk=lesson.pk).update(favourites=count)
    lesson.favourites = count
    return count


def set_favourite(person, lesson: LibraryLesson, on: bool) -> bool:
    """Make the lesson a favourite of the person (``on``) or not; returns the new state."""
    with transaction.atomic():
        LibraryLesson.objects.select_for_update().filter(pk=lesson.pk).first()
        exists = LessonFavourite.objects.filter(lesson=lesson, person=person).exists()
        if on and not exists:
            try:
                with transaction.atomic():
                    LessonFavourite.objects.create(lesson=lesson, person=person)
            except IntegrityError:  # the same person's second tab won the race
                pass
        elif not on and exists:
            LessonFavourite.objects.filter(lesson=lesson, person=person).delete()
        if on != exists:
            _recount(lesson)
    return on


def toggle_favourite(person, lesson: LibraryLesson) -> bool:
    on = not LessonFavourite.objects.filter(lesson=lesson, person=person).exists()
    return set_favourite(person, lesson, on)


def is_favourite(person, lesson: LibraryLesson) -> bool:
    if not person.is_authenticated:
        return False
    return LessonFavourite.objects.filter(lesson=lesson, person=person).exists()


def favourites_of(person):
    """The person's favourites of published lessons, newest first (rows carry ``lesson``)."""
    return (
        LessonFavourite.objects.filter(person=person, lesson__state="published")
        .select_related("lesson")
        .order_by("-created_at", "-id")
    )
