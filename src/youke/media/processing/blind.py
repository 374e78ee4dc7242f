"""The blind-review rendition: the playback MP4 without the opening title and without tags.

R3/R3a make every lesson open with a ~5 s title naming the teacher and the school, so a
blind round shows experts a copy that starts ``cut_seconds`` later. The copy is H.264/AAC,
faststart, at most ``max_height`` high, and carries no container or stream tags: the
muxer is told to write no encoder string and nothing from the source is copied, so title,
artist, comment and copyright tags of the original never reach it.

Self-contained on purpose (only ``_pipeline`` helpers are shared): the playback rendition
and the HLS ladder evolve separately, and this copy must stay tag-free whatever they do.
"""

from __future__ import annotations

import contextlib
import os
import time
from fractions import Fraction

import av

from youke.media.processing import _pipeline
from youke.media.processing.codecs import video_encoder
from youke.media.processing.errors import CORRUPT, NO_ENCODER, TIMEOUT, media_error

CRF = 23
PRESET = "veryfast"
AUDIO_BITRATE = 128_000
MAX_BITS_PER_PIXEL_SECOND = 2.7
_MAX_DECODE_ERRORS = 50


def make_blind_rendition(
    path: str | os.PathLike,
    out_path: str | os.PathLike,
    *,
    cut_seconds: float,
    max_height: int = 720,
    time_limit: float | None = None,
) -> float:
    """Write the copy of ``path`` that starts ``cut_seconds`` in; return its duration (s).

    A cut at or beyond the video's end is refused (MediaError "corrupt": nothing left to
    show) rather than producing an empty file.
    """
    encoder = video_encoder("h264")
    if encoder is None:
        raise media_error(NO_ENCODER, "no H.264 encoder in this PyAV build")
    deadline = time.monotonic() + time_limit if time_limit else None
    with _pipeline.open_input(path) as source, _pipeline.atomic_output(out_path) as tmp:
        job = _Cut(source, tmp, encoder, max_height, float(cut_seconds))
        try:
            for _done in job.run():
                if deadline and time.monotonic() > deadline:
                    raise media_error(TIMEOUT, f"blind rendition exceeded {time_limit:g} s")
            job.close()
        except BaseException:
            job.abort()
            raise
    return job.duration


class _Cut:
    def __init__(self, source, out_path, encoder: str, max_height: int, cut: float):
        self.source = source
        self.vin = _pipeline.video_stream(source)
        self.vin.thread_type = "AUTO"
        audios = list(source.streams.audio)
        self.ain = audios[0] if audios and audios[0].codec_context is not None else None
        start = self.vin.start_time * self.vin.time_base if self.vin.start_time else 0
        # Everything before this moment (in seconds on the source clock) is dropped, and
        # everything after it is shifted so that the copy starts at 0.
        self.cut_at = Fraction(start) + Fraction(cut).limit_denominator(1000)
        self.encoder = encoder
        self.max_height = max_height
        # "bitexact" keeps libavformat from writing its own encoder tag into the file.
        self.out = av.open(
            str(out_path),
            "w",
            format="mp4",
            options={"movflags": "+faststart", "fflags": "+bitexact"},
        )
        self.vout = self.graph = None
        self.v_shift = round(self.cut_at / self.vin.time_base)
        self.last_pts = None
        self.first_time = self.last_time = None
        self.errors = 0
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
            self.a_shift = round(self.cut_at / self.ain.time_base)
            self.resampler = av.AudioResampler(
                format="fltp",
                layout=self.aout.codec_context.layout.name,
                rate=rate,
                frame_size=1024,
            )

    @property
    def duration(self) -> float:
        if self.first_time is None:
            return 0.0
        return float(self.last_time - self.first_time)

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
                "g": str(max(1, round(float(rate) * 2))),
            }
        self.vout = self.out.add_stream(self.encoder, rate=rate, options=options)
        self.vout.width, self.vout.height, self.vout.pix_fmt = width, height, "yuv420p"
        self.vout.codec_context.time_base = self.vin.time_base
        self.vout.time_base = self.vin.time_base
        self.vout.codec_context.thread_type = "FRAME"
        # The encoder's own version string would otherwise be written as a tag, too.
        self.vout.codec_context.flags |= av.codec.context.Flags.bitexact
        self.graph = _pipeline.picture_graph(
            self.vin, rotation, (width, height), "yuv420p", deinterlace=True
        )

    def _video(self, frame) -> None:
        if frame.pts is None or frame.pts < self.v_shift:
            return  # the opening title
        if self.vout is None:
            self._open_video(frame)
            held, self.held_audio = self.held_audio, []
            for audio_frame in held:
                self._audio(audio_frame)
        moment = frame.pts * self.vin.time_base
        self.first_time = moment if self.first_time is None else self.first_time
        frame_length = 1 / (self.vin.average_rate or 25)
        self.last_time = max(self.last_time or moment, moment + frame_length)
        frame.pts -= self.v_shift
        self.graph.push(frame)
        self._drain()

    def _drain(self) -> None:
        for picture in _pipeline.drain(self.graph):
            if picture.pts is None or (self.last_pts is not None and picture.pts <= self.last_pts):
                continue
            self.last_pts = picture.pts
            self.out.mux(self.vout.encode(picture))

    def _audio(self, frame) -> None:
        if frame is not None:
            if frame.pts is None or frame.pts < self.a_shift:
                return
            if self.vout is None:
                # The header is written at the first mux; the video stream comes first.
                self.held_audio.append(frame)
                return
            frame.pts -= self.a_shift
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
                    self._video(frame)
                else:
                    self._audio(frame)
            yield

    def close(self) -> None:
        if self.vout is None:
            raise media_error(CORRUPT, "nothing left after the cut")
        self.graph.push(None)
        self._drain()
        self.out.mux(self.vout.encode(None))
        if self.aout is not None:
            self._audio(None)
            self.out.mux(self.aout.encode(None))
        self.out.close()

    def abort(self) -> None:
        with contextlib.suppress(av.error.FFmpegError):
            self.out.close()
