"""Public pages, downloads, beacons, sitemap, API reads; manage pages scoped to the admin."""

import pytest
from django.urls import reverse

from tests.library.conftest import consent_to, make_lesson, publish
from youke.core.actor import Actor
from youke.library.domain import consent, usage
from youke.library.enums import LessonState
from youke.library.models import LibraryFile


@pytest.fixture
def shelf(province, lessons):
    return [
        make_lesson(lessons[0], "圆周率的认识", description="探究圆周率", views=3),
        make_lesson(lessons[1], "圆的面积", description="推导面积公式", views=30),
    ]


def test_browse_lists_lessons_with_node_counts(client, shelf, catalog):
    response = client.get(reverse("library:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "共 2 个课例" in html
    assert html.index("圆的面积") < html.index("圆周率的认识")  # newest first
    assert "data-count>2<" in html  # the stage holding both


def test_search_highlights_and_ranks(client, shelf):
    response = client.get(reverse("library:index"), {"q": "圆周率"})
    html = response.content.decode()
    assert "找到 1 个课例" in html
    assert "<mark>圆周率</mark>的认识" in html


@pytest.mark.parametrize("page", ["999999", "-3", "abc", "0"])
def test_out_of_range_pages_never_fail(client, shelf, page):
    for params in ({"page": page}, {"page": page, "q": "圆"}):
        response = client.get(reverse("library:index"), params)
        assert response.status_code == 200
        assert f'data-lesson="{shelf[1].pk}"' in response.content.decode()


def test_unchanged_page_answers_304_until_something_is_published(client, shelf, lessons):
    url = reverse("library:index")
    first = client.get(url)
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    from youke.library.domain import cache_version

    make_lesson(lessons[2], "静夜思")
    cache_version.bump()
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "静夜思" in again.content.decode()


def test_lesson_page_for_anonymous_visitors(client, shelf):
    lesson = shelf[0]
    html = client.get(reverse("library:lesson_detail", args=[lesson.pk])).content.decode()
    assert "圆周率的认识" in html
    assert 'id="share-qr"' in html
    assert "like-button" not in html
    assert "圆的面积" in html  # related: the neighbouring node of the same unit


def test_unpublished_lesson_is_404(client, shelf):
    shelf[0].state = LessonState.UNPUBLISHED
    shelf[0].save(update_fields=["state"])
    assert client.get(reverse("library:lesson_detail", args=[shelf[0].pk])).status_code == 404


def test_view_beacon_sets_a_visitor_cookie_and_counts_once(client, shelf):
    url = reverse("library:lesson_view", args=[shelf[0].pk])
    first = client.post(url)
    assert first.json() == {"counted": True}
    assert "yk_visitor" in first.cookies
    assert client.post(url).json() == {"counted": False}  # reload within the window
    usage.flush()
    shelf[0].refresh_from_db()
    assert (shelf[0].views, shelf[0].visitors) == (3 + 1, 1)


def test_like_and_rate_need_an_account(client, shelf, province):
    url = reverse("library:lesson_rate", args=[shelf[0].pk])
    assert client.post(url, {"stars": "5"}).status_code == 302
    shelf[0].refresh_from_db()
    assert shelf[0].rating_count == 0
    client.force_login(province.teacher_a)
    client.post(url, {"stars": "5"})
    client.post(reverse("library:lesson_like", args=[shelf[0].pk]))
    shelf[0].refresh_from_db()
    assert (shelf[0].rating_avg, shelf[0].likes) == (5.0, 1)


def _document(lesson):
    """A design document of the lesson, stored as the tus endpoint leaves uploads."""
    from tests.submissions.conftest import stored_upload

    upload = stored_upload(lesson.teacher, "教学设计.pdf", b"%PDF-1.4\n%%EOF\n")
    return LibraryFile.objects.create(
        lesson=lesson, kind="document", label="教学设计", upload=upload
    )


def test_anonymous_download_refused_unless_the_campaign_opens_it(
    client, province, awarded, campaign
):
    lesson = publish(province, awarded[0])
    document = _document(lesson)
    url = reverse("library:file_download", args=[document.pk])
    refused = client.get(url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("portal:login"))
    consent.save_settings(
        Actor(province.province_admin),
        campaign,
        licence_title="许可",
        licence_text="条款",
        downloads_open=True,
    )
    opened = client.get(url)
    assert opened.status_code == 200
    assert "attachment" in opened["Content-Disposition"]


def test_signed_in_download_counts(client, province, awarded):
    lesson = publish(province, awarded[0])
    document = _document(lesson)
    client.force_login(province.teacher_b)
    response = client.get(reverse("library:file_download", args=[document.pk]))
    assert response.status_code == 200
    usage.flush()
    document.refresh_from_db()
    assert document.downloads == 1


def test_sitemap_lists_published_lessons(client, shelf):
    response = client.get(reverse("library:sitemap"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/xml")
    assert "public" in response["Cache-Control"]
    assert body.count("<url>") == 2
    assert reverse("library:lesson_detail", args=[shelf[0].pk]) in body


def test_api_reads(client, shelf):
    browse = client.get("/api/v1/library/lessons").json()
    assert [i["title"] for i in browse["items"]] == ["圆的面积", "圆周率的认识"]
    found = client.get("/api/v1/library/search", {"q": "yzl"}).json()
    assert [i["title"] for i in found["items"]] == ["圆周率的认识"]
    one = client.get(f"/api/v1/library/lessons/{shelf[0].pk}").json()
    assert one["related"][0]["title"] == "圆的面积"
    stats = client.get("/api/v1/library/statistics").json()
    assert (stats["lessons"], stats["views"]) == (2, 33)
    assert client.get("/api/v1/library/lessons/999999").status_code == 404
    past = client.get("/api/v1/library/lessons", {"page": 10**6}).json()
    assert (past["items"], past["count"]) == ([], 2)  # an empty page with the true count


# --- manage ------------------------------------------------------------------------------------


def test_award_list_is_scoped_to_the_admins_subtree(client, province, awarded):
    consent_to(awarded[0])
    client.force_login(province.city_admin)
    html = client.get(reverse("manage_library:award_list")).content.decode()
    assert "圆周率的认识" in html and "圆的面积" in html
    client.force_login(province.county_a_admin)
    html = client.get(reverse("manage_library:award_list")).content.decode()
    assert "圆周率的认识" not in html


def test_publish_from_the_page_and_404_outside_scope(client, province, awarded):
    consent_to(awarded[0])
    url = reverse("manage_library:award_publish", args=[awarded[0].pk])
    client.force_login(province.county_a_admin)
    assert client.post(url).status_code == 404
    client.force_login(province.city_admin)
    client.post(url)
    lesson = awarded[0].entry.submission.library_lessons.get()
    assert lesson.is_published
    client.force_login(province.county_b_admin)
    unpublish = reverse("manage_library:lesson_unpublish", args=[lesson.pk])
    assert client.post(unpublish, {"reason": "x"}).status_code == 404
    client.force_login(province.city_admin)
    client.post(unpublish, {"reason": "画面有误，修订后重新发布"})
    lesson.refresh_from_db()
    assert lesson.state == LessonState.UNPUBLISHED


def test_batch_publish_shows_the_job_page(
    client, province, awarded, django_capture_on_commit_callbacks
):
    consent_to(awarded[0])
    consent_to(awarded[1])
    client.force_login(province.city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manage_library:batch_publish"))
    assert response.status_code == 302
    assert "/manage/jobs/" in response["Location"]
    from youke.library.models import LibraryLesson

    # The job is queued on commit and runs eagerly in tests.
    assert LibraryLesson.objects.filter(state="published").count() == 2


def test_teacher_accepts_consent_on_the_package_page(client, province, awarded):
    submission = awarded[0].entry.submission
    client.force_login(province.teacher_a)
    page = client.get(reverse("portal:submission_detail", args=[submission.pk])).content.decode()
    assert reverse("portal:library_consent_panel", args=[submission.pk]) in page
    panel = client.get(
        reverse("portal:library_consent_panel", args=[submission.pk])
    ).content.decode()
    assert "资源库发布许可" in panel and "consent-form" in panel
    client.post(
        reverse("portal:library_consent_accept", args=[submission.pk]),
        {"accept": "1", "show_author": "1"},
    )
    assert consent.current_consent(submission) is not None
    panel = client.get(
        reverse("portal:library_consent_panel", args=[submission.pk])
    ).content.decode()
    assert "consent-withdraw" not in panel  # awarded: consent stays
    client.force_login(province.teacher_b)
    assert (
        client.get(reverse("portal:library_consent_panel", args=[submission.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("portal:library_consent_accept", args=[submission.pk]), {"accept": "1"}
        ).status_code
        == 404
    )


def test_settings_page_needs_the_campaign_owner(client, province, campaign):
    url = reverse("manage_library:settings", args=[campaign.pk])
    client.force_login(province.city_admin)
    assert client.get(url).status_code == 404
    client.force_login(province.province_admin)
    response = client.post(url, {"licence_title": "", "licence_text": "保留我的输入"})
    assert "保留我的输入" in response.content.decode()
    client.post(url, {"licence_title": "许可", "licence_text": "条款", "downloads_open": "1"})
    assert consent.downloads_open(campaign.pk)


def test_subject_node_filters_by_its_column_and_shows_its_children(client, shelf, catalog):
    from youke.catalog.models import CourseNode

    subject = CourseNode.objects.get(pk=shelf[0].subject_id)
    html = client.get(reverse("library:index"), {"node": subject.pk}).content.decode()
    assert "共 2 个课例" in html
    assert f'data-node="{shelf[0].edition_id}"' in html  # the tree shows the editions below
    assert client.get("/api/v1/library/lessons", {"node": subject.pk}).json()["count"] == 2
    assert client.get("/api/v1/library/lessons", {"node": 999999}).json()["count"] == 0
