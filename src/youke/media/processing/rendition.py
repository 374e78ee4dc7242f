"""The web playback rendition: H.264/AAC in MP4 with the index up front (faststart).

Every browser plays H.264 + AAC in MP4, and faststart lets playback begin before the whole
file has arrived. PyAV's wheels ship libx264 (checked with av 18.1); a build without any
H.264 encoder raises MediaError("no_encoder") rather than producing a file browsers may not
play.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import av

from youke.media.processing import _pipeline
from youke.media.processing.codecs import video_encoder
from youke.media.processing.errors import CORRUPT, NO_ENCODER, TIMEOUT, media_error

ProgressCallback = Callable[[float, float], None]

# CRF 23 is x264's "visually fine" default; the cap keeps a noisy classroom recording from
# ballooning (about 2.5 Mbit/s at 720p, scaled by picture area).
CRF = 23
MAX_BITS_PER_PIXEL_SECOND = 2.7
PRESET = "veryfast"
AUDIO_BITRATE = 128_000
# Bad packets tolerated (dropped) before the file counts as corrupt.
_MAX_DECODE_ERRORS = 50
_PROGRESS_INTERVAL = 0.5  # seconds of wall time between callbacks


def make_rendition(
    path: str | os.PathLike,
    out_path: str | os.PathLike,
    *,
    max_height: int = 720,
    progress: ProgressCallback | None = None,
    time_limit: float | None = None,
    threads: int = 0,
) -> float:
    """Transcode ``path`` to a playback MP4 at most ``max_height`` high (never enlarged).

    Calls ``progress(done_seconds, total_seconds)`` about twice a second; raises
    MediaError("timeout") once ``time_limit`` seconds of wall time have passed. Returns the
    speed: seconds of video per second of wall time. ``threads=0`` lets x264 use all cores.
    """
    encoder = video_encoder("h264")
    if encoder is None:
        raise media_error(NO_ENCODER, "no H.264 encoder in this PyAV build")
    started = time.monotonic()
    deadline = started + time_limit if time_limit else None
    with _pipeline.open_input(path) as source, _pipeline.atomic_output(out_path) as tmp:
        job = _Transcode(source, tmp, encoder, max_height, threads)
        total = job.total
        last_report = 0.0
        try:
            for done in job.run():
                now = time.monotonic()
                if deadline and now > deadline:
                    raise media_error(TIMEOUT, f"rendition exceeded {time_limit:g} s")
                if progress and now - last_report >= _PROGRESS_INTERVAL:
                    progress(min(done, total), total)
                    last_report = now
            job.close()
        except BaseException:
            job.abort()
            raise
    elapsed = max(time.monotonic() - started, 1e-6)
    if progress:
        progress(job.done, total)
    return job.done / elapsed


class _Transcode:
    def __init__(self, source, out_path: Path, encoder: str, max_height: int, threads: int):
        self.source = source
        self.vin = _pipeline.video_stream(source)
        self.vin.thread_type = "AUTO"
        audios = list(source.streams.audio)
        self.ain = audios[0] if audios and audios[0].codec_context is not None else None
        self.total = _pipeline.duration_of(source, self.vin)
        self.start = _start_seconds(self.vin)
        self.done = 0.0
        self.errors = 0
        self.out = av.open(str(out_path), "w", format="mp4", options={"movflags": "+faststart"})
        self.encoder = encoder
        self.max_height = max_height
        self.threads = threads
        self.vout = None  # created from the first decoded frame (rotation, real size)
        self.graph = None
        self.last_pts = None
        self.aout = self.resampler = None
        self.held_audio = []
        if self.ain is not None:
            rate = self.ain.codec_context.sample_rate
            rate = rate if rate in (44_100, 48_000) else 48_000
            channels = self.ain.codec_context.layout.nb_channels
            self.aout = self.out.add_stream(
                "aac", rate=rate, layout="mono" if channels == 1 else "stereo"
            )
            self.aout.bit_rate = AUDIO_BITRATE
            self.resampler = av.AudioResampler(
                format="fltp",
                layout=self.aout.codec_context.layout.name,
                rate=rate,
                frame_size=1024,
            )

    def _open_video(self, frame) -> None:
        rotation = _pipeline.clockwise_rotation(frame)
        width, height = _pipeline.output_size(self.vin, frame, rotation, max_height=self.max_height)
        rate = self.vin.average_rate or self.vin.guessed_rate or 25
        options = {}
        if self.encoder == "libx264":
            maxrate = int(width * height * MAX_BITS_PER_PIXEL_SECOND)
            options = {
                "preset": PRESET,
                "crf": str(CRF),
                "maxrate": str(maxrate),
                "bufsize": str(maxrate * 2),
                "profile": "high",
                # A keyframe every ~2 s keeps seeking in the player snappy.
                "g": str(max(1, round(float(rate) * 2))),
            }
        self.vout = self.out.add_stream(self.encoder, rate=rate, options=options)
        self.vout.width, self.vout.height, self.vout.pix_fmt = width, height, "yuv420p"
        # Keep the source clock: re-timing a variable-rate phone video to 1/fps collides.
        self.vout.codec_context.time_base = self.vin.time_base
        self.vout.time_base = self.vin.time_base
        # x264's own frame threading: PyAV's default (slice threads) is ~15 % less efficient.
        self.vout.codec_context.thread_type = "FRAME"
        if self.threads:
            self.vout.codec_context.thread_count = self.threads
        self.graph = _pipeline.picture_graph(
            self.vin, rotation, (width, height), "yuv420p", deinterlace=True
        )

    def _encode_video(self, frame) -> None:
        if self.vout is None:
            self._open_video(frame)
            held, self.held_audio = self.held_audio, []
            for audio_frame in held:
                self._encode_audio(audio_frame)
        self.graph.push(frame)
        for picture in _pipeline.drain(self.graph):
            if picture.pts is None or (self.last_pts is not None and picture.pts <= self.last_pts):
                continue  # broken timestamps: drop rather than abort the encoder
            self.last_pts = picture.pts
            self.out.mux(self.vout.encode(_pipeline.unforced(picture)))

    def _encode_audio(self, frame) -> None:
        if self.vout is None:
            # The header is written at the first mux, and the video stream can only be added
            # once its first frame shows the rotation: hold early audio back until then.
            self.held_audio.append(frame)
            return
        for chunk in self.resampler.resample(frame):
            self.out.mux(self.aout.encode(chunk))

    def run(self):
        streams = [self.vin] + ([self.ain] if self.ain is not None else [])
        for packet in self.source.demux(*streams):
            try:
                frames = packet.decode()
            except av.error.ExitError as exc:
                raise _pipeline.decode_error(exc) from None
            except av.error.FFmpegError:
                self.errors += 1
                if self.errors > _MAX_DECODE_ERRORS:
                    raise media_error(CORRUPT, "too many undecodable packets") from None
                continue
            for frame in frames:
                if packet.stream is self.vin:
                    self._encode_video(frame)
                    if frame.time is not None:
                        self.done = max(self.done, frame.time - self.start)
                else:
                    self._encode_audio(frame)
            yield self.done

    def close(self) -> None:
        if self.vout is None:
            raise media_error(CORRUPT, "no picture decoded")
        # demux() ends each stream with an empty packet, so the decoders are already flushed.
        self.graph.push(None)
        for picture in _pipeline.drain(self.graph):
            if self.last_pts is None or (picture.pts is not None and picture.pts > self.last_pts):
                self.last_pts = picture.pts
                self.out.mux(self.vout.encode(_pipeline.unforced(picture)))
        self.out.mux(self.vout.encode(None))
        if self.aout is not None:
            self._encode_audio(None)
            self.out.mux(self.aout.encode(None))
        self.out.close()

    def abort(self) -> None:
        # The partial file itself is deleted by atomic_output.
        with contextlib.suppress(av.error.FFmpegError):
            self.out.close()


def _start_seconds(stream) -> float:
    if stream.start_time is not None and stream.time_base:
        return float(stream.start_time * stream.time_base)
    return 0.0
