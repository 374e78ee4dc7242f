"""Anonymous lesson pages answered from the cache before the middleware stack and the view."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.library.conftest import make_lesson
from youke.core.actor import Actor
from youke.library.domain import publishing, usage
from youke.library.enums import LessonState

TOKEN = re.compile(
    rb'(csrfmiddlewaretoken" value="|X-CSRFToken": "|X-CSRFToken&quot;: &quot;|data-csrf-token=")([A-Za-z0-9]+)'
)
SERVER_SET = {"Set-Cookie", "Date"}


@pytest.fixture
def lesson(province, lessons):
    make_lesson(lessons[1], "圆的面积", description="推导面积公式", views=30)
    return make_lesson(lessons[0], "圆周率的认识", description="探究圆周率", views=3)


def url(lesson) -> str:
    return reverse("library:lesson_detail", args=[lesson.pk])


def tokens(response) -> set[bytes]:
    return {m.group(2) for m in TOKEN.finditer(response.content)}


def test_second_anonymous_visit_is_the_same_page_without_the_view(
    client, lesson, django_assert_num_queries
):
    first = client.get(url(lesson))
    assert first.status_code == 200
    with django_assert_num_queries(0):  # no session, no lesson row, no related lessons
        second = client.get(url(lesson))
    assert second.status_code == 200
    assert TOKEN.sub(rb"\1T", second.content) == TOKEN.sub(rb"\1T", first.content)
    headers = {k: v for k, v in first.items() if k not in SERVER_SET}
    assert {k: v for k, v in second.items() if k not in SERVER_SET} == headers
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "ETag",
        "Content-Language",
    ):
        assert second[name], name
    assert "private" in second["Cache-Control"]
    assert b"yk-csrf-placeholder" not in second.content


def test_early_answer_revalidates_with_304(client, lesson):
    etag = client.get(url(lesson))["ETag"]
    client.get(url(lesson))  # stored
    unchanged = client.get(url(lesson), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert unchanged["Content-Security-Policy"]


def test_each_visitor_gets_a_token_of_their_own_that_passes_the_csrf_check(lesson):
    Client().get(url(lesson))  # someone else's visit stores the page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url(lesson))
    (token,) = tokens(page)
    assert visitor.cookies["csrftoken"].value
    other = Client().get(url(lesson))
    assert tokens(other) != {token}
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token.decode()}
    )
    assert switched.status_code == 302


def test_language_is_part_of_the_key(client, lesson):
    client.get(url(lesson))
    client.get(url(lesson))
    client.cookies["django_language"] = "en"
    english = client.get(url(lesson))
    assert english["Content-Language"] == "en"
    assert client.get(url(lesson))["Content-Language"] == "en"


def test_signed_in_people_never_get_the_anonymous_page(client, lesson, province):
    client.get(url(lesson))
    client.get(url(lesson))  # the anonymous page is stored
    client.force_login(province.teacher_a)
    html = client.get(url(lesson)).content.decode()
    assert 'id="like-button"' in html
    assert "yk-csrf-placeholder" not in html
    client.logout()
    client.cookies.clear()
    anonymous = client.get(url(lesson)).content.decode()
    assert 'id="like-button"' not in anonymous  # the signed-in page was never stored


def test_unpublish_and_counter_flush_invalidate(
    client, lesson, province, django_capture_on_commit_callbacks
):
    client.get(url(lesson))
    assert b">3</strong>" in client.get(url(lesson)).content
    usage.record_view(lesson.pk, "c" + "a" * 32)
    usage.flush()
    assert b">4</strong>" in client.get(url(lesson)).content
    with django_capture_on_commit_callbacks(execute=True):
        publishing.set_lesson_state(
            lesson, LessonState.UNPUBLISHED, actor=Actor(province.platform_admin), reason="测试"
        )
    assert client.get(url(lesson)).status_code == 404
