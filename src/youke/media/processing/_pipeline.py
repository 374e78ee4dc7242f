"""Pieces shared by the poster, rendition, blind copy and HLS code: opening input, geometry,
filter graphs, the H.264/AAC encoders and the decode loop."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av

from youke.media.processing.codecs import video_encoder
from youke.media.processing.errors import (
    AUDIO_ONLY,
    CORRUPT,
    MISSING,
    NO_ENCODER,
    NOT_MEDIA,
    TIMEOUT,
    UNSUPPORTED_CODEC,
    media_error,
)

# Per blocking read/open; whole-job limits are enforced by the callers' loops.
IO_TIMEOUT = 30.0

# Every H.264 output (rendition, blind copy, HLS rungs). CRF 23 is x264's "visually fine"
# default; the cap keeps a noisy classroom recording from ballooning (about 2.5 Mbit/s at
# 720p, scaled by picture area).
CRF = 23
PRESET = "veryfast"
MAX_BITS_PER_PIXEL_SECOND = 2.7
AUDIO_BITRATE = 128_000
# Bad packets tolerated (dropped) before the file counts as corrupt.
MAX_DECODE_ERRORS = 50
PROGRESS_INTERVAL = 0.5  # seconds of wall time between progress callbacks


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


def h264_encoder() -> str:
    encoder = video_encoder("h264")
    if encoder is None:
        raise media_error(NO_ENCODER, "no H.264 encoder in this PyAV build")
    return encoder


def input_streams(container):
    """(picture stream, first decodable audio stream or None) of an opened input."""
    vin = video_stream(container)
    vin.thread_type = "AUTO"
    audios = list(container.streams.audio)
    ain = audios[0] if audios and audios[0].codec_context is not None else None
    return vin, ain


def start_seconds(stream) -> float:
    if stream.start_time is not None and stream.time_base:
        return float(stream.start_time * stream.time_base)
    return 0.0


def frame_rate(stream):
    return stream.average_rate or stream.guessed_rate or 25


def add_h264_stream(out, vin, encoder: str, size: tuple[int, int], *, preset=PRESET, **x264):
    """An H.264 output stream of ``size`` on the source's clock (re-timing a variable-rate
    phone video to 1/fps collides); ``x264`` adds options such as the GOP."""
    options = {}
    if encoder == "libx264":
        maxrate = int(size[0] * size[1] * MAX_BITS_PER_PIXEL_SECOND)
        options = {
            "preset": preset,
            "crf": str(CRF),
            "maxrate": str(maxrate),
            "bufsize": str(maxrate * 2),
            "profile": "high",
            **x264,
        }
    vout = out.add_stream(encoder, rate=frame_rate(vin), options=options)
    vout.width, vout.height, vout.pix_fmt = size[0], size[1], "yuv420p"
    vout.codec_context.time_base = vin.time_base
    vout.time_base = vin.time_base
    # x264's own frame threading: PyAV's default (slice threads) is ~15 % less efficient.
    vout.codec_context.thread_type = "FRAME"
    return vout


def audio_format(ain) -> tuple[int, str]:
    """(sample rate, layout) of the AAC output for ``ain``: 44.1/48 kHz, mono or stereo."""
    rate = ain.codec_context.sample_rate
    rate = rate if rate in (44_100, 48_000) else 48_000
    return rate, "mono" if ain.codec_context.layout.nb_channels == 1 else "stereo"


def add_aac_stream(out, rate: int, layout: str):
    aout = out.add_stream("aac", rate=rate, layout=layout)
    aout.bit_rate = AUDIO_BITRATE
    return aout


def aac_resampler(rate: int, layout: str):
    return av.AudioResampler(format="fltp", layout=layout, rate=rate, frame_size=1024)


def encode_pictures(graph, vout, out, last_pts):
    """Encode what ``graph`` has ready into ``out``; returns the last pts written. Pictures
    with broken (missing or non-increasing) timestamps are dropped rather than aborting
    the encoder."""
    for picture in drain(graph):
        if picture.pts is None or (last_pts is not None and picture.pts <= last_pts):
            continue
        last_pts = picture.pts
        out.mux(vout.encode(unforced(picture)))
    return last_pts


def decoded_packets(source, streams) -> Iterator[tuple[object, list]]:
    """(stream, decoded frames) per demuxed packet; undecodable packets are dropped up to
    MAX_DECODE_ERRORS, then the file counts as corrupt."""
    errors = 0
    for packet in source.demux(*streams):
        try:
            frames = packet.decode()
        except av.error.ExitError as exc:
            raise decode_error(exc) from None
        except av.error.FFmpegError:
            errors += 1
            if errors > MAX_DECODE_ERRORS:
                raise media_error(CORRUPT, "too many undecodable packets") from None
            continue
        yield packet.stream, frames


def run_job(
    job,
    *,
    what: str,
    time_limit: float | None = None,
    progress: Callable[[float, float], None] | None = None,
    total: float = 0.0,
) -> None:
    """Drive ``job.run()`` (which yields seconds done) to ``job.close()``, calling
    ``progress(done, total)`` about twice a second and raising MediaError("timeout") after
    ``time_limit`` seconds of wall time; ``job.abort()`` on any failure."""
    deadline = time.monotonic() + time_limit if time_limit else None
    last_report = 0.0
    try:
        for done in job.run():
            now = time.monotonic()
            if deadline and now > deadline:
                raise media_error(TIMEOUT, f"{what} exceeded {time_limit:g} s")
            if progress and now - last_report >= PROGRESS_INTERVAL:
                progress(min(done, total), total)
                last_report = now
        job.close()
    except BaseException:
        job.abort()
        raise
