"""Counters: buffered in the cache, one view per visitor per window, nothing lost in a flush."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.library.conftest import make_lesson
from youke.library.domain import usage
from youke.library.models import LibraryFile


@pytest.fixture
def lesson(province, lessons):
    return make_lesson(lessons[0], "圆周率的认识")


def stored(lesson):
    lesson.refresh_from_db()
    return lesson.views, lesson.visitors, lesson.downloads


def test_counting_a_view_writes_nothing_to_the_database(lesson):
    with CaptureQueriesContext(connection) as queries:
        usage.record_view(lesson.pk, "c1")
    assert [q["sql"] for q in queries.captured_queries] == []
    assert stored(lesson) == (0, 0, 0)
    assert usage.pending(lesson.pk) == {"views": 1, "visitors": 1, "downloads": 0}


def test_a_reload_within_the_window_does_not_count_again(lesson):
    assert usage.record_view(lesson.pk, "c1") is True
    assert usage.record_view(lesson.pk, "c1") is False
    assert usage.record_view(lesson.pk, "c2") is True
    usage.flush()
    assert stored(lesson) == (2, 2, 0)


def test_unique_visitors_count_once_per_day(lesson, settings):
    day = datetime.date(2026, 9, 1)
    usage.record_view(lesson.pk, "c1", today=day)
    usage.record_view(lesson.pk, "c1", today=day)
    usage.record_view(lesson.pk, "c1", today=day + datetime.timedelta(days=1))
    usage.flush()
    assert stored(lesson)[1] == 2


def test_counts_arriving_during_a_flush_are_kept_for_the_next(lesson):
    for visitor in ("a", "b", "c"):
        usage.record_view(lesson.pk, visitor)
    lesson_ids, values = usage.collect()
    # Two more views land between reading the counters and writing them.
    usage.record_view(lesson.pk, "d")
    usage.record_view(lesson.pk, "e")
    usage.apply(lesson_ids, values)
    assert stored(lesson)[0] == 3
    usage.flush()
    assert stored(lesson)[0] == 5
    usage.flush()  # nothing new: nothing added twice
    assert stored(lesson)[0] == 5


def test_many_flushes_never_lose_or_double_count(lesson, lessons):
    other = make_lesson(lessons[1], "圆的面积")
    expected = {lesson.pk: 0, other.pk: 0}
    for round_ in range(5):
        for i in range(round_ + 1):
            for target in (lesson, other):
                usage.record_view(target.pk, f"r{round_}-{i}")
                expected[target.pk] += 1
        usage.flush()
    assert stored(lesson)[0] == expected[lesson.pk] == 15
    assert stored(other)[0] == expected[other.pk] == 15


def test_downloads_count_per_file_and_lesson(lesson, province):
    from youke.media.models import Upload

    upload = Upload.objects.create(
        owner=province.teacher_a, purpose="material", filename="设计.pdf", length=10
    )
    item = LibraryFile.objects.create(
        lesson=lesson, kind="document", label="教学设计", upload=upload
    )
    assert usage.record_download(item, "c1") is True
    assert usage.record_download(item, "c1") is False
    usage.record_download(item, "c2")
    usage.flush()
    item.refresh_from_db()
    assert item.downloads == 2
    assert stored(lesson)[2] == 2


def test_likes_toggle_and_ratings_average(lesson, province):
    assert usage.toggle_like(province.teacher_a, lesson) is True
    assert usage.toggle_like(province.teacher_b, lesson) is True
    assert usage.toggle_like(province.teacher_a, lesson) is False
    usage.rate(province.teacher_a, lesson, 5)
    usage.rate(province.teacher_b, lesson, 2)
    usage.rate(province.teacher_b, lesson, 4)  # changing one's rating replaces it
    lesson.refresh_from_db()
    assert (lesson.likes, lesson.rating_count, lesson.rating_sum, lesson.rating_avg) == (
        1,
        2,
        9,
        4.5,
    )
    with pytest.raises(ValidationError):
        usage.rate(province.teacher_a, lesson, 6)
