"""Which encoders the PyAV wheel ships, and the names teachers know codecs and formats by."""

from __future__ import annotations

from functools import cache

import av

# Preferred first. PyAV's manylinux wheels (checked with av 18.1) ship libx264; the others
# are fallbacks for builds without GPL codecs.
H264_ENCODERS = ("libx264", "libopenh264", "h264")

CODEC_LABELS = {
    "h264": "H.264（AVC）",
    "hevc": "H.265（HEVC）",
    "mpeg4": "MPEG-4 Part 2",
    "mpeg2video": "MPEG-2",
    "mpeg1video": "MPEG-1",
    "vp8": "VP8",
    "vp9": "VP9",
    "av1": "AV1",
    "wmv1": "WMV7",
    "wmv2": "WMV8",
    "wmv3": "WMV9",
    "vc1": "VC-1",
    "mjpeg": "Motion JPEG",
    "prores": "Apple ProRes",
    "flv1": "Sorenson H.263（FLV）",
    "h263": "H.263",
    "rawvideo": "未压缩视频",
    "aac": "AAC",
    "mp3": "MP3",
    "mp2": "MP2",
    "ac3": "AC-3（杜比数字）",
    "eac3": "E-AC-3",
    "opus": "Opus",
    "vorbis": "Vorbis",
    "flac": "FLAC",
    "wmav2": "WMA",
    "amr_nb": "AMR",
}

CONTAINER_LABELS = {
    "mp4": "MP4",
    "mov": "MOV（QuickTime）",
    "mkv": "MKV",
    "webm": "WebM",
    "avi": "AVI",
    "flv": "FLV",
    "ts": "MPEG-TS（.ts）",
    "mpg": "MPEG-PS（.mpg）",
    "wmv": "WMV/ASF",
    "3gp": "3GP",
}

# Our short container names → FFmpeg muxer names.
MUXERS = {
    "mp4": "mp4",
    "mov": "mov",
    "mkv": "matroska",
    "webm": "webm",
    "avi": "avi",
    "flv": "flv",
    "ts": "mpegts",
    "m4a": "ipod",
}

AUDIO_ENCODERS = {"mp3": "libmp3lame", "opus": "libopus", "vorbis": "libvorbis"}


def codec_label(name: str | None) -> str:
    if not name:
        return "—"
    if name.startswith("pcm_"):
        return "PCM（未压缩）"
    return CODEC_LABELS.get(name, name.upper())


def container_label(name: str) -> str:
    return CONTAINER_LABELS.get(name, name.upper())


@cache
def can_encode(name: str) -> bool:
    try:
        av.Codec(name, "w")
    except (av.error.FFmpegError, ValueError):
        return False
    return True


@cache
def video_encoder(codec: str) -> str | None:
    """The encoder to use for ``codec`` ("h264", "hevc", "mpeg4" …), or None if absent."""
    candidates = H264_ENCODERS if codec == "h264" else (codec,)
    for name in candidates:
        if can_encode(name):
            return name
    return None


def audio_encoder(codec: str) -> str | None:
    name = AUDIO_ENCODERS.get(codec, codec)
    return name if can_encode(name) else None
