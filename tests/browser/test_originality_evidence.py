"""The originality evidence page in Chromium (issue 13 item 5): two players side by side,
and each segment link seeks its own player to the matched time."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.selection.conftest import lessons, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign, catalog, requirement, stored_upload  # noqa: F401
from youke.media.models import MediaAsset
from youke.originality import synthetic as syn
from youke.originality.domain import results
from youke.submissions.enums import CheckState
from youke.submissions.models import Material

pytestmark = pytest.mark.browser


def attach(submission, path, name):
    material = Material.objects.create(
        submission=submission,
        requirement=requirement(submission.campaign, "subject", "micro_video"),
        upload=stored_upload(submission.teacher, name, path),
        check_state=CheckState.PASSED,
    )
    MediaAsset.objects.create(upload=material.upload, state="passed", duration_seconds=60)
    results.fingerprint_material(material.pk)
    return material


def test_segment_links_seek_each_player(page, site, campaign, lessons, tmp_path):  # noqa: F811
    province = site.province
    original_path, copy_path = tmp_path / "a.mp4", tmp_path / "copy.mp4"
    syn.write_lesson(str(original_path), syn.Lesson(seed=1, seconds=60))
    syn.transform_file(str(original_path), str(copy_path), syn.trim(12))
    original = submitted(campaign, province.teacher_b, lessons[0], "圆的面积").submission
    copy = submitted(campaign, province.teacher_a, lessons[1], "圆的面积（新）").submission
    attach(original, original_path, "a.mp4")
    attach(copy, copy_path, "copy.mp4")
    login(page, site, province.city_admin.username)
    page.goto(site(f"/manage/originality/{copy.pk}/"))
    assert page.locator("[data-player]").count() == 2
    page.wait_for_function(
        "() => document.querySelectorAll('[data-player-video]')[1].readyState >= 1"
    )
    page.locator('[data-seek-player="other"]').first.click()
    page.wait_for_function(
        "() => Math.abs(document.querySelectorAll('[data-player-video]')[1].currentTime - 12) < 1.5"
    )
    this_time = page.evaluate(
        "() => document.querySelectorAll('[data-player-video]')[0].currentTime"
    )
    assert this_time < 1
    assert site.problems == []
