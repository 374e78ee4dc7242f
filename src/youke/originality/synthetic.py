"""Generated lesson-like videos and the transformations people apply to copies.

Used by the tests, the demo and the bench: a "lesson" is a run of slides (shapes and
text-like stripes, a few seconds each) with a moving pointer, optionally after a shared
opening-title template or in front of a shared classroom background.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import av
import numpy as np

Frame = np.ndarray  # H × W × 3 uint8


@dataclass
class Lesson:
    seed: int
    seconds: float = 60.0
    width: int = 160
    height: int = 120
    fps: int = 5
    title_seconds: float = 0.0  # opening-title template shared by a campaign
    title_seed: int = 7
    classroom_seed: int | None = None  # a shared camera setup: same background
    static_from: float | None = None  # from here on: a plain slide with almost no detail
    slide_seconds: tuple[float, float] = (3.0, 7.0)
    _slides: list = field(default_factory=list, repr=False)

    def _slide_images(self) -> list[tuple[float, Frame]]:
        if self._slides:
            return self._slides
        rng = np.random.default_rng(self.seed)
        at = self.title_seconds
        while at < self.seconds:
            self._slides.append((at, _slide(rng, self.width, self.height, self.classroom_seed)))
            at += rng.uniform(*self.slide_seconds)
        return self._slides

    def frame_at(self, t: float) -> Frame:
        if t < self.title_seconds:
            rng = np.random.default_rng(self.title_seed)
            return _slide(rng, self.width, self.height, None)
        if self.static_from is not None and t >= self.static_from:
            return np.full((self.height, self.width, 3), 236, dtype=np.uint8)
        image = self._slide_images()[0][1]
        for start, slide in self._slide_images():
            if start > t:
                break
            image = slide
        image = image.copy()
        # A pointer that moves: consecutive samples of one slide differ a little, as in a lesson.
        x = int((0.5 + 0.4 * np.sin(t * 0.7 + self.seed)) * (self.width - 12))
        y = int((0.5 + 0.4 * np.cos(t * 0.5 + self.seed)) * (self.height - 12))
        image[y : y + 10, x : x + 10] = (250, 40, 40)
        return image


def _slide(rng: np.random.Generator, width: int, height: int, classroom: int | None) -> Frame:
    if classroom is not None:
        # The same room: one background, the board content varies a little.
        room = np.random.default_rng(classroom)
        image = _shapes(room, width, height, 6)
        board = _shapes(rng, width // 3, height // 4, 2)
        image[4 : 4 + height // 4, width // 3 : width // 3 + width // 3] = board
        return image
    return _shapes(rng, width, height, 5)


def _shapes(rng: np.random.Generator, width: int, height: int, count: int) -> Frame:
    base = rng.integers(30, 220, size=3)
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:] = base
    yy, xx = np.mgrid[0:height, 0:width]
    for _ in range(count):
        colour = rng.integers(0, 256, size=3)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.1, 0.35) * min(width, height)
        if rng.random() < 0.5:
            mask = (xx - cx) ** 2 + (yy - cy) ** 2 < r * r
        else:
            mask = (abs(xx - cx) < r * 1.3) & (abs(yy - cy) < r * 0.7)
        image[mask] = colour
    # text-like stripes
    for row in range(int(rng.integers(2, 6))):
        y = int(height * (0.55 + 0.08 * row))
        if y + 2 < height:
            x0 = int(rng.uniform(0.05, 0.2) * width)
            x1 = int(rng.uniform(0.5, 0.95) * width)
            image[y : y + 2, x0:x1] = rng.integers(0, 60)
    return image


def write_lesson(path: str, lesson: Lesson, **encode) -> None:
    times = (i / lesson.fps for i in range(int(lesson.seconds * lesson.fps)))
    write_frames(path, ((t, lesson.frame_at(t)) for t in times), fps=lesson.fps, **encode)


def write_frames(
    path: str,
    frames: Iterator[tuple[float, Frame]],
    *,
    fps: int = 5,
    codec: str = "libx264",
    bit_rate: int | None = None,
    size: tuple[int, int] | None = None,
) -> None:
    """Encode (time, RGB frame) pairs; ``size`` rescales every frame (even dimensions)."""
    with av.open(path, "w") as out:
        stream = out.add_stream(codec, rate=fps)
        stream.pix_fmt = "yuv420p"
        if bit_rate:
            stream.bit_rate = bit_rate
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "crf": "30"}
        first = True
        for index, (_t, image) in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="rgb24")
            if size:
                frame = frame.reformat(width=size[0], height=size[1])
            if first:
                stream.width, stream.height = frame.width, frame.height
                first = False
            frame.pts = index
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def read_frames(path: str) -> Iterator[tuple[float, Frame]]:
    with av.open(path) as container:
        for frame in container.decode(video=0):
            yield frame.time, frame.to_ndarray(format="rgb24")


# Transformations: each maps (time, frame) pairs of a decoded source to those of a copy.
Transform = Callable[[Iterator[tuple[float, Frame]]], Iterator[tuple[float, Frame]]]


def crop(share: float) -> Transform:
    def apply(frames):
        for t, image in frames:
            h, w = image.shape[:2]
            dy, dx = int(h * share / 2), int(w * share / 2)
            yield t, image[dy : h - dy, dx : w - dx]

    return apply


def letterbox(share: float) -> Transform:
    def apply(frames):
        for t, image in frames:
            h, w = image.shape[:2]
            bar = max(2, int(h * share / 2)) // 2 * 2
            out = np.zeros((h + 2 * bar, w, 3), dtype=np.uint8)
            out[bar : bar + h] = image
            yield t, out

    return apply


def trim(seconds: float) -> Transform:
    return lambda frames: ((t, f) for t, f in frames if t >= seconds)


def cut(start: float, end: float) -> Transform:
    return lambda frames: ((t, f) for t, f in frames if not start <= t < end)


def speed(factor: float, fps: int = 5) -> Transform:
    """Play ``factor`` times faster: output frame k shows source time k·factor/fps."""

    def apply(frames):
        source = list(frames)
        if not source:
            return
        end = source[-1][0]
        k = 0
        i = 0
        while k * factor / fps <= end:
            at = k * factor / fps
            while i + 1 < len(source) and source[i + 1][0] <= at + 1e-9:
                i += 1
            yield at, source[i][1]
            k += 1

    return apply


def transform_file(source: str, target: str, *steps: Transform, fps: int = 5, **encode) -> None:
    frames: Iterator[tuple[float, Frame]] = read_frames(source)
    for step in steps:
        frames = step(frames)
    write_frames(target, frames, fps=fps, **encode)


def concat_files(target: str, parts: list[tuple[str, float, float]], fps: int = 5) -> None:
    """Join [start, end) seconds of several files into one copy."""

    def frames():
        for path, start, end in parts:
            for t, image in read_frames(path):
                if start <= t < end:
                    yield t, image

    write_frames(target, frames(), fps=fps)


# --- sound: a speech-like track (syllables of harmonics shaped by moving formants) ---------


def speech(seed: int, seconds: float, rate: int = 16000, noise: float = 0.01) -> np.ndarray:
    """Mono float32 samples in [-1, 1]: syllables (voiced harmonics under two formants that
    glide, 80–350 ms) separated by short pauses, over a little room noise."""
    rng = np.random.default_rng(seed)
    total = int(seconds * rate)
    out = np.zeros(total, dtype=np.float64)
    at = 0
    harmonics = np.arange(1, 25)
    while at < total:
        length = int(rng.uniform(0.08, 0.35) * rate)
        t = np.arange(length) / rate
        f0 = rng.uniform(110, 240) * (1 + 0.15 * np.sin(2 * np.pi * rng.uniform(0.5, 3) * t))
        phase = 2 * np.pi * np.cumsum(f0) / rate
        f1 = np.linspace(rng.uniform(300, 900), rng.uniform(300, 900), length)
        f2 = np.linspace(rng.uniform(900, 2400), rng.uniform(900, 2400), length)
        tone = np.zeros(length)
        for h in harmonics:
            freq = h * f0
            gain = np.exp(-(((freq - f1) / 160) ** 2)) + 0.6 * np.exp(-(((freq - f2) / 220) ** 2))
            tone += gain * np.sin(h * phase) * (freq < rate / 2)
        envelope = np.sin(np.pi * np.arange(length) / length) ** 0.6
        end = min(total, at + length)
        out[at:end] += (0.25 * tone * envelope)[: end - at]
        at = end + int(rng.uniform(0.03, 0.25) * rate)
    out += rng.normal(0, noise, total)
    return np.clip(out, -1, 1).astype(np.float32)


def write_media(
    path: str,
    frames: Iterator[tuple[float, Frame]],
    sound: np.ndarray | None,
    *,
    rate: int = 16000,
    fps: int = 5,
    audio_codec: str = "aac",
    audio_bit_rate: int = 64_000,
    size: tuple[int, int] | None = None,
) -> None:
    """Like ``write_frames`` with a mono sound track (float samples at ``rate``)."""
    with av.open(path, "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "30"}
        audio = out.add_stream(audio_codec, rate=rate) if sound is not None else None
        if audio is not None:
            audio.layout = "mono"
            audio.bit_rate = audio_bit_rate
        first = True
        for index, (_t, image) in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="rgb24")
            if size:
                frame = frame.reformat(width=size[0], height=size[1])
            if first:
                video.width, video.height = frame.width, frame.height
                first = False
            frame.pts = index
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if audio is not None:
            chunk = 1024
            for start in range(0, len(sound), chunk):
                piece = np.ascontiguousarray(sound[start : start + chunk], dtype=np.float32)
                frame = av.AudioFrame.from_ndarray(piece[None, :], format="flt", layout="mono")
                frame.sample_rate = rate
                frame.pts = start
                for packet in audio.encode(frame):
                    out.mux(packet)
            for packet in audio.encode():
                out.mux(packet)


def noise_frames(seed: int, seconds: float, fps: int = 5, width: int = 160, height: int = 120):
    """A picture with nothing of any lesson in it (a re-filmed or overlaid copy's video)."""
    rng = np.random.default_rng(seed)
    for index in range(int(seconds * fps)):
        yield index / fps, rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)


def read_sound(path: str, rate: int = 16000) -> np.ndarray:
    """The file's first audio stream as mono float32 at ``rate``."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    parts = []
    with av.open(path) as container:
        for frame in container.decode(audio=0):
            parts.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        parts.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    return np.concatenate(parts).astype(np.float32)


def resample(sound: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    """Linear-interpolation resampling (a copy at another sample rate, or played faster)."""
    length = int(len(sound) * to_rate / rate)
    return np.interp(np.arange(length) * rate / to_rate, np.arange(len(sound)), sound).astype(
        np.float32
    )
