"""The library's lesson page plays in Chromium for an anonymous visitor (issue 10, tests):
HLS through hls.js, time advances, and after 10 s of playback the page reports one view,
which the lesson's counters hold once flushed; a reload within the window counts nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_player import play, video_state, wait_time
from tests.library.conftest import award_for, publish
from tests.selection.conftest import level
from tests.submissions.conftest import campaign, catalog, requirement, stored_upload  # noqa: F401  (fixtures)
from youke.campaigns.models import AwardGrade, VideoRule
from youke.library.domain import usage
from youke.library.models import LibraryLesson
from youke.media.processing.samples import make_video
from youke.submissions.domain import checks
from youke.submissions.models import Material

pytestmark = pytest.mark.browser

SECONDS = 13


@pytest.fixture
def library_lesson(site, campaign, catalog, tmp_path) -> LibraryLesson:  # noqa: F811
    """An awarded package whose video went through the real check and ladder, published."""
    province = site.province
    grade = AwardGrade.objects.create(
        campaign=campaign, level=level(campaign, "city"), name="一等奖"
    )
    award = award_for(campaign, province.teacher_a, catalog.lesson4, "圆周率的认识", grade)
    VideoRule.objects.filter(requirement__category__campaign=campaign).update(floor="")
    path = make_video(
        tmp_path / "lesson.mp4", width=640, height=360, seconds=SECONDS, faststart=True
    )
    material = Material.objects.create(
        submission=award.entry.submission,
        requirement=requirement(campaign, "subject", "micro_video"),
        period=1,
        upload=stored_upload(province.teacher_a, "微课.mp4", path),
    )
    checks.run_check(material.pk)  # no surrounding transaction: rendition and ladder run now
    return publish(province, award)


def test_anonymous_visitor_watches_and_one_view_counts(page, site, library_lesson):
    url = site(f"/library/lessons/{library_lesson.pk}/")
    page.goto(url)
    expect(page.locator("h1")).to_contain_text("圆周率的认识")
    page.wait_for_function("() => document.querySelector('[data-player-video]').readyState >= 1")
    assert video_state(page)["source"] == "hls.js"
    with page.expect_response(
        lambda r: r.url.endswith(f"/library/lessons/{library_lesson.pk}/view/"), timeout=20_000
    ) as reported:
        play(page)
        wait_time(page, 1.0)
    assert reported.value.status == 200
    assert reported.value.json() == {"counted": True}
    assert video_state(page)["t"] >= 10
    screenshot(page, "library-lesson-playing")

    # Within the window the same visitor (same cookie) is not counted again.
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-player-video]').readyState >= 1")
    with page.expect_response(
        lambda r: r.url.endswith(f"/library/lessons/{library_lesson.pk}/view/"), timeout=20_000
    ) as again:
        play(page)
    assert again.value.json() == {"counted": False}

    usage.flush()
    library_lesson.refresh_from_db()
    assert library_lesson.views == 1
    assert site.problems == []
