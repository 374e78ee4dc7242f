"""Real media files generated once per test session with PyAV (small and short)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from youke.media.processing import samples
from youke.media.processing.codecs import audio_encoder, video_encoder
from youke.media.processing.probe import probe

# Each entry: make_video keyword arguments. Kept tiny: the suite decodes every one of them.
VIDEOS = {
    # A keyframe every 0.4 s, so thumbnails (taken at keyframes) differ along 2 s.
    "good": dict(width=320, height=180, seconds=2, gop_seconds=0.4),
    "full_hd": dict(width=1920, height=1080, seconds=0.2),
    "four_three": dict(width=320, height=240, seconds=1),
    "fps30": dict(width=320, height=180, seconds=1, fps=30),
    "mpeg4_mkv": dict(
        width=320, height=180, seconds=1, codec="mpeg4", audio_codec="mp3", container="mkv"
    ),
    "low_bitrate": dict(width=320, height=180, seconds=1, bitrate=40_000, audio_bitrate=32_000),
    "silent": dict(width=320, height=180, seconds=1, audio=False),
    "rotated": dict(width=320, height=180, seconds=1, rotation=-90),
    "anamorphic": dict(
        width=720, height=576, seconds=0.2, sample_aspect_ratio=Fraction(64, 45), audio=False
    ),
    "faststart": dict(width=320, height=180, seconds=1, faststart=True),
}


def require_encoders(*names: str) -> None:
    for name in names:
        if video_encoder(name) is None and audio_encoder(name) is None:
            pytest.skip(f"this PyAV build has no {name} encoder")


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def videos(media_dir):
    require_encoders("h264", "aac", "mpeg4", "mp3")
    paths = {}
    for name, options in VIDEOS.items():
        suffix = ".mkv" if options.get("container") == "mkv" else ".mp4"
        paths[name] = samples.make_video(media_dir / f"{name}{suffix}", **options)
    return paths


@pytest.fixture(scope="session")
def probes(videos):
    return {name: probe(path) for name, path in videos.items()}
