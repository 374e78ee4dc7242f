"""Read a media file's headers with PyAV and report raw facts or a machine-readable failure.

This module imports nothing from youke or Django on purpose: ``probe.probe`` runs it as a
script in a short-lived child process (``python -I _inspect.py FILE``) so that a hostile file
that hangs or crashes FFmpeg takes down only that child, under a wall-clock timeout and
resource limits. Translated messages are built by the parent from the failure code.
"""

from __future__ import annotations

import json
import os
import sys
from fractions import Fraction

# Failure codes shared with probe.py (which owns the user-facing messages).
MISSING = "missing"
EMPTY = "empty"
NOT_MEDIA = "not_media"
TRUNCATED = "truncated"
CORRUPT = "corrupt"
AUDIO_ONLY = "audio_only"
UNSUPPORTED_CODEC = "unsupported_codec"
TIMEOUT = "timeout"

# ISO base media (mp4/mov) top-level boxes; anything else at the top level means damage.
_ISO_BOXES = frozenset(
    b"ftyp moov mdat free skip wide pnot uuid meta moof mfra sidx styp emsg prft pdin "
    b"junk PICT abst afra udta ssix mvex".split()
)
# Demuxers FFmpeg picks for stills, text art and subtitles: they open, but are no lesson video.
_NOT_VIDEO_FORMATS = ("tty", "image2", "_pipe", "gif", "apng", "webp", "svg", "bin", "txt")
# Decoding stops after this many packets without a picture: enough for any sane GOP start.
_MAX_PACKETS_FOR_FIRST_FRAME = 300


class InspectError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def _sniff(head: bytes) -> str | None:
    """Name the container family from magic bytes, or None when it looks like no media."""
    if len(head) >= 8 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
        return "iso"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if head.startswith(b"RIFF") and head[8:12] in (b"AVI ", b"WAVE"):
        return "riff"
    if head.startswith((b"FLV", b"OggS", b"ID3", b"fLaC", b"\x30\x26\xb2\x75")):
        return "other"
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return "mpeg"
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:
        return "mpegts"
    return None


def _check_iso_boxes(path: str, size: int) -> None:
    """Walk the top-level boxes of an mp4/mov: a box running past the end means truncation.

    Reads a few bytes per box, so even a 1 GB file costs a handful of seeks.
    """
    seen = set()
    with open(path, "rb") as fh:
        pos = 0
        while pos < size:
            fh.seek(pos)
            header = fh.read(16)
            if len(header) < 8:
                if header.strip(b"\x00"):
                    raise InspectError(TRUNCATED, "partial box header at end")
                break
            box_size = int.from_bytes(header[:4], "big")
            box_type = header[4:8]
            header_len = 8
            if box_size == 1:
                if len(header) < 16:
                    raise InspectError(TRUNCATED, "partial large box header")
                box_size = int.from_bytes(header[8:16], "big")
                header_len = 16
            elif box_size == 0:  # "extends to end of file"
                box_size = size - pos
            if box_type not in _ISO_BOXES:
                if not all(32 <= b < 127 for b in box_type):
                    raise InspectError(CORRUPT, f"garbage box at offset {pos}")
                if box_size < header_len:
                    raise InspectError(CORRUPT, f"bad box size at offset {pos}")
            if box_size < header_len:
                raise InspectError(CORRUPT, f"bad {box_type!r} size at offset {pos}")
            if pos + box_size > size:
                raise InspectError(
                    TRUNCATED, f"{box_type.decode('latin-1')} needs {pos + box_size} bytes"
                )
            seen.add(box_type)
            pos += box_size
    if b"moov" not in seen and b"moof" not in seen:
        # mdat without an index: the recorder or exporter stopped before finishing the file.
        raise InspectError(TRUNCATED, "no moov box")


def _ratio(value: Fraction | None) -> Fraction | None:
    if value is None or value.denominator == 0 or value <= 0:
        return None
    return value


def _tag_bitrate(stream) -> int | None:
    """Matroska muxers store per-stream bitrates as BPS tags instead of a header field."""
    for key, raw in (stream.metadata or {}).items():
        if key.upper().startswith("BPS"):
            try:
                return int(raw)
            except ValueError:
                return None
    return None


def _container_name(container, head: bytes) -> str:
    names = container.format.name.split(",")
    if names[0] == "mov":
        brand = head[8:12] if head[4:8] == b"ftyp" else b""
        return "mov" if brand == b"qt  " else "mp4"
    return {"matroska": "mkv", "asf": "wmv", "mpegts": "ts", "mpeg": "mpg"}.get(names[0], names[0])


def _first_frame(container, stream):
    """Decode the first picture: proves the data behind the headers is really video."""
    ctx = stream.codec_context
    ctx.thread_count = 1
    for count, packet in enumerate(container.demux(stream), start=1):
        for frame in packet.decode():
            return frame
        if count >= _MAX_PACKETS_FOR_FIRST_FRAME:
            break
    for frame in ctx.decode(None):
        return frame
    return None


def inspect_file(path: str, *, open_timeout: float = 10.0) -> dict:
    """Facts about ``path`` as a JSON-ready dict; raises InspectError with a failure code."""
    import av  # imported on use: the error codes above are needed by web workers, PyAV is not

    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise InspectError(MISSING) from None
    if size == 0:
        raise InspectError(EMPTY)
    with open(path, "rb") as fh:
        head = fh.read(512)
    family = _sniff(head)
    if family == "iso":
        _check_iso_boxes(path, size)

    try:
        container = av.open(path, timeout=(open_timeout, open_timeout))
    except av.error.ExitError:
        raise InspectError(TIMEOUT, "open interrupted") from None
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InspectError(CORRUPT if family else NOT_MEDIA, str(exc)) from None

    with container:
        format_name = container.format.name
        if family is None and any(part in format_name for part in _NOT_VIDEO_FORMATS):
            raise InspectError(NOT_MEDIA, f"format {format_name}")
        videos = [
            s
            for s in container.streams.video
            if not s.disposition & av.stream.Disposition.attached_pic
        ]
        audios = list(container.streams.audio)
        if not videos:
            if audios:
                raise InspectError(AUDIO_ONLY, f"format {format_name}")
            raise InspectError(NOT_MEDIA, f"format {format_name}, no audio or video")
        video = videos[0]
        audio = audios[0] if audios else None
        vctx = video.codec_context
        # PyAV leaves the context empty when this FFmpeg has no decoder for the stream.
        if vctx is None or vctx.codec is None or not vctx.is_decoder:
            raise InspectError(UNSUPPORTED_CODEC, "")
        # Canonical names ("mp3", not the decoder's "mp3float") are what rules compare.
        codec_name = vctx.codec.canonical_name
        if (family is None and vctx.width * vctx.height == 0) or not vctx.width:
            raise InspectError(NOT_MEDIA if family is None else CORRUPT, "no picture size")

        duration = 0.0
        if container.duration and container.duration > 0:
            duration = container.duration / av.time_base
        elif video.duration and video.time_base:
            duration = float(video.duration * video.time_base)

        rate = _ratio(video.average_rate) or _ratio(video.guessed_rate) or _ratio(video.base_rate)
        sar = _ratio(video.sample_aspect_ratio) or Fraction(1, 1)

        audio_bitrate = None
        if audio is not None:
            audio_bitrate = audio.bit_rate or _tag_bitrate(audio) or None
        overall = container.bit_rate or None
        if not overall and duration > 0:
            overall = int(size * 8 / duration)
        video_bitrate = video.bit_rate or _tag_bitrate(video) or None
        video_bitrate_estimated = False
        if not video_bitrate and overall:
            video_bitrate = max(overall - (audio_bitrate or 0), 0) or None
            video_bitrate_estimated = True

        try:
            frame = _first_frame(container, video)
        except av.error.ExitError:
            raise InspectError(TIMEOUT, "decode interrupted") from None
        except av.error.FFmpegError as exc:
            raise InspectError(CORRUPT, f"decode: {exc}") from None
        if frame is None:
            raise InspectError(CORRUPT, "no decodable picture")
        # PyAV reports the display matrix counterclockwise; players (and ffprobe's "rotate"
        # tag) speak clockwise, e.g. 90 for a phone held upright.
        rotation = (-int(frame.rotation or 0)) % 360

        actx = audio.codec_context if audio is not None else None
        if actx is not None and actx.codec is None:
            actx = None
        return {
            "container": _container_name(container, head),
            "format_name": format_name,
            "video_codec": codec_name,
            "video_codec_long": vctx.codec.long_name,
            "video_profile": video.profile or "",
            "pixel_format": vctx.pix_fmt or "",
            "coded_width": vctx.width,
            "coded_height": vctx.height,
            "sample_aspect_ratio": [sar.numerator, sar.denominator],
            "rotation": rotation,
            "interlaced": bool(frame.interlaced_frame),
            "frame_rate": [rate.numerator, rate.denominator] if rate else None,
            "video_bitrate": video_bitrate,
            "video_bitrate_estimated": video_bitrate_estimated,
            "audio_codec": actx.codec.canonical_name if actx is not None else None,
            "audio_codec_long": actx.codec.long_name if actx is not None else None,
            "audio_bitrate": audio_bitrate,
            "audio_sample_rate": actx.sample_rate if actx is not None else None,
            "audio_channels": actx.layout.nb_channels if actx is not None else None,
            "bitrate": overall,
            "duration_seconds": duration,
            "has_audio": audio is not None,
            "size_bytes": size,
        }


def _limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX: the parent's wall-clock timeout still applies
        return
    for limit, value in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds)):
        soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, hard))


def main(argv: list[str]) -> int:
    path, open_timeout, memory_mb, cpu_seconds = argv[1], float(argv[2]), int(argv[3]), int(argv[4])
    _limit_resources(memory_mb * 1024 * 1024, cpu_seconds)
    try:
        payload = {"ok": True, "result": inspect_file(path, open_timeout=open_timeout)}
    except InspectError as exc:
        payload = {"ok": False, "code": exc.code, "detail": exc.detail}
    except MemoryError:
        payload = {"ok": False, "code": CORRUPT, "detail": "out of memory"}
    sys.stdout.write(json.dumps(payload))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
