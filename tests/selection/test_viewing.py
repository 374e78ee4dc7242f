"""Who may play and read a package's materials: every route × every role (issue 7 item 2),
and the blind round's rule that only blind copies are ever served (item 5)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.campaigns.models import VideoRule
from youke.core.actor import Actor
from youke.media.models import MediaAsset, PlaybackPosition
from youke.media.processing.samples import make_video
from youke.selection.domain.assignment import assign
from youke.selection.models import ReviewRound
from youke.submissions.domain import checks
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def lesson_video(tmp_path_factory):
    return make_video(
        tmp_path_factory.mktemp("video") / "lesson.mp4",
        width=640,
        height=360,
        seconds=6,
        faststart=True,
    )


@pytest.fixture
def package(province, campaign, lessons, catalog, lesson_video, run_on_commit):
    """A city-level package with a checked video (rendition + HLS ladder) and a PDF, a
    reviewer assigned to it in the city's round, and a second expert on the panel."""
    entry = city_entry(campaign, province.teacher_a, lessons[0], "分数的意义")
    # A 360p test clip stays under the campaign's floors: let it warn, not block.
    VideoRule.objects.filter(requirement__category__campaign=campaign).update(floor="")
    submission = entry.submission
    category = submission.category.code
    video = Material.objects.create(
        submission=submission,
        requirement=requirement(campaign, category, "micro_video"),
        upload=stored_upload(province.teacher_a, "王老师-分数的意义.mp4", lesson_video),
    )
    document = Material.objects.create(
        submission=submission,
        requirement=requirement(campaign, category, "teaching_design"),
        upload=stored_upload(province.teacher_a, "王老师-教学设计.pdf", PDF),
    )
    run_on_commit(checks.run_check, video.pk)
    checks.run_check(document.pk)
    reviewer = expert(province.city, "市专家", catalog.primary)
    other = expert(province.county_b, "西岭专家", catalog.primary, on=province.city)
    review_round = opened(province, city_round(province, campaign, blind=False), reviewer, other)
    assign(Actor(province.city_admin), review_round, entry, reviewer)
    return {
        "entry": entry,
        "video": video,
        "document": document,
        "asset": MediaAsset.objects.get(upload=video.upload),
        "reviewer": reviewer,
        "other": other,
    }


def routes(p) -> dict[str, str]:
    v, d = p["video"].pk, p["document"].pk
    return {
        "play": reverse("portal:material_play", args=[v]),
        "master": reverse("portal:material_hls", args=[v, "master.m3u8"]),
        "variant": reverse("portal:material_hls", args=[v, "360/index.m3u8"]),
        "segment": reverse("portal:material_hls", args=[v, "360/seg_00000.ts"]),
        "poster": reverse("portal:material_poster", args=[v]),
        "thumb": reverse("portal:material_thumbnail", args=[v, 1]),
        "document": reverse("portal:material_file", args=[d]),
        "download": reverse("portal:material_file", args=[v]) + "?download=1",
    }


def statuses(client, person, urls) -> dict[str, int]:
    client.force_login(person)
    found = {}
    for name, url in urls.items():
        response = client.get(url, HTTP_RANGE="bytes=0-99")
        found[name] = response.status_code
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return found


def test_the_video_job_made_rendition_and_ladder(package):
    asset = package["asset"]
    assert asset.state == "passed" or asset.state == "warned"
    assert asset.rendition.name and asset.hls_master == f"media/hls/{asset.upload_id}/master.m3u8"
    assert asset.hls_heights == [360]
    assert default_storage.exists(f"media/hls/{asset.upload_id}/360/seg_00001.ts")
    assert asset.thumbnails.count() == 4


def test_scoping_matrix_for_every_route(client, province, package):
    urls = routes(package)
    # Playlists are answered whole (200); every file is served by byte range (206).
    seen = {name: (200 if name in ("master", "variant") else 206) for name in urls}
    hidden = dict.fromkeys(urls, 404)
    table = [
        (province.teacher_a, seen),
        (province.teacher_b, hidden),
        (province.school_a_admin, seen),
        (province.county_a_admin, seen),
        (province.county_b_admin, hidden),
        (province.city_admin, seen),
        (package["reviewer"], seen),
        (package["other"], hidden),
    ]
    for person, expected in table:
        assert statuses(client, person, urls) == expected, person.full_name


def test_position_is_saved_for_those_who_may_watch_only(client, province, package):
    url = reverse("portal:material_position", args=[package["video"].pk])
    client.force_login(province.county_b_admin)
    assert client.post(url, {"seconds": "3.5"}).status_code == 404
    client.force_login(province.county_a_admin)
    assert client.post(url, {"seconds": "3.5"}).json() == {"seconds": 3.5}
    assert client.post(url, {"seconds": "abc"}).json() == {
        "error": "播放位置须是秒数（如 125.5）。"
    }
    assert client.post(url, {"seconds": "99999"}).status_code == 400
    rows = PlaybackPosition.objects.values_list("person__username", "seconds")
    assert [(u, float(s)) for u, s in rows] == [("countya", 3.5)]


def test_entry_page_is_scoped_like_the_inbox(client, province, package):
    entry = package["entry"]
    school_entry = entry.submission.level_entries.get(level__key="school")
    table = [
        (province.city_admin, entry, 200),
        (province.county_a_admin, school_entry, 200),
        (province.county_b_admin, school_entry, 404),
        (province.county_a_admin, entry, 404),  # the city's entry is not in a county's inbox
        (province.teacher_a, entry, 404),
        (package["reviewer"], entry, 404),
    ]
    for person, shown, status in table:
        client.force_login(person)
        url = reverse("manage_selection:entry", args=[shown.pk])
        assert client.get(url).status_code == status, (person.full_name, shown.level.key)


def test_entry_page_shows_package_player_documents_checks_and_path(client, province, package):
    client.force_login(province.city_admin)
    html = client.get(reverse("manage_selection:entry", args=[package["entry"].pk])).content
    html = html.decode()
    assert "《分数的意义》" in html and "王老师" in html and "东湖区实验小学" in html
    assert 'id="player-chapters"' in html and "master.m3u8" in html
    assert reverse("portal:material_file", args=[package["document"].pk]) in html
    assert 'id="material-checks"' in html and 'id="path-table"' in html
    assert "推荐审核" in html


def test_blind_expert_gets_only_blind_copies(client, province, package):
    ReviewRound.objects.update(blind=True)
    # The check job made the blind copies already; start from before they exist.
    MediaAsset.objects.update(blind_rendition="", sanitised="")
    reviewer, asset = package["reviewer"], package["asset"]
    asset.refresh_from_db()
    urls = routes(package)
    assert statuses(client, reviewer, urls) == dict.fromkeys(urls, 404)
    page = reverse("manage_reviews:assignment", args=[reviewer.review_assignments.get().pk])
    html = client.get(page).content.decode()
    assert html.count("匿名评审版本正在准备中，请稍后刷新") == 2  # the video and the PDF
    assert "master.m3u8" not in html and "王老师" not in html

    asset.blind_rendition.save("blind.mp4", ContentFile(b"blind-video-bytes"))
    document_asset = MediaAsset.objects.get(upload=package["document"].upload)
    document_asset.sanitised.save("sanitised.pdf", ContentFile(PDF))
    client.force_login(reviewer)
    response = client.get(urls["play"])
    assert b"".join(response.streaming_content) == b"blind-video-bytes"
    response = client.get(urls["document"])
    assert b"".join(response.streaming_content) == PDF
    assert "%E7%8E%8B" not in response["Content-Disposition"]  # no 王 in the name
    still_hidden = {n: s for n, s in statuses(client, reviewer, urls).items() if s == 404}
    # Downloading the video gives the blind copy too; nothing made from the original is served.
    assert sorted(still_hidden) == ["master", "poster", "segment", "thumb", "variant"]
    response = client.get(urls["download"])
    assert b"".join(response.streaming_content) == b"blind-video-bytes"
    # The teacher still gets the original's rendition, never the blind copy.
    client.force_login(province.teacher_a)
    response = client.get(urls["play"])
    assert b"".join(response.streaming_content) != b"blind-video-bytes"


def test_teacher_page_has_player_and_documents(client, province, package):
    client.force_login(province.teacher_a)
    url = reverse("portal:submission_detail", args=[package["entry"].submission_id])
    html = client.get(url).content.decode()
    assert 'id="package-viewer"' in html and "media/player.js" in html
    assert reverse("portal:material_file", args=[package["document"].pk]) in html


def test_download_is_an_attachment_and_pdf_is_framed_inline(client, province, package):
    client.force_login(province.county_a_admin)
    urls = routes(package)
    response = client.get(urls["download"])
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E7%8E%8B%E8%80%81%E5%B8%88-%E5%88%86%E6%95%B0%E7%9A%84%E6%84%8F%E4%B9%89.mp4"
    )
    response = client.get(urls["document"])
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert b"".join(response.streaming_content) == PDF
