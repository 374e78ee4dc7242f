"""The HLS ladder: 360p / 720p / 1080p H.264 + AAC in MPEG-TS segments of about 4 s.

One decode of the source feeds every missing rung (each with its own scaler and x264
encoder), so a three-rung ladder costs one decode plus the encodes. The 720p rung can instead
be cut from the progressive rendition by a stream copy (``reuse``), because that rendition is
already H.264/AAC at 720p with a keyframe every 2 s: then only the other rungs are encoded.

Layout of ``out_dir`` (uploaded to storage under one prefix by the caller)::

    master.m3u8
    360/index.m3u8  360/seg_00000.ts …  360/info.json
    720/…

``info.json`` (size and peak bit rate) is written last: its presence marks a finished rung,
which is how a rerun computes only what is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import av
from av.bitstream import BitStreamFilterContext

from youke.media.processing import _pipeline
from youke.media.processing.errors import CORRUPT, media_error

LADDER = (360, 720, 1080)
SEGMENT_SECONDS = 4
GOP_SECONDS = 2  # two keyframes per segment: segments cut exactly at 4 s
MASTER = "master.m3u8"
VARIANT = "index.m3u8"
INFO = "info.json"

ProgressCallback = Callable[[float, float], None]


@dataclass(frozen=True)
class Rung:
    height: int
    width: int
    bandwidth: int  # peak bit/s over a segment, what the master playlist announces
    has_audio: bool

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, text: str) -> Rung:
        return cls(**json.loads(text))


def ladder_heights(source_height: int | None) -> list[int]:
    """The rungs not above the source; a source smaller than the lowest rung gets one rung
    at its own height (never enlarged)."""
    if not source_height:
        return []
    heights = [h for h in LADDER if h <= source_height]
    return heights or [_pipeline.even(source_height)]


def encode_rungs(
    path: str | os.PathLike,
    out_dir: str | os.PathLike,
    heights: Iterable[int],
    *,
    progress: ProgressCallback | None = None,
    time_limit: float | None = None,
    preset: str = _pipeline.PRESET,
) -> list[Rung]:
    """Encode the given rungs from ``path`` in one decode pass into ``out_dir/<height>/``.

    ``preset`` is x264's speed/size trade-off: ``veryfast`` for uploads, ``ultrafast`` for
    the demo's throwaway clips."""
    heights = sorted(set(heights))
    if not heights:
        return []
    encoder = _pipeline.h264_encoder()
    out_dir = Path(out_dir)
    with _pipeline.open_input(path) as source:
        job = _Ladder(source, out_dir, encoder, heights, preset)
        try:
            _pipeline.run_job(
                job, what="HLS ladder", time_limit=time_limit, progress=progress, total=job.total
            )
        except BaseException:
            for height in heights:
                shutil.rmtree(out_dir / str(height), ignore_errors=True)
            raise
    return [finish_rung(out_dir / str(h), h) for h in heights]


# A source may serve as its own rung (stream copy) only when every player can take it as is.
COPY_MAX_GOP_SECONDS = 6.0
COPY_MAX_BITRATE = 12_000_000


def copyable_as_rung(path: str | os.PathLike, height: int) -> bool:
    """Whether the upload itself can be the ``height`` rung by stream copy, saving that
    encode: H.264 4:2:0 at exactly that height, square pixels, upright, AAC (or silent),
    at most 12 Mbit/s, and a keyframe at least every 6 s (so segments stay short). This is
    what a lesson exported per the micro-lesson spec (1080p H.264, ~8 Mbit/s) looks like."""
    with _pipeline.open_input(path) as container:
        video = _pipeline.video_stream(container)
        context = video.codec_context
        audio = list(container.streams.audio)
        if (
            context.name != "h264"
            or context.pix_fmt not in ("yuv420p", "yuvj420p")
            or context.height != height
            or (video.sample_aspect_ratio not in (None, 0) and video.sample_aspect_ratio != 1)
            or (audio and audio[0].codec_context.name != "aac")
            or (container.bit_rate or 0) > COPY_MAX_BITRATE
            or not video.time_base
        ):
            return False
        last_key = None
        for packet in container.demux(video):
            if packet.pts is None:
                continue
            at = float(packet.pts * video.time_base)
            if packet.is_keyframe:
                if last_key is None:
                    for frame in packet.decode():
                        if _pipeline.clockwise_rotation(frame):
                            return False
                        break
                last_key = at
            elif last_key is None or at - last_key > COPY_MAX_GOP_SECONDS:
                return False
    return last_key is not None


def remux_rung(rendition: str | os.PathLike, out_dir: str | os.PathLike, height: int) -> Rung:
    """Cut an existing H.264/AAC MP4 (the progressive rendition) into a rung, no re-encode."""
    folder = Path(out_dir) / str(height)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with _pipeline.open_input(rendition) as source:
            out = _open_muxer(folder)
            video = source.streams.video[0]
            pairs = {}
            for stream in [video, *source.streams.audio[:1]]:
                pairs[stream.index] = out.add_stream_from_template(stream)
            # MP4 keeps SPS/PPS in the header only; every segment must carry them at its
            # keyframe, or a player that starts (or seeks) mid-lesson cannot decode it.
            headers = BitStreamFilterContext(
                "h264_mp4toannexb,dump_extra=freq=keyframe", video, pairs[video.index]
            )
            for packet in source.demux(*[s for s in source.streams if s.index in pairs]):
                if packet.dts is None:
                    continue  # the empty packet that ends each stream
                if packet.stream is video:
                    for filtered in headers.filter(packet):
                        filtered.stream = pairs[video.index]
                        out.mux(filtered)
                else:
                    packet.stream = pairs[packet.stream_index]
                    out.mux(packet)
            for filtered in headers.filter(None):
                filtered.stream = pairs[video.index]
                out.mux(filtered)
            out.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return finish_rung(folder, height)


def finish_rung(folder: Path, height: int) -> Rung:
    """Measure a written rung and mark it finished with ``info.json``."""
    with _pipeline.open_input(folder / VARIANT) as container:
        video = container.streams.video[0]
        width, real_height = video.codec_context.width, video.codec_context.height
        has_audio = bool(container.streams.audio)
    peak = 0
    for seconds, name in parse_variant((folder / VARIANT).read_text()):
        size = (folder / name).stat().st_size
        peak = max(peak, int(size * 8 / max(seconds, 0.5)))
    rung = Rung(height=height, width=width, bandwidth=peak, has_audio=has_audio)
    if real_height != height:
        rung = Rung(height=real_height, width=width, bandwidth=peak, has_audio=has_audio)
    (folder / INFO).write_text(rung.to_json())
    return rung


def parse_variant(text: str) -> list[tuple[float, str]]:
    """(duration, segment name) per segment of a media playlist."""
    segments = []
    duration = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append((duration, line))
            duration = None
    return segments


def master_playlist(rungs: Iterable[tuple[str, Rung]]) -> str:
    """The master playlist naming each variant by its path relative to the master."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for uri, rung in sorted(rungs, key=lambda pair: pair[1].height):
        codecs = "avc1.640028,mp4a.40.2" if rung.has_audio else "avc1.640028"
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={max(rung.bandwidth, 1)},"
            f'RESOLUTION={rung.width}x{rung.height},CODECS="{codecs}"'
        )
        lines.append(uri)
    return "\n".join(lines) + "\n"


def _open_muxer(folder: Path):
    return av.open(
        str(folder / VARIANT),
        "w",
        format="hls",
        options={
            "hls_time": str(SEGMENT_SECONDS),
            "hls_playlist_type": "vod",
            "hls_list_size": "0",
            "hls_segment_filename": str(folder / "seg_%05d.ts"),
            "hls_flags": "independent_segments",
        },
    )


class _Output:
    """One rung: scaler, x264 encoder, AAC encoder and the HLS muxer."""

    def __init__(self, ladder: _Ladder, height: int):
        self.ladder = ladder
        self.height = height
        self.folder = ladder.out_dir / str(height)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.out = _open_muxer(self.folder)
        self.vout = self.graph = self.aout = None
        self.last_pts = None
        if ladder.ain is not None:
            self.aout = _pipeline.add_aac_stream(self.out, ladder.audio_rate, ladder.layout)

    def open_video(self, frame, rotation: int) -> None:
        vin = self.ladder.vin
        size = _pipeline.output_size(vin, frame, rotation, max_height=self.height)
        gop = max(1, round(float(_pipeline.frame_rate(vin)) * GOP_SECONDS))
        x264 = {
            "level": "4.0",
            # Fixed GOP without scene-cut keyframes: every segment starts on one.
            "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0",
        }
        self.vout = _pipeline.add_h264_stream(
            self.out, vin, self.ladder.encoder, size, preset=self.ladder.preset, **x264
        )
        self.graph = _pipeline.picture_graph(vin, rotation, size, "yuv420p", deinterlace=True)

    def video(self, frame) -> None:
        self.graph.push(frame)
        self.last_pts = _pipeline.encode_pictures(self.graph, self.vout, self.out, self.last_pts)

    def audio(self, chunk) -> None:
        self.out.mux(self.aout.encode(chunk))

    def close(self) -> None:
        self.video(None)
        self.out.mux(self.vout.encode(None))
        if self.aout is not None:
            self.out.mux(self.aout.encode(None))
        self.out.close()

    def abort(self) -> None:
        with contextlib.suppress(av.error.FFmpegError):
            self.out.close()


class _Ladder:
    def __init__(self, source, out_dir: Path, encoder: str, heights: list[int], preset: str):
        self.source = source
        self.preset = preset
        self.out_dir = out_dir
        self.encoder = encoder
        self.vin, self.ain = _pipeline.input_streams(source)
        self.total = _pipeline.duration_of(source, self.vin)
        self.start = _pipeline.start_seconds(self.vin)
        self.done = 0.0
        self.resampler = None
        if self.ain is not None:
            self.audio_rate, self.layout = _pipeline.audio_format(self.ain)
            self.resampler = _pipeline.aac_resampler(self.audio_rate, self.layout)
        self.outputs = [_Output(self, h) for h in heights]
        self.opened = False
        self.held_audio: list = []

    def _video(self, frame) -> None:
        if not self.opened:
            rotation = _pipeline.clockwise_rotation(frame)
            for output in self.outputs:
                output.open_video(frame, rotation)
            self.opened = True
            held, self.held_audio = self.held_audio, []
            for audio_frame in held:
                self._audio(audio_frame)
        for output in self.outputs:
            output.video(frame)

    def _audio(self, frame) -> None:
        if not self.opened:
            # The muxers write their headers at the first packet; the video streams exist
            # only after the first picture, so early audio waits.
            self.held_audio.append(frame)
            return
        for chunk in self.resampler.resample(frame):
            for output in self.outputs:
                output.audio(chunk)

    def run(self):
        streams = [self.vin] + ([self.ain] if self.ain is not None else [])
        for stream, frames in _pipeline.decoded_packets(self.source, streams):
            for frame in frames:
                if stream is self.vin:
                    self._video(frame)
                    if frame.time is not None:
                        self.done = max(self.done, frame.time - self.start)
                else:
                    self._audio(frame)
            yield self.done

    def close(self) -> None:
        if not self.opened:
            raise media_error(CORRUPT, "no picture decoded")
        if self.resampler is not None:
            for chunk in self.resampler.resample(None):
                for output in self.outputs:
                    output.audio(chunk)
        for output in self.outputs:
            output.close()

    def abort(self) -> None:
        for output in self.outputs:
            output.abort()
