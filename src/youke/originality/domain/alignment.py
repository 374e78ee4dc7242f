"""Aligned segments between two hash sequences: which stretch of one video is which of another.

Matching frame pairs (few differing bits) of a copy lie on a line j ≈ a·i + b: b is the
offset (a trimmed opening, a cut), a the speed (±10 %). A Hough vote over a grid of slopes
finds the strongest line, its pairs are split into runs at gaps, and the runs that are long
and varied enough are kept; the pairs are removed and the vote repeats, so a cut or a
concatenation gives several segments. Pure numpy, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from youke.originality.domain.frames import hamming_matrix


@dataclass(frozen=True)
class Params:
    max_bits: int = 10  # a frame pair matches at this many differing bits or fewer
    min_segment_seconds: float = 20.0
    max_gap_seconds: float = 6.0
    max_speed_change: float = 0.12
    # A frame matching more than this share of the other video (the same empty classroom,
    # a static board) says nothing about where it is: it is left out.
    ambiguous_share: float = 0.25
    # A run must show this many distinct scenes: two videos holding one similar picture
    # are not a copy, a copy follows the same changes.
    min_scenes: int = 3


@dataclass(frozen=True)
class Segment:
    this_start: float
    this_end: float
    other_start: float
    other_end: float
    frames: int  # matched samples inside

    @property
    def seconds(self) -> float:
        return self.this_end - self.this_start

    def as_dict(self) -> dict:
        return {
            "this_start": round(float(self.this_start), 1),
            "this_end": round(float(self.this_end), 1),
            "other_start": round(float(self.other_start), 1),
            "other_end": round(float(self.other_end), 1),
            "frames": int(self.frames),
        }


def align(
    this: np.ndarray,
    other: np.ndarray,
    step: float,
    params: Params = Params(),
    this_valid: np.ndarray | None = None,
    other_valid: np.ndarray | None = None,
    other_step: float | None = None,
) -> list[Segment]:
    """Segments of ``this`` found in ``other``, ordered by time in ``this``."""
    other_step = other_step or step
    n, m = len(this), len(other)
    if not n or not m:
        return []
    match = hamming_matrix(this, other) <= params.max_bits
    if this_valid is not None:
        match &= this_valid[:, None]
    if other_valid is not None:
        match &= other_valid[None, :]
    limit_rows = max(8, int(params.ambiguous_share * m))
    limit_cols = max(8, int(params.ambiguous_share * n))
    match[match.sum(axis=1) > limit_rows, :] = False
    match[:, match.sum(axis=0) > limit_cols] = False
    ii, jj = np.nonzero(match)
    if not len(ii):
        return []
    scene = _scene_ids(other, params.max_bits)
    min_samples = params.min_segment_seconds / step
    gap = max(2, int(round(params.max_gap_seconds / step)))
    slopes = np.linspace(1 - params.max_speed_change, 1 + params.max_speed_change, 97)
    slopes = slopes * (step / other_step)
    alive = np.ones(len(ii), dtype=bool)
    found: list[Segment] = []
    for _ in range(12):
        i, j = ii[alive], jj[alive]
        if len(i) < min_samples / 2:
            break
        slope, intercept = _best_line(i, j, slopes)
        tolerance = 1.5 + 0.01 * (i.max() - i.min())
        on_line = np.abs(j - (slope * i + intercept)) <= min(tolerance, 3.0)
        if on_line.sum() < min_samples / 2:
            break
        runs = _runs(i[on_line], j[on_line], gap)
        kept = False
        idx_alive = np.flatnonzero(alive)
        for lo, hi, j_lo, j_hi, count in runs:
            length = hi - lo + 1
            if length >= min_samples and count >= 0.4 * length:
                scenes = len(np.unique(scene[j_lo : j_hi + 1]))
                if scenes >= params.min_scenes:
                    found.append(
                        Segment(
                            lo * step,
                            (hi + 1) * step,
                            j_lo * other_step,
                            (j_hi + 1) * other_step,
                            int(count),
                        )
                    )
                    kept = True
            # Whatever the verdict, these rows are explained by this line: drop them.
            alive[idx_alive[(i >= lo) & (i <= hi)]] = False
        alive[idx_alive[on_line]] = False
        if not kept and not alive.any():
            break
    return merge_segments(sorted(found, key=lambda s: s.this_start))


def _best_line(i: np.ndarray, j: np.ndarray, slopes: np.ndarray) -> tuple[float, float]:
    # Votes per (slope, rounded intercept); a pair counts once per row so a long static
    # stretch does not outvote a varied one.
    best = (0, 1.0, 0.0)
    for slope in slopes:
        b = np.round(j - slope * i).astype(np.int64)
        keys = b * (int(i.max()) + 1) + i
        keys = np.unique(keys)
        values, counts = np.unique(keys // (int(i.max()) + 1), return_counts=True)
        # Neighbouring intercepts share their votes (rounding splits a line otherwise).
        k = int(np.argmax(counts))
        total = counts[k]
        if total > best[0]:
            best = (int(total), float(slope), float(values[k]))
    return best[1], best[2]


def _runs(i: np.ndarray, j: np.ndarray, gap: int) -> list[tuple[int, int, int, int, int]]:
    order = np.argsort(i, kind="stable")
    i, j = i[order], j[order]
    cuts = np.flatnonzero(np.diff(i) > gap) + 1
    runs = []
    for part_i, part_j in zip(np.split(i, cuts), np.split(j, cuts), strict=True):
        runs.append(
            (
                int(part_i[0]),
                int(part_i[-1]),
                int(part_j.min()),
                int(part_j.max()),
                len(np.unique(part_i)),
            )
        )
    return runs


def _scene_ids(hashes: np.ndarray, max_bits: int) -> np.ndarray:
    """A new scene starts where a sample differs clearly from the previous one."""
    if len(hashes) < 2:
        return np.zeros(len(hashes), dtype=np.int64)
    x = np.bitwise_xor(hashes[1:], hashes[:-1])
    bits = np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
    return np.concatenate([[0], np.cumsum(bits > max_bits)])


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Overlapping segments (sorted by start) as one; picture and sound alike."""
    merged: list[Segment] = []
    for s in segments:
        # Abutting runs stay apart: a cut shows as two segments with different offsets.
        if merged and s.this_start < merged[-1].this_end - 1e-6:
            last = merged[-1]
            merged[-1] = Segment(
                last.this_start,
                max(last.this_end, s.this_end),
                min(last.other_start, s.other_start),
                max(last.other_end, s.other_end),
                last.frames + s.frames,
            )
        else:
            merged.append(s)
    return merged


def covered_seconds(segments: list[Segment]) -> float:
    """Seconds of ``this`` covered by the union of segments (possibly of several videos)."""
    total, end = 0.0, -1.0
    for s in sorted(segments, key=lambda s: s.this_start):
        start = max(s.this_start, end)
        if s.this_end > start:
            total += s.this_end - start
            end = s.this_end
    return total
