from __future__ import annotations

import dataclasses
import math

import pytest

from youke.media.processing.spec import (
    BLOCKS,
    FAILED,
    PASSED,
    WARNED,
    WARNS,
    Rule,
    RuleError,
    RuleResult,
    check,
    format_bitrate,
    format_size,
    overall_state,
    preset_rules,
    validate_rules,
)


def _one(probe_result, rule: Rule) -> RuleResult:
    (result,) = check(probe_result, [rule])
    return result


# rule, value, passing file, failing file, texts the failure message must contain (the actual
# and the expected value; None = computed from the failing file's probe below).
RULE_TABLE = [
    ("min_width", "1920", "full_hd", "good", ["320×180", "320 像素", "1920 像素"]),
    ("min_height", "1080", "full_hd", "good", ["320×180", "180 像素", "1080 像素"]),
    ("exact_width", "1920", "full_hd", "good", ["320×180", "1920 像素"]),
    ("exact_height", "1080", "full_hd", "good", ["320×180", "1080 像素"]),
    ("aspect_ratio", "16:9", "good", "four_three", ["4:3", "16:9"]),
    ("video_codec", "h264", "good", "mpeg4_mkv", ["MPEG-4 Part 2", "H.264（AVC）"]),
    ("frame_rate", "25", "good", "fps30", ["30 帧/秒", "25 帧/秒"]),
    ("min_video_bitrate", "300000", "good", "low_bitrate", None),
    ("max_video_bitrate", "300000", "low_bitrate", "good", None),
    ("audio_codec", "aac", "good", "mpeg4_mkv", ["MP3", "AAC"]),
    ("min_audio_bitrate", "96000", "good", "low_bitrate", None),
    ("min_duration_seconds", "1.5", "good", "fps30", ["1 秒", "1.5 秒"]),
    ("max_duration_seconds", "1.5", "fps30", "good", ["2 秒", "1.5 秒"]),
    ("container", "mp4", "good", "mpeg4_mkv", ["MKV", "MP4"]),
    ("max_bytes", "200KB", "silent", "good", None),
]


def _computed_texts(rule: str, value: str, failing) -> list[str]:
    # A failing measure is rounded towards the failure (never across the limit).
    if rule in ("min_video_bitrate", "max_video_bitrate"):
        towards = math.floor if rule.startswith("min") else math.ceil
        return [format_bitrate(failing.video_bitrate, towards), format_bitrate(int(value))]
    if rule == "min_audio_bitrate":
        return [format_bitrate(failing.audio_bitrate, math.floor), format_bitrate(int(value))]
    return [format_size(failing.size_bytes), "200 KB"]


@pytest.mark.parametrize(
    ("rule", "value", "passing", "failing", "texts"), RULE_TABLE, ids=[r[0] for r in RULE_TABLE]
)
@pytest.mark.parametrize("severity", [BLOCKS, WARNS])
def test_each_rule_passes_one_file_and_fails_another(
    probes, rule, value, passing, failing, texts, severity
):
    good = _one(probes[passing], Rule(rule, value, severity))
    assert good.passed, good.message
    assert good.outcome == "pass" and good.fix == ""
    assert "符合要求" in good.message

    bad = _one(probes[failing], Rule(rule, value, severity))
    assert not bad.passed
    assert bad.severity == severity
    assert bad.outcome == ("fail" if severity == BLOCKS else "warn")
    expected_texts = texts or _computed_texts(rule, value, probes[failing])
    for text in expected_texts:
        assert text in bad.message, (text, bad.message)
    assert bad.actual and bad.expected
    assert bad.fix and bad.message.endswith(bad.fix) and bad.fix.startswith("请")


def test_every_rule_key_is_covered_by_the_table():
    from youke.media.processing.spec import RULE_KEYS

    assert sorted(r[0] for r in RULE_TABLE) == sorted(RULE_KEYS)


def test_messages_read_as_in_the_brief(probes):
    low_res = dataclasses.replace(probes["full_hd"], width=960, height=540)
    results = check(low_res, [Rule("min_width", "1920"), Rule("min_height", "1080")])
    assert [r.message for r in results] == [
        "视频分辨率为 960×540，宽度 960 像素低于要求的 1920 像素。"
        "请用 1080p（1920×1080）或更高分辨率重新导出后再上传。",
        "视频分辨率为 960×540，高度 540 像素低于要求的 1080 像素。"
        "请用 1080p（1920×1080）或更高分辨率重新导出后再上传。",
    ]

    short = dataclasses.replace(probes["good"], duration_seconds=492.4)
    result = _one(short, Rule("min_duration_seconds", "600"))
    assert result.message.startswith("视频时长 8 分 12 秒，短于要求的 10 分钟。")
    assert (result.actual, result.expected) == ("8 分 12 秒", "不短于 10 分钟")

    result = _one(probes["mpeg4_mkv"], Rule("video_codec", "h264"))
    assert result.message == (
        "视频编码为 MPEG-4 Part 2，要求 H.264（AVC）。请在导出时选择 H.264 编码。"
    )


def test_duration_just_under_the_minimum_never_reads_as_equal(probes):
    almost = dataclasses.replace(probes["good"], duration_seconds=598.2)
    result = _one(almost, Rule("min_duration_seconds", "600"))
    assert not result.passed
    assert result.actual == "9 分 58 秒"


def test_tolerances(probes):
    p = dataclasses.replace(probes["good"], frame_rate=29.97, audio_bitrate=127_574)
    assert _one(p, Rule("frame_rate", "30")).passed  # NTSC rate counts as 30
    assert not _one(p, Rule("frame_rate", "30", tolerance=0.0)).passed
    assert _one(p, Rule("min_audio_bitrate", "128k")).passed  # AAC lands just under nominal
    wide = dataclasses.replace(
        probes["good"], width=1366, height=768, display_aspect_ratio="683:384"
    )
    assert _one(wide, Rule("aspect_ratio", "16:9")).passed


def test_missing_audio_fails_audio_rules_with_a_clear_reason(probes):
    results = check(
        probes["silent"], [Rule("audio_codec", "aac"), Rule("min_audio_bitrate", "128000")]
    )
    assert [r.passed for r in results] == [False, False]
    assert all("没有声音" in r.message for r in results)
    assert results[0].actual == "无音轨"


def test_portrait_video_gets_portrait_advice(probes):
    result = _one(probes["rotated"], Rule("aspect_ratio", "16:9"))
    assert not result.passed
    assert "竖屏" in result.message and "9:16" in result.message


def test_alternative_codecs_and_aliases(probes):
    assert _one(probes["good"], Rule("video_codec", "hevc, H.264")).passed
    result = _one(probes["mpeg4_mkv"], Rule("video_codec", "h264,hevc"))
    assert "H.264（AVC）或H.265（HEVC）" in result.message


def test_max_bytes_keyword_adds_a_blocking_size_rule(probes):
    results = check(probes["good"], [Rule("container", "mp4", WARNS)], max_bytes=1000)
    assert [(r.rule, r.severity, r.passed) for r in results] == [
        ("container", WARNS, True),
        ("max_bytes", BLOCKS, False),
    ]
    # A size rule in the specification wins over the keyword.
    results = check(probes["good"], [Rule("max_bytes", "1GB", WARNS)], max_bytes=1000)
    assert [(r.rule, r.severity, r.passed) for r in results] == [("max_bytes", WARNS, True)]


def _result(passed: bool, severity: str) -> RuleResult:
    return RuleResult("x", "x", severity, passed, "", "", "")


@pytest.mark.parametrize(
    ("results", "state"),
    [
        ([], PASSED),
        ([(True, BLOCKS), (True, WARNS)], PASSED),
        ([(True, BLOCKS), (False, WARNS)], WARNED),
        ([(False, WARNS), (False, WARNS)], WARNED),
        ([(False, BLOCKS)], FAILED),
        ([(False, WARNS), (False, BLOCKS), (True, WARNS)], FAILED),
    ],
)
def test_overall_state(results, state):
    assert overall_state([_result(*r) for r in results]) == state


def test_presets_check_a_real_file(probes):
    results = check(probes["full_hd"], preset_rules("micro_lesson_primary"))
    by_rule = {r.rule: r for r in results}
    assert by_rule["exact_width"].passed and by_rule["video_codec"].passed
    assert not by_rule["min_duration_seconds"].passed  # a 0.2 s clip
    assert overall_state(results) == WARNED  # R3a: misses cost points, they do not block
    results = check(probes["good"], preset_rules("classroom_recording"))
    assert overall_state(results) == FAILED  # R3: 320×180 is under 720×576


@pytest.mark.parametrize(
    ("rules", "text"),
    [
        ([Rule("min_pixels", "1")], "未知的视频规格项"),
        ([Rule("min_width", "wide")], "“分辨率（宽度下限）”的取值“wide”无效"),
        ([Rule("aspect_ratio", "16:0")], "取值“16:0”无效"),
        ([Rule("min_width", "720", "maybe")], "只能是"),
        ([Rule("frame_rate", "25", tolerance=2)], "容差"),
        (
            [Rule("min_duration_seconds", "900"), Rule("max_duration_seconds", "600")],
            "不能大于",
        ),
    ],
)
def test_invalid_rules_are_explained(rules, text):
    with pytest.raises(RuleError) as info:
        validate_rules(rules)
    assert text in str(info.value)


def test_rule_values_accept_units_and_round_trip():
    validate_rules(
        [
            Rule("min_video_bitrate", "8 Mbit/s"),
            Rule("min_audio_bitrate", "128k"),
            Rule("max_bytes", "1GB"),
            Rule("frame_rate", "30000/1001"),
            Rule("aspect_ratio", "16：9"),
        ]
    )
    rule = Rule("frame_rate", "25", WARNS, tolerance=0.02)
    assert Rule.from_dict(rule.to_dict()) == rule
    assert Rule.from_dict({"rule": "container", "value": "mp4"}).severity == BLOCKS
