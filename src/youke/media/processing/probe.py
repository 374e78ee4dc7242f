"""Probe a video: container, codecs, size, aspect, bitrates, frame rate, duration.

Only headers are read (plus the first picture, to prove the data is real video), so a 1 GB
mp4 probes in a fraction of a second. By default the work runs in a child process with a
wall-clock timeout and memory/CPU limits: a hostile file can make FFmpeg spin or allocate
without bound, and the worker that asked must survive that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, fields
from fractions import Fraction

from youke.media.processing import _inspect
from youke.media.processing.errors import (
    CORRUPT,
    EMPTY,
    MISSING,
    TIMEOUT,
    MediaError,
    media_error,
)

__all__ = ["MediaError", "ProbeResult", "probe"]

DEFAULT_TIME_LIMIT = 20.0
# Address space, not resident memory: FFmpeg maps its libraries and thread stacks up front.
CHILD_MEMORY_MB = 2048


@dataclass(frozen=True)
class ProbeResult:
    """What a video file is. ``width``/``height`` are as displayed (rotation applied)."""

    container: str  # short name: mp4, mov, mkv, avi, flv, ts, wmv, webm …
    video_codec: str  # FFmpeg codec name: h264, hevc, mpeg4 …
    audio_codec: str | None
    width: int
    height: int
    display_aspect_ratio: str  # "16:9", from the pixel size and sample aspect ratio
    video_bitrate: int | None  # bit/s
    audio_bitrate: int | None
    bitrate: int | None  # whole file, bit/s
    frame_rate: float
    duration_seconds: float
    has_video: bool
    has_audio: bool
    size_bytes: int
    format_name: str = ""  # FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    video_codec_long: str = ""
    audio_codec_long: str | None = None
    video_profile: str = ""
    pixel_format: str = ""
    sample_aspect_ratio: str = "1:1"
    rotation: int = 0  # clockwise degrees a player turns the picture (0, 90, 180, 270)
    interlaced: bool = False
    video_bitrate_estimated: bool = False  # derived from the file size, not the stream header
    audio_sample_rate: int | None = None
    audio_channels: int | None = None

    @property
    def aspect_ratio(self) -> float:
        """Display aspect ratio as a number (width / height)."""
        num, _, den = self.display_aspect_ratio.partition(":")
        return int(num) / int(den)

    @property
    def resolution(self) -> str:
        return f"{self.width}×{self.height}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ProbeResult:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def probe(
    path: str | os.PathLike,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    isolated: bool = True,
) -> ProbeResult:
    """Probe ``path``; raise MediaError with a Chinese reason when it is no usable video.

    ``isolated=False`` runs in this process (PyAV's I/O timeout still applies); use it only
    for files the platform generated itself.
    """
    path = os.fspath(path)
    # Cheap refusals first, without paying for a child process.
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise media_error(MISSING) from None
    if size == 0:
        raise media_error(EMPTY)
    raw = _inspect_isolated(path, time_limit) if isolated else _inspect_here(path, time_limit)
    return _to_result(raw)


def _inspect_here(path: str, time_limit: float) -> dict:
    try:
        return _inspect.inspect_file(path, open_timeout=time_limit)
    except _inspect.InspectError as exc:
        raise media_error(exc.code, exc.detail) from None


def _inspect_isolated(path: str, time_limit: float) -> dict:
    # -I: no user site, no PYTHON* variables, no script directory on sys.path.
    command = [
        sys.executable,
        "-I",
        _inspect.__file__,
        path,
        str(time_limit),
        str(CHILD_MEMORY_MB),
        str(max(int(time_limit) + 1, 2)),
    ]
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=time_limit, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise media_error(TIMEOUT, f"probe exceeded {time_limit:g} s") from None
    try:
        payload = json.loads(completed.stdout)
    except ValueError:
        stderr = completed.stderr.decode("utf-8", "replace")[-2000:]
        if "ImportError" in stderr or "ModuleNotFoundError" in stderr:
            # A broken install is no fault of the file: fail loudly so the job is retried.
            raise RuntimeError(f"probe child cannot start: {stderr}") from None
        # Killed by a signal (CPU or memory limit, a crash in FFmpeg) or an exception PyAV
        # raised on a malformed file: either way the teacher's file is the problem.
        raise media_error(
            CORRUPT, f"probe process exited with {completed.returncode}: {stderr}"
        ) from None
    if not payload.get("ok"):
        raise media_error(payload.get("code", CORRUPT), payload.get("detail", ""))
    return payload["result"]


# Picture sizes are rounded to even numbers and to macroblocks (1366×768, 854×480), so a
# ratio within half a percent of a common one is reported by its common name.
COMMON_RATIOS = (
    Fraction(16, 9),
    Fraction(4, 3),
    Fraction(9, 16),
    Fraction(3, 4),
    Fraction(1, 1),
    Fraction(16, 10),
    Fraction(64, 27),
    Fraction(3, 2),
    Fraction(5, 4),
)


def _ratio_text(value: Fraction) -> str:
    return f"{value.numerator}:{value.denominator}"


def _aspect_text(value: Fraction) -> str:
    for common in COMMON_RATIOS:
        if abs(value / common - 1) <= Fraction(1, 200):
            return _ratio_text(common)
    return _ratio_text(value)


def _to_result(raw: dict) -> ProbeResult:
    sar = Fraction(*raw["sample_aspect_ratio"])
    width, height = raw["coded_width"], raw["coded_height"]
    rotation = raw["rotation"]
    if rotation in (90, 270):
        width, height = height, width
        sar = 1 / sar
    dar = Fraction(width, height) * sar
    rate = Fraction(*raw["frame_rate"]) if raw["frame_rate"] else Fraction(0)
    return ProbeResult(
        container=raw["container"],
        video_codec=raw["video_codec"],
        audio_codec=raw["audio_codec"],
        width=width,
        height=height,
        display_aspect_ratio=_aspect_text(dar),
        video_bitrate=raw["video_bitrate"],
        audio_bitrate=raw["audio_bitrate"],
        bitrate=raw["bitrate"],
        frame_rate=round(float(rate), 3),
        duration_seconds=round(raw["duration_seconds"], 3),
        has_video=True,
        has_audio=raw["has_audio"],
        size_bytes=raw["size_bytes"],
        format_name=raw["format_name"],
        video_codec_long=raw["video_codec_long"],
        audio_codec_long=raw["audio_codec_long"],
        video_profile=raw["video_profile"],
        pixel_format=raw["pixel_format"],
        sample_aspect_ratio=_ratio_text(sar),
        rotation=rotation,
        interlaced=raw["interlaced"],
        video_bitrate_estimated=raw["video_bitrate_estimated"],
        audio_sample_rate=raw["audio_sample_rate"],
        audio_channels=raw["audio_channels"],
    )
