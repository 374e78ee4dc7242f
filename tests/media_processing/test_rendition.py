from __future__ import annotations

import pytest

from youke.media.processing import errors
from youke.media.processing.probe import MediaError, probe
from youke.media.processing.rendition import make_rendition


def _top_level_boxes(path) -> list[bytes]:
    data = path.read_bytes()
    boxes, pos = [], 0
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        boxes.append(data[pos + 4 : pos + 8])
        pos += size
    return boxes


def test_rendition_is_h264_aac_faststart_within_max_height(videos, tmp_path):
    calls = []
    out = tmp_path / "play.mp4"
    speed = make_rendition(
        videos["full_hd"], out, max_height=144, progress=lambda d, t: calls.append((d, t))
    )
    result = probe(out)
    assert (result.container, result.video_codec, result.audio_codec) == ("mp4", "h264", "aac")
    assert (result.width, result.height) == (256, 144)
    assert result.has_audio
    assert result.duration_seconds == pytest.approx(0.2, abs=0.05)
    assert result.video_profile == "High"
    boxes = _top_level_boxes(out)
    assert boxes.index(b"moov") < boxes.index(b"mdat")  # playable before fully downloaded
    assert speed > 0
    assert calls[0][1] == calls[-1][1] == pytest.approx(0.2, abs=0.05)
    assert calls[-1][0] == pytest.approx(calls[-1][1], abs=0.05)


def test_rendition_of_a_foreign_format_and_a_small_video(videos, tmp_path):
    # MPEG-4 Part 2 + MP3 in MKV becomes H.264 + AAC in MP4, kept at its own 180 lines.
    make_rendition(videos["mpeg4_mkv"], tmp_path / "a.mp4")
    result = probe(tmp_path / "a.mp4")
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")
    assert (result.width, result.height) == (320, 180)


def test_rendition_turns_phone_video_upright_and_squares_pixels(videos, tmp_path):
    make_rendition(videos["rotated"], tmp_path / "r.mp4", max_height=160)
    rotated = probe(tmp_path / "r.mp4")
    assert (rotated.width, rotated.height, rotated.rotation) == (90, 160, 0)

    make_rendition(videos["anamorphic"], tmp_path / "a.mp4", max_height=360)
    wide = probe(tmp_path / "a.mp4")
    assert (wide.width, wide.height, wide.sample_aspect_ratio) == (640, 360, "1:1")
    assert wide.has_audio is False


def test_rendition_over_its_time_limit_stops_and_leaves_nothing(videos, tmp_path):
    with pytest.raises(MediaError) as info:
        make_rendition(videos["good"], tmp_path / "slow.mp4", time_limit=1e-6)
    assert info.value.code == errors.TIMEOUT
    assert list(tmp_path.iterdir()) == []
