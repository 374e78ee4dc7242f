"""API operations for favourites, history, comments, moderation and reports (issue 10 §7–8):
personal lists are the caller's own, moderation is scoped (404 outside), lists have a
fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API, NOT_FOUND, anonymous, api_as  # noqa: F401  (fixtures)
from tests.library.conftest import make_lesson
from tests.library.engagement_helpers import video
from youke.core.actor import Actor
from youke.library.domain import comments, words
from youke.library.models import LessonComment, ProblemReport, WatchHistory
from youke.notifications.models import Notification


@pytest.fixture
def lesson(province, lessons):
    return make_lesson(lessons[0], "圆周率的认识", unit=province.county_a)


def test_favourite_add_remove_and_list(api_as, lesson, province):  # noqa: F811
    api = api_as(province.teacher_a)
    path = f"{API}/library/lessons/{lesson.pk}/favourite"
    first = api.client.put(path)
    again = api.client.put(path)
    assert (
        first.json()
        == again.json()
        == {
            "lesson_id": lesson.pk,
            "favourite": True,
            "favourites": 1,
        }
    )
    listed = api.get("/library/favourites").json()
    assert listed["count"] == 1
    assert listed["items"][0]["lesson"] == {"id": lesson.pk, "title": "圆周率的认识"}
    gone = api.delete(f"/library/lessons/{lesson.pk}/favourite").json()
    assert gone == {"lesson_id": lesson.pk, "favourite": False, "favourites": 0}
    assert api.client.put(f"{API}/library/lessons/999999/favourite").json() == NOT_FOUND


def test_heartbeat_history_list_delete_and_clear(api_as, lesson, province):  # noqa: F811
    item = video(lesson, province.teacher_a, 120)
    api = api_as(province.teacher_b)
    first = api.post(f"/library/files/{item.pk}/heartbeat", {"seconds": 3})
    assert first.json() == {"recorded": True, "seconds_watched": 0}
    # Within 5 s: not written.
    assert api.post(f"/library/files/{item.pk}/heartbeat", {"seconds": 4}).json() == {
        "recorded": False,
        "seconds_watched": None,
    }
    bad = api.post(f"/library/files/{item.pk}/heartbeat", {"seconds": -1})
    assert bad.status_code == 422
    listed = api.get("/library/history").json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert (row["lesson"]["id"], row["duration_seconds"], row["last_position"]) == (
        lesson.pk,
        120,
        3.0,
    )
    # Someone else's history is not theirs to delete.
    other = api_as(province.teacher_a)
    assert other.delete(f"/library/history/{lesson.pk}").status_code == 404
    assert api.delete(f"/library/history/{lesson.pk}").status_code == 204
    assert WatchHistory.objects.count() == 0
    api.post(f"/library/files/{item.pk}/heartbeat", {"seconds": 3})
    assert api.delete("/library/history").status_code == 204
    assert WatchHistory.objects.count() == 0


def test_comments_create_list_delete(api_as, anonymous, lesson, province):  # noqa: F811
    words.add_word(Actor(province.city_admin), province.city, "广告")
    api = api_as(province.teacher_a)
    refused = api.post(f"/library/lessons/{lesson.pk}/comments", {"body": "看广告"})
    assert refused.status_code == 422
    assert "“广告”" in str(refused.json()["detail"])
    created = api.post(f"/library/lessons/{lesson.pk}/comments", {"body": "很有启发"})
    assert created.status_code == 201
    body = created.json()
    assert (body["state"], body["author_name"], body["body"]) == ("pending", "王老师", "很有启发")
    # Pending: not in the public list.
    assert anonymous.get(f"/library/lessons/{lesson.pk}/comments").json()["count"] == 0
    assert anonymous.post(f"/library/lessons/{lesson.pk}/comments", {"body": "x"}).status_code in (
        401,
        403,
    )
    assert api_as(province.teacher_b).delete(f"/library/comments/{body['id']}").json() == NOT_FOUND
    assert api.delete(f"/library/comments/{body['id']}").status_code == 204
    assert LessonComment.objects.get().state == "deleted"


def test_moderation_is_scoped_to_the_publishing_subtree(api_as, lesson, province):  # noqa: F811
    comment = comments.post_comment(Actor(province.teacher_a), lesson, "待审核")
    outsider = api_as(province.county_b_admin)
    assert outsider.get("/library/moderation/comments").json()["count"] == 0
    assert outsider.post(f"/library/comments/{comment.pk}/approve").json() == NOT_FOUND
    moderator = api_as(province.county_a_admin)
    listed = moderator.get("/library/moderation/comments").json()
    assert [c["id"] for c in listed["items"]] == [comment.pk]
    rejected = moderator.post(f"/library/comments/{comment.pk}/reject", {"reason": "无关"})
    assert (rejected.json()["state"], rejected.json()["reason"]) == ("rejected", "无关")
    again = moderator.post(f"/library/comments/{comment.pk}/approve")
    assert again.status_code == 422


def test_reports_create_list_resolve(api_as, lesson, province):  # noqa: F811
    reporter = api_as(province.teacher_b)
    created = reporter.post(
        f"/library/lessons/{lesson.pk}/reports", {"kind": "copyright", "text": "课件图片侵权"}
    )
    assert created.status_code == 201
    report_id = created.json()["id"]
    assert set(Notification.objects.values_list("person_id", flat=True)) == {
        province.county_a_admin.pk
    }
    assert api_as(province.county_b_admin).get("/library/reports").json()["count"] == 0
    assert (
        api_as(province.county_b_admin)
        .post(f"/library/reports/{report_id}/resolve", {"state": "resolved", "reply": "好"})
        .json()
        == NOT_FOUND
    )
    admin = api_as(province.city_admin)
    assert [r["id"] for r in admin.get("/library/reports").json()["items"]] == [report_id]
    done = admin.post(
        f"/library/reports/{report_id}/resolve", {"state": "dismissed", "reply": "已核实为原创"}
    )
    assert (done.json()["state"], done.json()["reply"]) == ("dismissed", "已核实为原创")
    assert ProblemReport.objects.get().handled_by_id == province.city_admin.pk


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()["count"]


def test_api_lists_have_a_fixed_query_count(api_as, anonymous, province, lessons):  # noqa: F811
    from youke.library.domain import favourites, history

    shelf = [make_lesson(lessons[0], f"课例{i}", unit=province.county_a) for i in range(3)]
    person = province.teacher_a
    people = [province.teacher_a, province.teacher_b, province.expert]
    moderator = Actor(province.county_a_admin)

    def grow(start, stop):
        for i in range(start, stop):
            favourites.set_favourite(person, shelf[i], True)
            history.heartbeat(person, video(shelf[i], person, 60), 1.0)
            comments.post_comment(Actor(people[i]), shelf[0], f"待审{i}")  # stays pending
            comments.approve(moderator, comments.post_comment(Actor(people[i]), shelf[1], f"评{i}"))

    paths = [
        "/library/favourites",
        "/library/history",
        "/library/moderation/comments",
        f"/library/lessons/{shelf[1].pk}/comments",
    ]
    clients = [api_as(person), api_as(person), api_as(province.county_a_admin), anonymous]
    grow(0, 1)
    one = [_count(c, p) for c, p in zip(clients, paths, strict=True)]
    grow(1, 3)
    three = [_count(c, p) for c, p in zip(clients, paths, strict=True)]
    assert [n for _q, n in one] == [1, 1, 1, 1]
    assert [n for _q, n in three] == [3, 3, 3, 3]
    assert [q for q, _n in one] == [q for q, _n in three]
