from __future__ import annotations

import av
import pytest

from youke.media.processing import errors, samples
from youke.media.processing.poster import extract_poster, extract_thumbnails
from youke.media.processing.probe import MediaError


def _jpeg_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9"  # SOI … EOI
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "mjpeg"
        frame = next(container.decode(stream))
        return frame.width, frame.height


def test_poster_is_a_jpeg_no_wider_than_asked(videos, tmp_path):
    out = extract_poster(videos["good"], tmp_path / "poster.jpg", max_width=160)
    assert out == tmp_path / "poster.jpg"
    assert _jpeg_size(out) == (160, 90)
    assert [p.name for p in tmp_path.iterdir()] == ["poster.jpg"]  # no temporary left


def test_poster_never_enlarges_a_small_video(videos, tmp_path):
    out = extract_poster(videos["good"], tmp_path / "p.jpg", at_seconds=1.5, max_width=640)
    assert _jpeg_size(out) == (320, 180)


def test_poster_of_full_hd_is_scaled_to_max_width(videos, tmp_path):
    assert _jpeg_size(extract_poster(videos["full_hd"], tmp_path / "p.jpg")) == (640, 360)


def test_poster_uses_square_pixels_and_rotation(videos, tmp_path):
    # 720×576 with 64:45 pixels is shown 16:9; the phone video is shown upright.
    assert _jpeg_size(extract_poster(videos["anamorphic"], tmp_path / "a.jpg")) == (640, 360)
    assert _jpeg_size(extract_poster(videos["rotated"], tmp_path / "r.jpg")) == (180, 320)


def test_thumbnails_are_spread_over_the_video(videos, tmp_path):
    paths = extract_thumbnails(videos["good"], tmp_path / "thumbs", count=4, max_width=96)
    assert [p.name for p in paths] == [f"thumb_0{i}.jpg" for i in range(1, 5)]
    assert {_jpeg_size(p) for p in paths} == {(96, 54)}
    # testsrc2 draws a clock, so pictures from different times differ.
    assert len({p.read_bytes() for p in paths}) == 4


def test_poster_of_a_sound_file_is_refused(media_dir, tmp_path):
    voice = samples.make_audio_only(media_dir / "poster_voice.m4a", seconds=0.5)
    with pytest.raises(MediaError) as info:
        extract_poster(voice, tmp_path / "p.jpg")
    assert info.value.code == errors.AUDIO_ONLY
    assert not (tmp_path / "p.jpg").exists()
