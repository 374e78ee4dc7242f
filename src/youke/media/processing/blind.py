"""The blind-review rendition: the playback MP4 without the opening title and without tags.

R3/R3a make every lesson open with a ~5 s title naming the teacher and the school, so a
blind round shows experts a copy that starts ``cut_seconds`` later. The copy is H.264/AAC,
faststart, at most ``max_height`` high, and carries no container or stream tags: the
muxer is told to write no encoder string and nothing from the source is copied, so title,
artist, comment and copyright tags of the original never reach it.

Its own job on purpose (the encoders and the decode loop come from ``_pipeline``): the
playback rendition and the HLS ladder evolve separately, and this copy must stay tag-free
whatever they do.
"""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction

import av

from youke.media.processing import _pipeline
from youke.media.processing.errors import CORRUPT, media_error


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
    encoder = _pipeline.h264_encoder()
    with _pipeline.open_input(path) as source, _pipeline.atomic_output(out_path) as tmp:
        job = _Cut(source, tmp, encoder, max_height, float(cut_seconds))
        _pipeline.run_job(job, what="blind rendition", time_limit=time_limit)
    return job.duration


class _Cut:
    def __init__(self, source, out_path, encoder: str, max_height: int, cut: float):
        self.source = source
        self.vin, self.ain = _pipeline.input_streams(source)
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
        self.aout = self.resampler = None
        self.held_audio = []
        if self.ain is not None:
            rate, layout = _pipeline.audio_format(self.ain)
            self.aout = _pipeline.add_aac_stream(self.out, rate, layout)
            self.a_shift = round(self.cut_at / self.ain.time_base)
            self.resampler = _pipeline.aac_resampler(rate, layout)

    @property
    def duration(self) -> float:
        if self.first_time is None:
            return 0.0
        return float(self.last_time - self.first_time)

    def _open_video(self, frame) -> None:
        rotation = _pipeline.clockwise_rotation(frame)
        size = _pipeline.output_size(self.vin, frame, rotation, max_height=self.max_height)
        gop = max(1, round(float(_pipeline.frame_rate(self.vin)) * 2))
        self.vout = _pipeline.add_h264_stream(self.out, self.vin, self.encoder, size, g=str(gop))
        # The encoder's own version string would otherwise be written as a tag, too.
        self.vout.codec_context.flags |= av.codec.context.Flags.bitexact
        self.graph = _pipeline.picture_graph(self.vin, rotation, size, "yuv420p", deinterlace=True)

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
        self.last_pts = _pipeline.encode_pictures(self.graph, self.vout, self.out, self.last_pts)

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
        for stream, frames in _pipeline.decoded_packets(self.source, streams):
            for frame in frames:
                if stream is self.vin:
                    self._video(frame)
                else:
                    self._audio(frame)
            yield 0.0

    def close(self) -> None:
        if self.vout is None:
            raise media_error(CORRUPT, "nothing left after the cut")
        self.graph.push(None)
        self.last_pts = _pipeline.encode_pictures(self.graph, self.vout, self.out, self.last_pts)
        self.out.mux(self.vout.encode(None))
        if self.aout is not None:
            self._audio(None)
            self.out.mux(self.aout.encode(None))
        self.out.close()

    def abort(self) -> None:
        with contextlib.suppress(av.error.FFmpegError):
            self.out.close()
