"""The lesson player in Chromium (issue 7 item 3): HLS plays through hls.js, time advances,
seeking works (seek bar and ``data-seek-seconds``), the position is saved on pause and restored
on the next visit, period chapters switch the video, the seek bar previews thumbnails, and
the player fits a 390 px phone screen."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.submissions.conftest import campaign, catalog, requirement, stored_upload  # noqa: F401  (fixtures)
from youke.campaigns.models import VideoRule
from youke.media.models import MediaAsset, PlaybackPosition
from youke.media.processing.samples import make_video
from youke.submissions.domain import checks
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Material, Submission

pytestmark = pytest.mark.browser

SECONDS = 12


@pytest.fixture
def lesson(site, campaign, catalog, tmp_path):  # noqa: F811
    """A two-period package whose videos went through the real check, rendition and ladder."""
    teacher = site.province.teacher_a
    submission = Submission.objects.create(
        campaign=campaign,
        category=campaign.categories.get(code="subject"),
        node=catalog.lesson4,
        teacher=teacher,
        unit=teacher.unit,
        title="分数的意义",
        periods=2,
        state=SubmissionState.SUBMITTED,
        submitted_at=timezone.now(),
    )
    # 360p test clips stay under the campaign's floors: let them warn, not block.
    VideoRule.objects.filter(requirement__category__campaign=campaign).update(floor="")
    videos = []
    for period in (1, 2):
        path = make_video(
            tmp_path / f"p{period}.mp4", width=640, height=360, seconds=SECONDS, faststart=True
        )
        material = Material.objects.create(
            submission=submission,
            requirement=requirement(campaign, "subject", "micro_video"),
            period=period,
            upload=stored_upload(teacher, f"第{period}课时.mp4", path),
        )
        # No surrounding transaction here: the on-commit jobs (rendition, ladder) run now.
        checks.run_check(material.pk)
        videos.append(material)
    assets = MediaAsset.objects.filter(upload__materials__in=videos)
    assert [a.hls_heights for a in assets] == [[360], [360]]
    return submission, videos


def video_state(page) -> dict:
    return page.evaluate(
        "() => { const v = document.querySelector('[data-player-video]');"
        " return {t: v.currentTime, source: v.dataset.source, paused: v.paused,"
        " seeking: v.seeking, src: v.currentSrc}; }"
    )


def wait_time(page, low: float, high: float = 1e9) -> None:
    page.wait_for_function(
        "([low, high]) => { const v = document.querySelector('[data-player-video]');"
        " return !v.seeking && v.currentTime >= low && v.currentTime <= high; }",
        arg=[low, high],
    )


def play(page) -> None:
    page.evaluate(
        "() => { const v = document.querySelector('[data-player-video]');"
        " v.muted = true; return v.play(); }"
    )


def test_hls_plays_seeks_resumes_and_switches_chapters(page, site, lesson):
    submission, videos = lesson
    login(page, site, "teachera")
    url = site(f"/my/submissions/{submission.pk}/")
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-player-video]').readyState >= 1")
    assert video_state(page)["source"] == "hls.js"
    play(page)
    wait_time(page, 1.0)  # time advances
    assert not video_state(page)["paused"]

    # Seek with our seek bar: a click at 75 % of its width lands at ~9 s of 12 s.
    bar = page.locator("[data-player-seek]")
    box = bar.bounding_box()
    bar.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    wait_time(page, 8.5, 11.9)

    # Hovering the bar shows the nearest thumbnail (4 frames spread over the video).
    bar.hover(position={"x": box["width"] * 0.2, "y": box["height"] / 2})
    preview = page.locator("[data-player-seek-image]")
    expect(preview).to_be_visible()
    assert preview.get_attribute("src").endswith(f"/materials/{videos[0].pk}/thumbs/1.jpg")

    # The contract with the rubric: any data-seek-seconds element seeks the first player.
    page.evaluate(
        "() => { const b = document.createElement('button'); b.id = 'mark';"
        " b.dataset.seekSeconds = '4'; b.textContent = '04:00';"
        " document.body.appendChild(b); }"
    )
    page.click("#mark")
    wait_time(page, 4.0, 6.5)

    # Pausing saves the position; the next visit resumes there.
    with page.expect_response(lambda r: r.url.endswith("/position")) as saved:
        page.evaluate("() => document.querySelector('[data-player-video]').pause()")
    assert saved.value.status == 200
    stopped = float(PlaybackPosition.objects.get(person__username="teachera").seconds)
    assert 4.0 <= stopped <= 6.5
    page.goto(url)
    wait_time(page, stopped - 0.6, stopped + 0.6)
    expect(page.locator("[data-player-status]")).to_contain_text("已从上次停止的位置继续播放")

    # Chapter 2 switches the player to the second period's video.
    page.get_by_role("button", name="微课视频 · 第 2 课时").click()
    page.wait_for_function(
        "(pk) => document.querySelector('[data-player-video]').readyState >= 1"
        " && window.youkePlayers[0].hls && window.youkePlayers[0].hls.url.includes("
        "'/materials/' + pk + '/')",
        arg=videos[1].pk,
    )
    play(page)
    wait_time(page, 0.5)
    assert site.problems == []


def test_player_fits_a_phone_screen(page, site, lesson):
    submission, _videos = lesson
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, site, "teachera")
    page.goto(site(f"/my/submissions/{submission.pk}/"))
    player = page.locator("[data-player]")
    expect(player).to_be_visible()
    box = player.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    speed = page.locator("[data-player-speed]")
    speed.select_option("1.5")
    assert page.evaluate("() => document.querySelector('[data-player-video]').playbackRate") == 1.5
    screenshot(page, "player-390")
    assert site.problems == []
