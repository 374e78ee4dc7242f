"""我的收藏 and watch history (issue 10 §7): idempotent favourites, bounded watched time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.library.conftest import make_lesson
from tests.library.engagement_helpers import video
from youke.library.domain import favourites, history
from youke.library.models import LessonFavourite, WatchHistory

T0 = timezone.make_aware(datetime.datetime(2026, 9, 1, 8, 0, 0))


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def lesson(province, lessons):
    return make_lesson(lessons[0], "圆周率的认识", unit=province.county_a)


def test_favourite_set_is_idempotent_and_counts_once(lesson, province):
    assert favourites.set_favourite(province.teacher_a, lesson, True) is True
    assert favourites.set_favourite(province.teacher_a, lesson, True) is True
    favourites.set_favourite(province.teacher_b, lesson, True)
    lesson.refresh_from_db()
    assert lesson.favourites == 2
    assert LessonFavourite.objects.filter(lesson=lesson).count() == 2
    assert favourites.set_favourite(province.teacher_a, lesson, False) is False
    assert favourites.set_favourite(province.teacher_a, lesson, False) is False
    lesson.refresh_from_db()
    assert lesson.favourites == 1


def test_favourite_toggle_page_flips_and_shows_the_count(client, lesson, province):
    client.force_login(province.teacher_a)
    url = reverse("library:lesson_favourite", args=[lesson.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "已收藏" in first.content.decode()
    assert '<span data-stat="favourites">1</span>' in first.content.decode()
    second = client.post(url, HTTP_HX_REQUEST="true")
    assert '<span data-stat="favourites">0</span>' in second.content.decode()
    # Repeating an explicit "on" never adds a second row.
    client.post(url, {"on": "1"})
    client.post(url, {"on": "1"})
    assert list(LessonFavourite.objects.values_list("person_id", flat=True)) == [
        province.teacher_a.pk
    ]


def test_anonymous_favourite_goes_to_login(client, lesson):
    response = client.post(reverse("library:lesson_favourite", args=[lesson.pk]))
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]
    assert LessonFavourite.objects.count() == 0


def _favourite_page_queries(client, person):
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("my_library:favourites"))
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_favourites_list_query_count_is_fixed(client, province, lessons):
    shelf = [make_lesson(lessons[0], f"课例{i}") for i in range(3)]
    favourites.set_favourite(province.teacher_a, shelf[0], True)
    one, html = _favourite_page_queries(client, province.teacher_a)
    assert "课例0" in html
    for item in shelf[1:]:
        favourites.set_favourite(province.teacher_a, item, True)
    three, html = _favourite_page_queries(client, province.teacher_a)
    assert one == three
    # Newest first.
    assert html.index("课例2") < html.index("课例1") < html.index("课例0")


# --- watch history -----------------------------------------------------------------------------


def test_first_heartbeat_starts_the_clock_and_credits_nothing(lesson, province):
    item = video(lesson, province.teacher_a, 300)
    row = history.heartbeat(province.teacher_a, item, 12.0, now=at(0))
    assert (row.seconds_watched, row.last_position, row.duration_seconds) == (0, 12.0, 300)


def test_watched_time_follows_playback_and_never_exceeds_wall_time(lesson, province):
    item = video(lesson, province.teacher_a, 300)
    person = province.teacher_a
    history.heartbeat(person, item, 0.0, now=at(0))
    history.heartbeat(person, item, 10.0, now=at(10))
    # A seek forward of 200 s within 10 s of wall time credits only the 10 s that passed.
    history.heartbeat(person, item, 210.0, now=at(20))
    row = WatchHistory.objects.get(person=person, lesson=lesson)
    assert row.seconds_watched == 20
    # Played at 2× speed: 20 s of video in 10 s credits 10 s.
    history.heartbeat(person, item, 230.0, now=at(30))
    row.refresh_from_db()
    assert row.seconds_watched == 30
    assert row.last_position == 230.0


def test_the_same_report_twice_adds_nothing(lesson, province):
    item = video(lesson, province.teacher_a, 300)
    person = province.teacher_a
    history.heartbeat(person, item, 0.0, now=at(0))
    history.heartbeat(person, item, 10.0, now=at(10))
    assert history.heartbeat(person, item, 10.0, now=at(11)) is None  # too soon: not written
    history.heartbeat(person, item, 10.0, now=at(25))  # paused: same position
    row = WatchHistory.objects.get(person=person, lesson=lesson)
    assert row.seconds_watched == 10
    # Seeking back credits nothing for the jump.
    history.heartbeat(person, item, 2.0, now=at(40))
    row.refresh_from_db()
    assert row.seconds_watched == 10


def test_watched_time_is_capped_by_the_lessons_duration(lesson, province):
    item = video(lesson, province.teacher_a, 30)
    person = province.teacher_a
    history.heartbeat(person, item, 0.0, now=at(0))
    for step in range(1, 10):
        history.heartbeat(person, item, min(30.0, 10.0 * step), now=at(10 * step))
        # Watching again from the start after the end.
        if step == 3:
            history.heartbeat(person, item, 0.0, now=at(10 * step + 5))
    row = WatchHistory.objects.get(person=person, lesson=lesson)
    assert row.seconds_watched == 30
    assert row.progress == 100


def test_a_long_gap_is_a_new_sitting(lesson, province):
    item = video(lesson, province.teacher_a, 3000)
    person = province.teacher_a
    history.heartbeat(person, item, 0.0, now=at(0))
    history.heartbeat(person, item, 1500.0, now=at(3600))
    assert WatchHistory.objects.get(person=person).seconds_watched == 0


def test_the_players_position_post_is_the_heartbeat(client, lesson, province):
    item = video(lesson, province.teacher_a, 300)
    client.force_login(province.teacher_b)
    url = reverse("library:file_position", args=[item.pk])
    assert client.post(url, {"seconds": "5"}).status_code == 200
    row = WatchHistory.objects.get(person=province.teacher_b, lesson=lesson)
    assert (row.last_position, row.seconds_watched, row.last_file_id) == (5.0, 0, item.pk)


def test_history_page_lists_progress_and_removes_entries(client, province, lessons):
    first = make_lesson(lessons[0], "第一课")
    second = make_lesson(lessons[0], "第二课")
    person = province.teacher_a
    for n, item in enumerate((video(first, person, 100), video(second, person, 100))):
        history.heartbeat(person, item, 0.0, now=at(100 * n))
        history.heartbeat(person, item, 50.0, now=at(100 * n + 60))
    client.force_login(person)
    html = client.get(reverse("my_library:history")).content.decode()
    assert html.index("第二课") < html.index("第一课")
    assert html.count('<progress class="w-100" max="100" value="50"') == 2
    client.post(reverse("my_library:history_remove", args=[first.pk]))
    assert list(WatchHistory.objects.values_list("lesson_id", flat=True)) == [second.pk]
    client.post(reverse("my_library:history_clear"))
    assert WatchHistory.objects.count() == 0


def test_my_library_shows_the_teachers_own_lessons_only(client, province, lessons):
    mine = make_lesson(lessons[0], "我的课", teacher=province.teacher_a, views=7)
    make_lesson(lessons[0], "别人的课", teacher=province.teacher_b, views=9)
    favourites.set_favourite(province.teacher_b, mine, True)
    client.force_login(province.teacher_a)
    html = client.get(reverse("my_library:stats")).content.decode()
    assert "我的课" in html and "别人的课" not in html
    assert "<strong>7</strong>" in html  # views total
    assert f'data-lesson="{mine.pk}"' in html
