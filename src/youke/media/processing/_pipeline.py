"""Pieces shared by the poster and rendition code: opening input, geometry, filter graphs."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av

from youke.media.processing.errors import (
    AUDIO_ONLY,
    CORRUPT,
    MISSING,
    NOT_MEDIA,
    TIMEOUT,
    UNSUPPORTED_CODEC,
    media_error,
)

# Per blocking read/open; whole-job limits are enforced by the callers' loops.
IO_TIMEOUT = 30.0


def open_input(path: str | os.PathLike):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise media_error(MISSING)
    try:
        return av.open(path, timeout=(IO_TIMEOUT, IO_TIMEOUT))
    except av.error.ExitError:
        raise media_error(TIMEOUT) from None
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise media_error(NOT_MEDIA, str(exc)) from None


def video_stream(container):
    """The lesson's picture: the first video stream that is not embedded cover art."""
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            if stream.codec_context is None:
                raise media_error(UNSUPPORTED_CODEC)
            return stream
    if container.streams.audio:
        raise media_error(AUDIO_ONLY)
    raise media_error(NOT_MEDIA)


def duration_of(container, stream) -> float:
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def clockwise_rotation(frame) -> int:
    return (-int(frame.rotation or 0)) % 360


def even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def output_size(
    stream, frame, rotation: int, *, max_width=None, max_height=None
) -> tuple[int, int]:
    """Square-pixel size of ``frame`` as displayed, shrunk (never enlarged) to fit."""
    sar = stream.sample_aspect_ratio or stream.codec_context.sample_aspect_ratio
    sar = Fraction(sar) if sar and sar > 0 else Fraction(1)
    width = frame.width * sar
    height = Fraction(frame.height)
    if rotation in (90, 270):
        width, height = height, width
    scale = Fraction(1)
    if max_width and width > max_width:
        scale = min(scale, Fraction(max_width) / width)
    if max_height and height > max_height:
        scale = min(scale, Fraction(max_height) / height)
    return even(width * scale), even(height * scale)


def picture_graph(stream, rotation: int, size: tuple[int, int], pix_fmt: str, *, deinterlace=False):
    """buffer → (deinterlace) → rotate → scale to ``size`` with square pixels → ``pix_fmt``."""
    graph = av.filter.Graph()
    nodes = [graph.add_buffer(template=stream)]
    if deinterlace:
        # Only frames flagged interlaced are touched; progressive ones pass through.
        nodes.append(graph.add("bwdif", "mode=send_frame:parity=auto:deint=interlaced"))
    if rotation == 90:
        nodes.append(graph.add("transpose", "clock"))
    elif rotation == 270:
        nodes.append(graph.add("transpose", "cclock"))
    elif rotation == 180:
        nodes += [graph.add("hflip"), graph.add("vflip")]
    nodes.append(graph.add("scale", f"w={size[0]}:h={size[1]}:flags=bicubic"))
    nodes.append(graph.add("setsar", "1"))
    nodes.append(graph.add("format", f"pix_fmts={pix_fmt}"))
    nodes.append(graph.add("buffersink"))
    graph.link_nodes(*nodes).configure()
    return graph


def drain(graph) -> Iterator:
    while True:
        try:
            yield graph.pull()
        except (av.error.EOFError, av.error.BlockingIOError):
            return


@contextlib.contextmanager
def atomic_output(out_path: str | os.PathLike):
    """A temporary sibling path that replaces ``out_path`` only when the block succeeds,
    so a killed or failed job never leaves a half-written poster or rendition behind."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    try:
        yield tmp
        os.replace(tmp, out_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def decode_error(exc: Exception):
    if isinstance(exc, av.error.ExitError):
        return media_error(TIMEOUT)
    return media_error(CORRUPT, str(exc))


def unforced(picture):
    """The picture with its frame type cleared before encoding. Decoded (and generated)
    frames carry their own type; libx264 turns every frame typed I into a keyframe, so an
    all-intra source would give an all-intra, double-size output and segments cut anywhere."""
    picture.pict_type = av.video.frame.PictureType.NONE
    return picture
