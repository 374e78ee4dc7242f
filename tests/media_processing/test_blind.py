"""The blind-review rendition: starts after the opening title, carries no tags (issue 7 item 1)."""

from __future__ import annotations

from fractions import Fraction

import av
import pytest
from mutagen.mp4 import MP4

from tests.media_processing.test_rendition import _top_level_boxes
from youke.media.processing import errors
from youke.media.processing.blind import make_blind_rendition
from youke.media.processing.documents import video_tags
from youke.media.processing.probe import MediaError, probe
from youke.media.processing.samples import _source, make_video

FPS = 25
TITLE_SECONDS = 5
LESSON_SECONDS = 3
TAGS = {
    "©nam": "分数的意义 王老师 东湖区实验小学",
    "©ART": "王老师",
    "©cmt": "东湖区实验小学录制",
    "cprt": "东湖区实验小学",
}


def _mean_luma(frame) -> float:
    plane = frame.to_rgb().reformat(format="gray").planes[0]
    data = bytes(plane)
    return sum(data) / len(data)


def titled_lesson(path, *, width=320, height=240) -> None:
    """A white 5 s title card, then a dark 3 s lesson, with a tone; tagged like a phone
    export naming the teacher and school."""
    title = _source(
        [("color", f"c=white:size={width}x{height}:rate={FPS}:duration={TITLE_SECONDS}")],
        "buffersink",
    )
    lesson = _source(
        [("color", f"c=0x202020:size={width}x{height}:rate={FPS}:duration={LESSON_SECONDS}")],
        "buffersink",
    )
    tone = _source(
        [("sine", f"frequency=440:sample_rate=48000:duration={TITLE_SECONDS + LESSON_SECONDS}")],
        "abuffersink",
    )
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=FPS, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.codec_context.gop_size = 2 * FPS
        audio = out.add_stream("aac", rate=48_000, layout="stereo")
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48_000, frame_size=1024)
        for index, frame in enumerate([*title, *lesson]):
            frame = frame.reformat(format="yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for frame in tone:
            for chunk in resampler.resample(frame):
                out.mux(audio.encode(chunk))
        for chunk in resampler.resample(None):
            out.mux(audio.encode(chunk))
        out.mux(audio.encode(None))
    tagged = MP4(str(path))
    for key, value in TAGS.items():
        tagged[key] = value
    tagged.save()


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    path = tmp_path_factory.mktemp("blind") / "lesson.mp4"
    titled_lesson(path)
    return path


def test_source_really_has_the_title_and_tags(lesson):
    assert {t.field: t.value for t in video_tags(lesson)} == {
        "title": TAGS["©nam"],
        "artist": TAGS["©ART"],
        "comment": TAGS["©cmt"],
        "copyright": TAGS["cprt"],
        "encoder": MP4(str(lesson)).tags["©too"][0],
    }
    with av.open(str(lesson)) as source:
        first = next(source.decode(video=0))
    assert _mean_luma(first) > 230  # the white title card


def test_blind_copy_starts_after_the_title_without_tags(lesson, tmp_path):
    out = tmp_path / "blind.mp4"
    duration = make_blind_rendition(lesson, out, cut_seconds=TITLE_SECONDS)
    original = probe(lesson)
    copy = probe(out)
    one_frame = 1 / FPS
    assert original.duration_seconds == pytest.approx(TITLE_SECONDS + LESSON_SECONDS, abs=0.05)
    assert copy.duration_seconds == pytest.approx(
        original.duration_seconds - TITLE_SECONDS, abs=one_frame + 0.03
    )
    assert duration == pytest.approx(LESSON_SECONDS, abs=one_frame)
    assert (copy.container, copy.video_codec, copy.audio_codec) == ("mp4", "h264", "aac")
    assert (copy.width, copy.height) == (320, 240)
    boxes = _top_level_boxes(out)
    assert boxes.index(b"moov") < boxes.index(b"mdat")  # faststart
    with av.open(str(out)) as blind:
        assert blind.metadata == {
            "major_brand": "isom",
            "minor_version": "512",
            "compatible_brands": "isomiso2avc1mp41",
        }
        assert all(set(s.metadata) <= {"language", "handler_name"} for s in blind.streams)
        assert {s.metadata["handler_name"] for s in blind.streams} == {
            "VideoHandler",
            "SoundHandler",
        }
        frames = list(blind.decode(video=0))
    assert MP4(str(out)).tags in (None, {})
    assert video_tags(out) == []
    # Every frame is the dark lesson: not one frame of the white title survives.
    assert max(_mean_luma(f) for f in frames) < 60
    assert len(frames) == LESSON_SECONDS * FPS
    assert frames[0].time == pytest.approx(0, abs=one_frame)
    for secret in ("王老师", "东湖区实验小学"):
        assert secret.encode() not in out.read_bytes()


def test_blind_copy_is_at_most_720p_and_cut_zero_keeps_everything(tmp_path):
    source = make_video(tmp_path / "hd.mp4", width=1920, height=1080, seconds=0.4)
    out = tmp_path / "blind.mp4"
    make_blind_rendition(source, out, cut_seconds=0)
    copy = probe(out)
    assert (copy.width, copy.height) == (1280, 720)
    assert copy.duration_seconds == pytest.approx(0.4, abs=0.05)


def test_cut_beyond_the_end_writes_nothing(lesson, tmp_path):
    out = tmp_path / "blind.mp4"
    with pytest.raises(MediaError) as caught:
        make_blind_rendition(lesson, out, cut_seconds=60)
    assert caught.value.code == errors.CORRUPT
    assert not out.exists() and list(tmp_path.iterdir()) == []
