"""Perceptual frame hashes of a video: PyAV decode, about one sample per second, 64-bit pHash.

Pure functions of a file (no database), so the bench and the worker share them. Robustness
comes from what is hashed: black borders are trimmed, then a centre crop (a few percent of
crop or letterbox leaves it almost unchanged), grey, 32×32, the 8×8 lowest DCT frequencies
compared with their median. Re-encoding and rescaling move only a few of the 64 bits.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import av
import numpy as np

# Grey levels under this count as black border (bars of a letterboxed copy).
BORDER_LEVEL = 24
CENTRE = 0.8  # share of width and height kept around the centre
SIZE = 32
# Width of the grey frame the decoder scales to before cropping; small keeps sws cheap.
WORK_WIDTH = 96


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


_DCT = _dct_matrix(SIZE)
_BITS = (1 << np.arange(63, -1, -1, dtype=np.uint64)).astype(np.uint64)


@dataclass
class Fingerprint:
    """``hashes`` one uint64 per sample, ``detail`` the grey standard deviation per sample
    (0–255 scale), ``step`` seconds between samples, ``duration`` of the video."""

    hashes: np.ndarray
    detail: np.ndarray
    step: float
    duration: float


def _trim_borders(grey: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(grey.mean(axis=1) > BORDER_LEVEL)
    cols = np.flatnonzero(grey.mean(axis=0) > BORDER_LEVEL)
    if len(rows) < grey.shape[0] // 3 or len(cols) < grey.shape[1] // 3:
        return grey  # mostly dark: keep the frame as it is (a dark scene, not bars)
    return grey[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _resize(grey: np.ndarray, size: int) -> np.ndarray:
    """Area-average resize by index binning (no image library needed)."""
    h, w = grey.shape
    ys = (np.arange(h) * size // h).astype(np.intp)
    xs = (np.arange(w) * size // w).astype(np.intp)
    sums = np.zeros((size, size))
    counts = np.zeros((size, size))
    np.add.at(sums, (ys[:, None], xs[None, :]), grey)
    np.add.at(counts, (ys[:, None], xs[None, :]), 1)
    return sums / np.maximum(counts, 1)


def frame_hash(grey: np.ndarray) -> tuple[int, float]:
    """(64-bit pHash, detail) of one grey frame (2-D uint8 or float array)."""
    grey = _trim_borders(np.asarray(grey, dtype=np.float64))
    h, w = grey.shape
    dy, dx = int(h * (1 - CENTRE) / 2), int(w * (1 - CENTRE) / 2)
    crop = grey[dy : h - dy or h, dx : w - dx or w]
    small = _resize(crop, SIZE)
    coeffs = (_DCT @ small @ _DCT.T)[:8, :8].ravel()
    bits = coeffs > np.median(coeffs[1:])
    return int(np.bitwise_or.reduce(_BITS[bits], initial=np.uint64(0))), float(small.std())


def fingerprint_file(path: str, step: float = 1.0) -> Fingerprint:
    """Hash one frame per ``step`` seconds of the first video stream.

    Non-reference frames and the loop filter are skipped (the decoder does less work; a
    sample needs only a frame near its time), and only sampled frames are scaled down.
    """
    hashes: list[int] = []
    detail: list[float] = []
    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        ctx = stream.codec_context
        ctx.skip_frame = "NONREF"
        with contextlib.suppress(AttributeError, ValueError):
            ctx.options = {"skip_loop_filter": "all"}
        duration = float(stream.duration * stream.time_base) if stream.duration else 0.0
        if not duration and container.duration:
            duration = container.duration / 1_000_000
        next_at = 0.0
        last_time = 0.0
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            last_time = frame.time
            if frame.time + 1e-6 < next_at:
                continue
            height = max(2, round(WORK_WIDTH * frame.height / max(frame.width, 1)))
            grey = frame.reformat(width=WORK_WIDTH, height=height, format="gray").to_ndarray()
            value, spread = frame_hash(grey)
            # A skipped stretch (a long GOP) repeats the sample so positions stay in seconds.
            while next_at <= frame.time + 1e-6:
                hashes.append(value)
                detail.append(spread)
                next_at += step
    return Fingerprint(
        np.array(hashes, dtype=np.uint64),
        np.array(detail, dtype=np.float32),
        step,
        duration or last_time,
    )


def to_bytes(values: np.ndarray) -> bytes:
    return values.astype(">u8").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=">u8").astype(np.uint64)


_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def hamming_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bit distances between every hash of ``a`` and every hash of ``b`` (len(a) × len(b))."""
    x = np.bitwise_xor(a[:, None], b[None, :])
    if hasattr(np, "bitwise_count"):  # numpy ≥ 2.0: a popcount instruction per element
        return np.bitwise_count(x)
    return _POP8[x.view(np.uint8).reshape(*x.shape, 8)].sum(axis=-1, dtype=np.uint8)
