"""Real, small media files for tests, the demo and benchmarks, generated with PyAV.

Pictures come from FFmpeg's ``testsrc2`` (a moving colour pattern with a running clock) and
sound from ``sine``, both through PyAV filter graphs, so no numpy or external tool is needed.
"""

from __future__ import annotations

import os
import random
import zipfile
from fractions import Fraction
from pathlib import Path

import av

from youke.media.processing import _pipeline
from youke.media.processing.codecs import MUXERS, audio_encoder, video_encoder

_ISO_FTYP = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"  # a real 32-byte ftyp box


def _source(graph_spec: list[tuple[str, str]], sink_name: str):
    """Frames from a source-only filter graph, until the source ends."""
    graph = av.filter.Graph()
    nodes = [graph.add(name, args) for name, args in graph_spec]
    nodes.append(graph.add(sink_name))
    graph.link_nodes(*nodes).configure()
    sink = nodes[-1]
    # The generator holds ``graph``: its filter contexts die with it.
    while True:
        try:
            yield sink.pull()
        except (av.error.EOFError, av.error.BlockingIOError):
            return


def make_video(
    path: str | os.PathLike,
    *,
    width: int,
    height: int,
    seconds: float,
    fps: float = 25,
    codec: str = "h264",
    bitrate: int | None = None,
    audio: bool = True,
    audio_codec: str = "aac",
    audio_bitrate: int = 128_000,
    container: str = "mp4",
    sample_aspect_ratio: Fraction | None = None,
    rotation: int = 0,
    noise: bool = False,
    gop_seconds: float = 2.0,
    faststart: bool = False,
) -> Path:
    """Write a real video: moving pattern (plus grain if ``noise``) and a 440 Hz tone.

    ``codec="h264"`` uses libx264 when the wheel has it; ``noise`` makes the picture hard to
    compress, so a requested ``bitrate`` is actually reached (for bitrate rules, benchmarks).
    """
    path = Path(path)
    encoder = video_encoder(codec)
    if encoder is None:
        raise RuntimeError(f"no encoder for {codec} in this PyAV build")
    rate = Fraction(fps).limit_denominator(1001)
    frames = max(1, round(seconds * rate))

    filters = [("testsrc2", f"size={width}x{height}:rate={rate}:duration={seconds}")]
    if noise:
        filters.append(("noise", "alls=24:allf=t+u"))
    filters.append(("format", "pix_fmts=yuv420p"))
    if sample_aspect_ratio:
        filters.append(
            ("setsar", f"{sample_aspect_ratio.numerator}/{sample_aspect_ratio.denominator}")
        )
    video_source = _source(filters, "buffersink")

    options = {}
    if encoder == "libx264":
        options = {"preset": "ultrafast"}
        if bitrate:
            # A capped VBV keeps the ABR encoder close to the target on synthetic content.
            options.update(maxrate=str(bitrate), bufsize=str(bitrate), **{"nal-hrd": "vbr"})
    muxer_options = {"movflags": "+faststart"} if faststart else {}
    with av.open(
        str(path), "w", format=MUXERS.get(container, container), options=muxer_options
    ) as out:
        vs = out.add_stream(encoder, rate=rate, options=options)
        vs.width, vs.height, vs.pix_fmt = width, height, "yuv420p"
        vs.codec_context.gop_size = max(1, round(gop_seconds * rate))
        if sample_aspect_ratio:
            vs.codec_context.sample_aspect_ratio = sample_aspect_ratio
        if bitrate:
            vs.bit_rate = bitrate
        if rotation:
            vs.set_display_rotation(rotation)

        audio_stream = audio_frames = None
        if audio:
            aencoder = audio_encoder(audio_codec)
            if aencoder is None:
                raise RuntimeError(f"no encoder for {audio_codec} in this PyAV build")
            sample_rate = 44_100 if aencoder == "libmp3lame" else 48_000
            audio_stream = out.add_stream(aencoder, rate=sample_rate, layout="stereo")
            audio_stream.bit_rate = audio_bitrate
            tone = _source(
                [
                    (
                        "sine",
                        f"frequency=440:sample_rate={sample_rate}:duration={float(frames / rate)}",
                    )
                ],
                "abuffersink",
            )
            audio_frames = _encoded_audio(tone, audio_stream)

        pending_audio = None
        for index, frame in enumerate(video_source):
            if index >= frames:
                break
            frame.pts = index
            frame.time_base = 1 / rate
            out.mux(vs.encode(_pipeline.unforced(frame)))
            # Interleave: keep the audio up to the picture so the muxer never buffers much.
            while audio_frames is not None:
                if pending_audio is None:
                    pending_audio = next(audio_frames, None)
                    if pending_audio is None:
                        audio_frames = None
                        break
                if pending_audio.time > (index + 1) / rate:
                    break
                out.mux(audio_stream.encode(pending_audio))
                pending_audio = None
        out.mux(vs.encode(None))
        if audio_stream is not None:
            if pending_audio is not None:
                out.mux(audio_stream.encode(pending_audio))
            for frame in audio_frames or ():
                out.mux(audio_stream.encode(frame))
            out.mux(audio_stream.encode(None))
    return path


def _encoded_audio(source, stream):
    """Source audio converted to what the encoder accepts, in encoder-sized frames."""
    ctx = stream.codec_context
    resampler = av.AudioResampler(
        format=ctx.format.name,
        layout=ctx.layout.name,
        rate=ctx.sample_rate,
        frame_size=ctx.frame_size or None,
    )
    for frame in source:
        yield from resampler.resample(frame)
    yield from resampler.resample(None)


def make_audio_only(
    path: str | os.PathLike, *, seconds: float = 2.0, codec: str = "aac", container: str = "m4a"
) -> Path:
    """A sound-only file (by default AAC in an .m4a, the way phone voice memos come)."""
    path = Path(path)
    encoder = audio_encoder(codec)
    with av.open(str(path), "w", format=MUXERS.get(container, container)) as out:
        stream = out.add_stream(encoder, rate=48_000, layout="stereo")
        tone = _source(
            [("sine", f"frequency=440:sample_rate=48000:duration={seconds}")], "abuffersink"
        )
        for frame in _encoded_audio(tone, stream):
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def make_truncated(src: str | os.PathLike, dst: str | os.PathLike, *, keep: float = 0.6) -> Path:
    """The first ``keep`` of ``src``: what an interrupted copy or upload leaves behind."""
    data = Path(src).read_bytes()
    dst = Path(dst)
    dst.write_bytes(data[: max(1, int(len(data) * keep))])
    return dst


def make_corrupt(dst: str | os.PathLike, *, size: int = 64 * 1024, seed: int = 7) -> Path:
    """An mp4 signature followed by noise: looks like a video by its first bytes only."""
    dst = Path(dst)
    noise = random.Random(seed).randbytes(size)
    dst.write_bytes(_ISO_FTYP + noise)
    return dst


def make_unsupported_codec(dst: str | os.PathLike, *, seconds: float = 0.4) -> Path:
    """An AVI whose video is tagged with a FourCC that no decoder knows."""
    dst = Path(dst)
    make_video(
        dst, width=64, height=48, seconds=seconds, codec="mpeg4", audio=False, container="avi"
    )
    data = dst.read_bytes()
    # mpeg4 in AVI is tagged FMP4 in the stream header and the bitmap header.
    dst.write_bytes(data.replace(b"FMP4", b"QQQQ"))
    return dst


def make_not_media(dst: str | os.PathLike, *, kind: str = "docx") -> Path:
    """A document renamed to look like a video (a .docx zip or plain text)."""
    dst = Path(dst)
    if kind == "docx":
        with zipfile.ZipFile(dst, "w") as zf:
            zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            zf.writestr("word/document.xml", "<w:document>教学设计</w:document>")
    else:
        dst.write_text("第一课 教学设计\n教学目标：……\n" * 40, encoding="utf-8")
    return dst
