"""Poster frames and thumbnails as JPEG, encoded with FFmpeg's mjpeg encoder (no Pillow).

Each picture comes from the keyframe at or before the requested time: seeking there and
decoding one frame costs milliseconds, where decoding up to the exact time could mean a
whole GOP (seconds for long-GOP 1080p).
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av

from youke.media.processing import _pipeline
from youke.media.processing.errors import CORRUPT, media_error

# The opening title (R3a) lasts about 5 s; 10 % of a 10-minute lesson is well past it.
DEFAULT_POSITION = 0.10
# Packets read after a seek before giving up on a picture (a sane GOP is far shorter).
_MAX_PACKETS = 600
_JPEG_QUALITY = 4  # mjpeg qscale: 2 best … 31 worst


def extract_poster(
    path: str | os.PathLike,
    out_path: str | os.PathLike,
    *,
    at_seconds: float | None = None,
    max_width: int = 640,
) -> Path:
    """Write a JPEG of a representative frame (10 % into the video unless ``at_seconds``)."""
    with _pipeline.open_input(path) as container:
        stream = _pipeline.video_stream(container)
        duration = _pipeline.duration_of(container, stream)
        if at_seconds is None:
            at_seconds = duration * DEFAULT_POSITION
        frame = _frame_at(container, stream, at_seconds)
        data = _jpeg(stream, frame, max_width)
    return _write(out_path, data)


def extract_thumbnails(
    path: str | os.PathLike,
    out_dir: str | os.PathLike,
    count: int = 4,
    *,
    max_width: int = 320,
) -> list[Path]:
    """``count`` JPEGs spread evenly over the video (at 1/(count+1), 2/(count+1) …)."""
    out_dir = Path(out_dir)
    paths = []
    with _pipeline.open_input(path) as container:
        stream = _pipeline.video_stream(container)
        duration = _pipeline.duration_of(container, stream)
        for index in range(count):
            at = duration * (index + 1) / (count + 1)
            frame = _frame_at(container, stream, at)
            data = _jpeg(stream, frame, max_width)
            paths.append(_write(out_dir / f"thumb_{index + 1:02d}.jpg", data))
    return paths


def _frame_at(container, stream, seconds: float):
    try:
        if seconds > 0 and stream.time_base:
            target = int(seconds / stream.time_base) + (stream.start_time or 0)
            container.seek(target, stream=stream, backward=True, any_frame=False)
            stream.codec_context.flush_buffers()
        for count, packet in enumerate(container.demux(stream), start=1):
            for frame in packet.decode():
                return frame
            if count >= _MAX_PACKETS:
                break
        for frame in stream.codec_context.decode(None):
            return frame
    except av.error.FFmpegError as exc:
        raise _pipeline.decode_error(exc) from None
    if seconds > 0:
        # A file without a usable index cannot seek: fall back to the first picture.
        container.seek(0)
        return _frame_at(container, stream, 0)
    raise media_error(CORRUPT, "no picture")


def _jpeg(stream, frame, max_width: int) -> bytes:
    rotation = _pipeline.clockwise_rotation(frame)
    size = _pipeline.output_size(stream, frame, rotation, max_width=max_width)
    graph = _pipeline.picture_graph(stream, rotation, size, "yuvj420p", deinterlace=True)
    graph.push(frame)
    graph.push(None)
    picture = next(_pipeline.drain(graph))
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = picture.width, picture.height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.qscale = True
    encoder.global_quality = _JPEG_QUALITY * 118  # FF_QP2LAMBDA
    picture.pts = 0
    packets = encoder.encode(picture) + encoder.encode(None)
    return b"".join(bytes(packet) for packet in packets)


def _write(out_path: str | os.PathLike, data: bytes) -> Path:
    out_path = Path(out_path)
    with _pipeline.atomic_output(out_path) as tmp:
        tmp.write_bytes(data)
    return out_path
