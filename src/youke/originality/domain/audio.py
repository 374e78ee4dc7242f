"""Audio fingerprints of a video's sound track: PyAV decode, 32-bit sub-fingerprints, alignment.

Haitsma–Kalker style: the track is resampled to mono 8 kHz; every ``HOP`` samples a
``FRAME``-sample Hann window gives the energy of 33 log-spaced bands between 300 and
2000 Hz, and bit m of the frame's 32-bit value is the sign of the change, from the
previous frame, of the energy difference between band m and m+1. Re-encoding, another
sample rate or bit rate, a different picture and trimming keep most bits; two different
recordings (or one room's ambience recorded twice) agree on about half.

Silence says nothing: frames quieter than ``QUIET_DB`` (dBFS) are not valid, and a track
with too few valid frames has no fingerprint. Pure functions of a file (no database).

Speed: a copy played ±10 % faster moves every band (pitch) or stretches every frame
(tempo) beyond what the bits survive, so audio does not find speed changes; the video
alignment does (its slope vote covers ±12 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np

from youke.originality.domain.alignment import Segment, merge_segments

RATE = 8000
FRAME = 4096  # 0.512 s window
HOP = 256  # 32 ms between sub-fingerprints (94 % overlap: a trimmed copy's phase is close)
STEP = HOP / RATE
LOW_HZ, HIGH_HZ, BANDS = 300.0, 2000.0, 33
QUIET_DB = -50.0  # frames under this level (dBFS) are silence, not evidence
MIN_VALID_SECONDS = 5.0  # a track with less sound than this has no fingerprint
MIN_STORED_FRAMES = int(MIN_VALID_SECONDS / STEP)
WEAK = 3  # least reliable bits kept per frame, flipped in a query


@dataclass
class AudioPrint:
    """``hashes`` one uint32 per frame, ``loudness`` its level in dBFS + 100 (uint8, 0 =
    silent), ``weak`` the positions of its least reliable bits (frames × WEAK uint8: a
    query also looks up the values with those flipped), ``step`` seconds between frames,
    ``duration`` of the track."""

    hashes: np.ndarray
    loudness: np.ndarray
    weak: np.ndarray
    step: float
    duration: float

    def valid(self, quiet_db: float = QUIET_DB) -> np.ndarray:
        return self.loudness.astype(np.float32) - 100.0 >= quiet_db


def decode(path: str) -> np.ndarray | None:
    """The first audio stream as mono float32 samples at ``RATE``; None without audio."""
    with av.open(path) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        parts: list[np.ndarray] = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                parts.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            parts.append(out.to_ndarray().reshape(-1))
    if not parts:
        return None
    return np.concatenate(parts).astype(np.float32)


def _band_matrix() -> np.ndarray:
    """FRAME//2+1 spectrum bins → BANDS+1 log-spaced band energies (a 0/1 matrix)."""
    edges = np.geomspace(LOW_HZ, HIGH_HZ, BANDS + 2)
    freqs = np.fft.rfftfreq(FRAME, 1 / RATE)
    band = np.searchsorted(edges, freqs, side="right") - 1
    matrix = np.zeros((len(freqs), BANDS + 1), dtype=np.float32)
    inside = (band >= 0) & (band <= BANDS)
    matrix[np.flatnonzero(inside), band[inside]] = 1.0
    return matrix


_BANDS = _band_matrix()
_WINDOW = np.hanning(FRAME).astype(np.float32)
_WEIGHTS = (1 << np.arange(BANDS - 2, -1, -1, dtype=np.uint64)).astype(np.uint64)


def fingerprint_samples(samples: np.ndarray) -> AudioPrint:
    """Sub-fingerprints of mono ``RATE`` samples (one per ``STEP`` seconds)."""
    duration = len(samples) / RATE
    if len(samples) < FRAME + HOP:
        empty = np.zeros(0, np.uint8)
        return AudioPrint(np.zeros(0, np.uint32), empty, empty.reshape(0, WEAK), STEP, duration)
    count = (len(samples) - FRAME) // HOP + 1
    energies = np.empty((count, BANDS + 1), dtype=np.float32)
    levels = np.empty(count, dtype=np.float32)
    for start in range(0, count, 2048):  # bounded memory for an hour of sound
        stop = min(count, start + 2048)
        index = np.arange(start, stop)[:, None] * HOP + np.arange(FRAME)[None, :]
        frames = samples[index]
        levels[start:stop] = np.sqrt(np.mean(frames * frames, axis=1))
        spectrum = np.abs(np.fft.rfft(frames * _WINDOW, axis=1)) ** 2
        energies[start:stop] = spectrum.astype(np.float32) @ _BANDS
    diff = energies[:, :-1] - energies[:, 1:]  # count × 33
    change = (diff[1:] - diff[:-1])[:, 1:]  # count-1 × 32: change from the previous frame
    # 33 bands give 32 differences; the first is dropped to fit 32 bits (bit 31 first).
    values = ((change > 0).astype(np.uint64) * _WEIGHTS[None, -32:]).sum(axis=1)
    hashes = np.concatenate([[0], values]).astype(np.uint32)
    # The bits decided by the smallest changes are the ones noise or a shifted phase flips.
    closest = np.argpartition(np.abs(change), WEAK, axis=1)[:, :WEAK]
    weak = np.vstack([np.zeros((1, WEAK), np.uint8), (31 - closest).astype(np.uint8)])
    db = 20 * np.log10(np.maximum(levels, 1e-7))
    loudness = np.clip(np.round(db + 100), 0, 255).astype(np.uint8)
    loudness[0] = 0  # the first frame has no predecessor: no bits
    return AudioPrint(hashes, loudness, weak, STEP, duration)


def fingerprint_file(path: str) -> AudioPrint | None:
    """The file's audio fingerprint, or None when it has no audio or (almost) only silence."""
    samples = decode(path)
    if samples is None:
        return None
    fp = fingerprint_samples(samples)
    if int(fp.valid().sum()) < MIN_STORED_FRAMES:
        return None
    return fp


def to_bytes(values: np.ndarray) -> bytes:
    return values.astype(">u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=">u4").astype(np.uint32)


# --- index keys ---------------------------------------------------------------------------

# Only sub-fingerprints whose mixed value falls in 1/KEY_SAMPLING are keys: the choice
# depends on the value alone, so a copy keeps the same ones where its bits survived.
KEY_SAMPLING = 16


def _mix(values: np.ndarray) -> np.ndarray:
    x = values.astype(np.uint64)
    x = (x * np.uint64(0x9E3779B1)) & np.uint64(0xFFFFFFFF)
    return (x >> np.uint64(16)) ^ (x & np.uint64(0xFFFF))


def keys(hashes: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Distinct sampled sub-fingerprints of valid frames, as signed 32-bit ints (a column)."""
    chosen = hashes[valid & (_mix(hashes) % np.uint64(KEY_SAMPLING) == 0) & _varied(hashes)]
    return np.unique(chosen.astype(np.uint32).view(np.int32).astype(np.int64))


def query_keys(hashes: np.ndarray, valid: np.ndarray, weak: np.ndarray | None) -> np.ndarray:
    """The keys to look up for a track: its own values and those with any of each frame's
    weak bits flipped, sampled like ``keys`` (2**WEAK times the keys, several times the hits
    of a re-encoded copy)."""
    if weak is None or len(weak) != len(hashes):
        return keys(hashes, valid)
    masks = (np.uint32(1) << weak.astype(np.uint32)).astype(np.uint32)  # frames × WEAK
    variants = []
    for subset in range(1 << WEAK):
        flip = np.zeros(len(hashes), dtype=np.uint32)
        for bit in range(WEAK):
            if subset >> bit & 1:
                flip |= masks[:, bit]
        variants.append(hashes ^ flip)
    return keys(np.concatenate(variants), np.tile(valid, 1 << WEAK))


def weak_bytes(weak: np.ndarray) -> bytes:
    return np.ascontiguousarray(weak, dtype=np.uint8).tobytes()


def weak_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=np.uint8).reshape(-1, WEAK)


def _varied(hashes: np.ndarray) -> np.ndarray:
    """Frames whose value is neither all zeros nor all ones (a flat or clipped spectrum)."""
    return (hashes != 0) & (hashes != np.uint32(0xFFFFFFFF))


# --- alignment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudioParams:
    min_segment_seconds: float = 20.0
    # A window of frames matches when at most this share of its bits differ (HK: 0.35).
    max_bit_error: float = 0.3
    window_seconds: float = 2.0
    max_gap_seconds: float = 4.0
    # A value repeated on more than this share of either side says nothing about position.
    ambiguous_share: float = 0.02
    max_offsets: int = 8


# A sound segment has the shape of a picture one (this ≈ other, in seconds).
AudioSegment = Segment


def _popcount(x: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x)
    return np.unpackbits(x.astype(np.uint32).view(np.uint8).reshape(-1, 4), axis=1).sum(axis=1)


def exact_pairs(
    this: np.ndarray, other: np.ndarray, this_valid: np.ndarray, other_valid: np.ndarray, p
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) of equal valid sub-fingerprints, values frequent on either side left out."""
    ti = np.flatnonzero(this_valid & _varied(this))
    oj = np.flatnonzero(other_valid & _varied(other))
    if not len(ti) or not len(oj):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    limit = max(4, int(p.ambiguous_share * max(len(this), len(other))))
    order = np.argsort(other[oj], kind="stable")
    sorted_values = other[oj][order]
    lo = np.searchsorted(sorted_values, this[ti], side="left")
    hi = np.searchsorted(sorted_values, this[ti], side="right")
    counts = hi - lo
    keep = (counts > 0) & (counts <= limit)
    _unique, inverse, this_counts = np.unique(this[ti], return_inverse=True, return_counts=True)
    keep &= this_counts[inverse] <= limit
    rows = np.repeat(ti[keep], counts[keep])
    starts = np.repeat(lo[keep], counts[keep])
    within = np.arange(len(rows)) - np.repeat(np.cumsum(counts[keep]) - counts[keep], counts[keep])
    cols = oj[order[starts + within]]
    return rows, cols


def align(
    this: np.ndarray,
    other: np.ndarray,
    this_valid: np.ndarray,
    other_valid: np.ndarray,
    params: AudioParams = AudioParams(),
    step: float = STEP,
) -> list[AudioSegment]:
    """Segments of ``this`` found in ``other``: offsets voted by exact sub-fingerprint
    pairs, then checked frame by frame by bit errors along each offset's diagonal."""
    n, m = len(this), len(other)
    if not n or not m:
        return []
    rows, cols = exact_pairs(this, other, this_valid, other_valid, params)
    if not len(rows):
        return []
    offsets, votes = np.unique(cols - rows, return_counts=True)
    window = max(3, int(round(params.window_seconds / step)))
    min_frames = params.min_segment_seconds / step
    gap = int(round(params.max_gap_seconds / step))
    claimed = np.zeros(n, dtype=bool)
    found: list[AudioSegment] = []
    for index in np.argsort(-votes, kind="stable")[: params.max_offsets]:
        if votes[index] < 3:
            break
        d = int(offsets[index])
        i = np.arange(max(0, -d), min(n, m - d))
        if len(i) < min_frames:
            continue
        j = i + d
        usable = this_valid[i] & other_valid[j] & ~claimed[i]
        errors = _popcount(np.bitwise_xor(this[i], other[j])).astype(np.float32)
        # Bit error rate over a sliding window of usable frames.
        err_sum = np.convolve(np.where(usable, errors, 0), np.ones(window), "same")
        used = np.convolve(usable.astype(np.float32), np.ones(window), "same")
        rate = err_sum / np.maximum(used * 32, 1)
        good = usable & (used >= window / 2) & (rate <= params.max_bit_error)
        for lo, hi, count in _runs(np.flatnonzero(good), gap):
            if hi - lo + 1 < min_frames or count < 0.5 * (hi - lo + 1):
                continue
            span = slice(i[lo], i[hi] + 1)
            if len(np.unique(this[span])) < 0.2 * (hi - lo + 1):
                continue  # a held tone or hum: too few distinct frames to be a recording
            claimed[span] = True
            found.append(
                AudioSegment(
                    i[lo] * step, (i[hi] + 1) * step, j[lo] * step, (j[hi] + 1) * step, count
                )
            )
    return merge_segments(sorted(found, key=lambda s: s.this_start))


def _runs(positions: np.ndarray, gap: int) -> list[tuple[int, int, int]]:
    if not len(positions):
        return []
    cuts = np.flatnonzero(np.diff(positions) > gap) + 1
    return [(int(p[0]), int(p[-1]), len(p)) for p in np.split(positions, cuts)]
