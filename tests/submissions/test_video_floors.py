"""Hard floors for video (精品课: 1280×720 and 1 Mbit/s; 一师一优课: 720×576 and 320 kbit/s):
below them a file is refused, between floor and target it only warns. Real PyAV files."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from tests.selection.conftest import otol_campaign  # noqa: F401  (fixture)
from tests.submissions.conftest import requirement
from youke.campaigns.domain.campaigns import update_campaign
from youke.core.actor import Actor
from youke.media.processing import spec
from youke.media.processing.probe import probe
from youke.media.processing.samples import make_video
from youke.submissions.domain.checks import spec_rules

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floors")
    return {
        # The file of the issue: 640×360 HEVC at about 82 kbit/s.
        "tiny_hevc": probe(
            make_video(
                folder / "tiny.mp4", width=640, height=360, seconds=1, codec="hevc", bitrate=82_000
            )
        ),
        "hd_720p": probe(
            make_video(folder / "hd.mp4", width=1280, height=720, seconds=1, bitrate=2_000_000)
        ),
    }


def outcomes(results):
    return {r.rule: r.outcome for r in results if r.outcome != "pass"}


def test_quality_course_refuses_under_the_floor(campaign, files):
    rules = spec_rules(requirement(campaign, "subject", "micro_video"))
    results = spec.check(files["tiny_hevc"], rules)
    assert spec.overall_state(results) == "failed"
    assert {k: v for k, v in outcomes(results).items() if v == "fail"} == {
        "exact_width": "fail",
        "exact_height": "fail",
        "min_video_bitrate": "fail",
    }
    width = next(r for r in results if r.rule == "exact_width")
    assert width.message.startswith(
        "低于最低要求：视频分辨率为 640×360，宽度 640 像素低于要求的 1280 像素。"
    )
    assert outcomes(results)["video_codec"] == "warn"  # HEVC only costs points


def test_between_floor_and_target_only_warns(campaign, files):
    rules = spec_rules(requirement(campaign, "subject", "micro_video"))
    results = spec.check(files["hd_720p"], rules)
    assert spec.overall_state(results) == "warned"
    found = outcomes(results)
    assert (found["exact_width"], found["exact_height"], found["min_video_bitrate"]) == (
        "warn",
        "warn",
        "warn",
    )


def test_one_teacher_one_lesson_floor_is_r3(otol_campaign, files):  # noqa: F811
    rules = spec_rules(requirement(otol_campaign, "showcase", "classroom_recording"))
    results = spec.check(files["tiny_hevc"], rules)
    # R3's own minimums are the floor: 640×360 at 82 kbit/s is refused (and 1 s is too short).
    assert outcomes(results) == {
        "min_width": "fail",
        "min_height": "fail",
        "min_video_bitrate": "fail",
        "min_duration_seconds": "fail",
    }


def test_measured_values_are_not_rounded_across_the_limit(files):
    just_under = dataclasses.replace(files["hd_720p"], video_bitrate=999_600)
    [result] = spec.check(
        just_under, [spec.Rule("min_video_bitrate", "6000k", "warns", floor="1000k")]
    )
    assert result.outcome == "fail"
    assert result.actual == "999 kbit/s"  # never "1000 kbit/s" under a 1 Mbit/s floor


def test_floor_settings_are_validated(province, campaign):
    rule = campaign.categories.get(code="subject").materials.get(code="micro_video")
    width = rule.video_rules.get(rule="exact_width")
    codec = rule.video_rules.get(rule="video_codec")
    actor = Actor(province.province_admin)
    with pytest.raises(ValidationError) as info:
        update_campaign(
            actor,
            campaign,
            video_rules={
                width.pk: ("1920", "warns", "2560"),
                codec.pk: ("h264", "warns", "1"),
            },
        )
    assert info.value.message_dict == {
        f"rule_{width.pk}": ["“宽度（像素）”的最低要求 2560 高于要求值 1920：请调低最低要求。"],
        f"rule_{codec.pk}": [
            "“视频编码（如 h264）”不能设置最低要求，只有分辨率和视频码率可以：请清空最低要求。"
        ],
    }
    update_campaign(actor, campaign, video_rules={width.pk: ("1920", "warns", "960")})
    width.refresh_from_db()
    assert width.floor == "960"


def test_browser_pre_check_stops_files_under_the_floor(campaign):
    from youke.portal.submission_views import upload_spec

    video = requirement(campaign, "subject", "micro_video")
    found = upload_spec(video, campaign)
    assert (found["min_width"], found["min_height"], found["aspect_ratio"]) == (1280, 720, "16:9")
    assert "min_width" not in found["warn_only"] and "min_height" not in found["warn_only"]
    assert {"min_duration_seconds", "max_duration_seconds"} <= set(found["warn_only"])
