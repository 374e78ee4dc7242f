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
from youke.media.processing.errors import CORRUPT, media_error

ProgressCallback = Callable[[float, float], None]


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
    encoder = _pipeline.h264_encoder()
    started = time.monotonic()
    with _pipeline.open_input(path) as source, _pipeline.atomic_output(out_path) as tmp:
        job = _Transcode(source, tmp, encoder, max_height, threads)
        _pipeline.run_job(
            job, what="rendition", time_limit=time_limit, progress=progress, total=job.total
        )
    elapsed = max(time.monotonic() - started, 1e-6)
    if progress:
        progress(job.done, job.total)
    return job.done / elapsed


class _Transcode:
    def __init__(self, source, out_path: Path, encoder: str, max_height: int, threads: int):
        self.source = source
        self.vin, self.ain = _pipeline.input_streams(source)
        self.total = _pipeline.duration_of(source, self.vin)
        self.start = _pipeline.start_seconds(self.vin)
        self.done = 0.0
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
            rate, layout = _pipeline.audio_format(self.ain)
            self.aout = _pipeline.add_aac_stream(self.out, rate, layout)
            self.resampler = _pipeline.aac_resampler(rate, layout)

    def _open_video(self, frame) -> None:
        rotation = _pipeline.clockwise_rotation(frame)
        size = _pipeline.output_size(self.vin, frame, rotation, max_height=self.max_height)
        # A keyframe every ~2 s keeps seeking in the player snappy.
        gop = max(1, round(float(_pipeline.frame_rate(self.vin)) * 2))
        self.vout = _pipeline.add_h264_stream(self.out, self.vin, self.encoder, size, g=str(gop))
        if self.threads:
            self.vout.codec_context.thread_count = self.threads
        self.graph = _pipeline.picture_graph(self.vin, rotation, size, "yuv420p", deinterlace=True)

    def _encode_video(self, frame) -> None:
        if self.vout is None:
            self._open_video(frame)
            held, self.held_audio = self.held_audio, []
            for audio_frame in held:
                self._encode_audio(audio_frame)
        self.graph.push(frame)
        self.last_pts = _pipeline.encode_pictures(self.graph, self.vout, self.out, self.last_pts)

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
        for stream, frames in _pipeline.decoded_packets(self.source, streams):
            for frame in frames:
                if stream is self.vin:
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
        self.last_pts = _pipeline.encode_pictures(self.graph, self.vout, self.out, self.last_pts)
        self.out.mux(self.vout.encode(None))
        if self.aout is not None:
            self._encode_audio(None)
            self.out.mux(self.aout.encode(None))
        self.out.close()

    def abort(self) -> None:
        # The partial file itself is deleted by atomic_output.
        with contextlib.suppress(av.error.FFmpegError):
            self.out.close()
