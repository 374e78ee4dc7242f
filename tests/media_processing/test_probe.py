from __future__ import annotations

import pytest

from youke.media.processing import errors, samples
from youke.media.processing.probe import MediaError, ProbeResult, probe


def test_probe_reads_every_value_of_a_real_mp4(videos):
    result = probe(videos["good"])

    assert result.container == "mp4"
    assert result.format_name == "mov,mp4,m4a,3gp,3g2,mj2"
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")
    assert (result.width, result.height) == (320, 180)
    assert result.display_aspect_ratio == "16:9"
    assert result.sample_aspect_ratio == "1:1"
    assert result.frame_rate == 25.0
    assert result.duration_seconds == pytest.approx(2.0, abs=0.05)
    assert result.has_video and result.has_audio
    assert result.size_bytes == videos["good"].stat().st_size
    assert result.audio_bitrate == pytest.approx(128_000, rel=0.05)
    assert result.audio_sample_rate == 48_000 and result.audio_channels == 2
    assert result.video_bitrate > 100_000 and not result.video_bitrate_estimated
    # The whole-file rate covers both streams and the container overhead.
    assert result.bitrate >= result.video_bitrate + result.audio_bitrate * 0.9
    assert result.rotation == 0 and result.interlaced is False


def test_probe_result_round_trips_through_a_dict(probes):
    result = probes["good"]
    assert ProbeResult.from_dict({**result.to_dict(), "unknown_key": 1}) == result


def test_matroska_without_stream_bitrate_falls_back_to_file_size(probes):
    result = probes["mpeg4_mkv"]
    assert (result.container, result.video_codec, result.audio_codec) == ("mkv", "mpeg4", "mp3")
    # Matroska stores no per-stream video bitrate: derived from size, duration and audio.
    assert result.video_bitrate_estimated
    assert result.video_bitrate == result.bitrate - result.audio_bitrate


def test_rotated_phone_video_reports_displayed_size(probes):
    result = probes["rotated"]
    assert result.rotation == 90
    assert (result.width, result.height) == (180, 320)
    assert result.display_aspect_ratio == "9:16"


def test_anamorphic_video_aspect_comes_from_sample_aspect_ratio(probes):
    result = probes["anamorphic"]
    assert (result.width, result.height) == (720, 576)
    assert result.sample_aspect_ratio == "64:45"
    assert result.display_aspect_ratio == "16:9"
    assert result.has_audio is False and result.audio_codec is None


@pytest.fixture(scope="module")
def bad_files(media_dir, videos):
    d = media_dir / "bad"
    d.mkdir()
    (d / "empty.mp4").write_bytes(b"")
    poster = d / "still.jpg"
    from youke.media.processing.poster import extract_poster

    extract_poster(videos["good"], poster)
    (d / "photo.mp4").write_bytes(poster.read_bytes())
    return {
        "empty": d / "empty.mp4",
        "missing": d / "nothing-here.mp4",
        "docx": samples.make_not_media(d / "design.mp4", kind="docx"),
        "txt": samples.make_not_media(d / "notes.mp4", kind="txt"),
        "photo": d / "photo.mp4",
        "truncated": samples.make_truncated(videos["good"], d / "cut.mp4"),
        "truncated_faststart": samples.make_truncated(videos["faststart"], d / "cut_fs.mp4"),
        "corrupt": samples.make_corrupt(d / "noise.mp4"),
        "audio_only": samples.make_audio_only(d / "voice.m4a"),
        "unsupported": samples.make_unsupported_codec(d / "odd.avi"),
    }


BAD_CASES = [
    ("empty", errors.EMPTY, "0 字节"),
    ("missing", errors.MISSING, "重新上传"),
    ("docx", errors.NOT_MEDIA, "不是视频文件"),
    ("txt", errors.NOT_MEDIA, "不是视频文件"),
    ("photo", errors.NOT_MEDIA, "不是视频文件"),
    ("truncated", errors.TRUNCATED, "不完整"),
    ("truncated_faststart", errors.TRUNCATED, "不完整"),
    ("corrupt", errors.CORRUPT, "已损坏"),
    ("audio_only", errors.AUDIO_ONLY, "没有视频画面"),
    ("unsupported", errors.UNSUPPORTED_CODEC, "无法识别该视频的编码格式"),
]


@pytest.mark.parametrize(("name", "code", "reason"), BAD_CASES)
def test_bad_files_are_refused_with_a_reason_and_a_fix(bad_files, name, code, reason):
    with pytest.raises(MediaError) as info:
        probe(bad_files[name])
    assert info.value.code == code
    assert reason in info.value.message
    assert "请" in info.value.message  # every refusal tells the teacher what to do


@pytest.mark.parametrize("name", ["docx", "truncated", "corrupt", "audio_only", "unsupported"])
def test_in_process_probe_gives_the_same_codes(bad_files, name):
    code = dict((case[0], case[1]) for case in BAD_CASES)[name]
    with pytest.raises(MediaError) as info:
        probe(bad_files[name], isolated=False)
    assert info.value.code == code


def test_probe_in_process_matches_isolated(videos, probes):
    assert probe(videos["mpeg4_mkv"], isolated=False) == probes["mpeg4_mkv"]


def test_probe_that_exceeds_its_time_limit_is_killed(videos):
    with pytest.raises(MediaError) as info:
        probe(videos["good"], time_limit=0.001)
    assert info.value.code == errors.TIMEOUT
    assert "超时" in info.value.message
