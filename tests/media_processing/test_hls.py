"""The HLS ladder from real generated videos (issue 7 item 1)."""

from __future__ import annotations

import math

import av
import pytest
from django.core.files.storage import default_storage

from youke.media.domain.ladder import build_ladder
from youke.media.processing import hls, samples
from youke.media.processing.rendition import make_rendition


@pytest.fixture(scope="module")
def hd_lesson(tmp_path_factory):
    """9 s of 720p: rungs 360 and 720, three segments each (4 + 4 + 1 s)."""
    folder = tmp_path_factory.mktemp("hls")
    return samples.make_video(folder / "hd.mp4", width=1280, height=720, seconds=9)


def test_rungs_are_capped_by_the_source_height():
    assert hls.ladder_heights(1080) == [360, 720, 1080]
    assert hls.ladder_heights(2160) == [360, 720, 1080]
    assert hls.ladder_heights(720) == [360, 720]
    assert hls.ladder_heights(576) == [360]
    assert hls.ladder_heights(240) == [240]
    assert hls.ladder_heights(None) == []


def test_ladder_playlists_parse_and_segments_match_duration(hd_lesson, tmp_path):
    rungs = hls.encode_rungs(hd_lesson, tmp_path, hls.ladder_heights(720))
    assert [(r.width, r.height, r.has_audio) for r in rungs] == [
        (640, 360, True),
        (1280, 720, True),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["360", "720"]
    for rung in rungs:
        folder = tmp_path / str(rung.height)
        segments = hls.parse_variant((folder / hls.VARIANT).read_text())
        assert [name for _, name in segments] == ["seg_00000.ts", "seg_00001.ts", "seg_00002.ts"]
        assert len(segments) == math.ceil(9 / hls.SEGMENT_SECONDS)
        assert sum(d for d, _ in segments) == pytest.approx(9, abs=0.05)
        assert all(d <= hls.SEGMENT_SECONDS + 0.01 for d, _ in segments)
        with av.open(str(folder / "seg_00001.ts")) as segment:
            video = segment.streams.video[0]
            assert (video.codec_context.name, video.height) == ("h264", rung.height)
            assert segment.streams.audio[0].codec_context.name == "aac"
            first = next(segment.decode(video=0))
            assert first.key_frame  # every segment starts on a keyframe
        assert rung.bandwidth > 0
    master = hls.master_playlist((f"{r.height}/{hls.VARIANT}", r) for r in rungs)
    lines = master.splitlines()
    assert lines[0] == "#EXTM3U"
    assert [line for line in lines if not line.startswith("#")] == [
        "360/index.m3u8",
        "720/index.m3u8",
    ]
    assert "RESOLUTION=1280x720" in lines[-2] and f"BANDWIDTH={rungs[1].bandwidth}" in lines[-2]


def test_ladder_reuses_the_rendition_and_computes_only_what_is_missing(hd_lesson, tmp_path):
    rendition = make_rendition(hd_lesson, tmp_path / "r.mp4", max_height=720) and (
        tmp_path / "r.mp4"
    )
    master, heights = build_ladder(
        hd_lesson, "media/hls/t/", [360, 720], rendition=rendition, rendition_height=720
    )
    assert (master, heights) == ("media/hls/t/master.m3u8", [360, 720])
    with default_storage.open(master) as handle:
        text = handle.read().decode()
    assert "360/index.m3u8" in text and "720/index.m3u8" in text
    # The 720p rung is the rendition's packets, cut: same video bytes, no second encode.
    with av.open(str(rendition)) as source:
        first_rendition_packet = bytes(next(source.demux(video=0)))
    with av.open(default_storage.path("media/hls/t/720/seg_00000.ts")) as segment:
        first_segment_packet = bytes(next(segment.demux(video=0)))
    assert first_segment_packet.endswith(first_rendition_packet[-64:])
    # Each cut segment decodes on its own (SPS/PPS repeated at every keyframe): a player
    # that resumes mid-lesson starts with that segment.
    for index in range(3):
        with av.open(default_storage.path(f"media/hls/t/720/seg_{index:05d}.ts")) as segment:
            assert next(segment.decode(video=0)).key_frame

    # A rung whose marker is gone is computed again; the finished one is left alone.
    kept = default_storage.path("media/hls/t/720/seg_00000.ts")
    before = (default_storage.get_modified_time("media/hls/t/720/seg_00000.ts"), kept)
    default_storage.delete("media/hls/t/360/info.json")
    assert build_ladder(hd_lesson, "media/hls/t/", [360, 720])[1] == [360, 720]
    assert default_storage.exists("media/hls/t/360/info.json")
    assert (default_storage.get_modified_time("media/hls/t/720/seg_00000.ts"), kept) == before


def reencode(source, out, *, gop_frames: int):
    """H.264 with a real GOP (the generated samples are all keyframes), silent."""
    with av.open(str(source)) as src, av.open(str(out), "w") as dst:
        stream = dst.add_stream("libx264", rate=25, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        stream.codec_context.gop_size = gop_frames
        stream.bit_rate = 800_000
        for frame in src.decode(video=0):
            frame.pict_type = av.video.frame.PictureType.NONE
            dst.mux(stream.encode(frame))
        dst.mux(stream.encode(None))
    return out


def test_an_upload_made_to_spec_is_its_own_top_rung(tmp_path):
    spec = reencode(
        samples.make_video(tmp_path / "src.mp4", width=640, height=360, seconds=9),
        tmp_path / "spec.mp4",
        gop_frames=50,
    )
    assert hls.copyable_as_rung(spec, 360) is True
    assert hls.copyable_as_rung(spec, 720) is False  # another height needs an encode
    long_gop = reencode(spec, tmp_path / "gop.mp4", gop_frames=25 * 8)
    assert hls.copyable_as_rung(long_gop, 360) is False  # segments would be 8 s long
    assert hls.copyable_as_rung(reencode(spec, tmp_path / "g2.mp4", gop_frames=50), 360) is True
    upright = samples.make_video(
        tmp_path / "phone.mp4", width=320, height=180, seconds=1, bitrate=300_000, rotation=-90
    )
    assert hls.copyable_as_rung(upright, 320) is False
    assert hls.copyable_as_rung(upright, 180) is False

    master, heights = build_ladder(spec, "media/hls/spec/", [360])
    assert heights == [360]
    with av.open(str(spec)) as source:
        first_source_packet = bytes(next(source.demux(video=0)))
    with av.open(default_storage.path("media/hls/spec/360/seg_00000.ts")) as segment:
        first_segment_packet = bytes(next(segment.demux(video=0)))
        assert next(segment.decode(video=0)).key_frame
    assert first_segment_packet.endswith(first_source_packet[-64:])  # copied, not encoded
