"""Video fingerprints in the database and the look-up of a video among all others.

The index holds four 16-bit bands of each distinct frame hash (``VideoKey``): a copy
keeps most bits of most frames, so it shares at least one band with the original on most
frames. A query fetches the postings of its own keys (one indexed range per key), counts
hits per video, and aligns only the best candidates on their full hash sequences, so a
video is compared with every other without scanning them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from youke.media.domain.ladder import local_file
from youke.originality.domain import alignment, frames
from youke.originality.models import OriginalitySettings, VideoFingerprint, VideoKey
from youke.submissions.models import Material

BANDS = 4
CHUNK = 500  # keys per IN (…) query
MAX_CANDIDATES = 40
MIN_HITS = 3
CANDIDATE_SHARE = 0.1
BACKGROUND_FACTOR = 4
# Consecutive samples closer than this are one picture: only the first is indexed.
INDEX_DISTINCT_BITS = 4


def frame_keys(hashes: np.ndarray) -> np.ndarray:
    """len(hashes) × 4 keys: band number in bits 16–17, the band's 16 bits below."""
    values = np.stack(
        [
            ((hashes >> np.uint64(16 * b)) & np.uint64(0xFFFF)).astype(np.int64)
            for b in range(BANDS)
        ],
        axis=1,
    )
    return values | (np.arange(BANDS, dtype=np.int64) << 16)[None, :]


def indexable(hashes: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Indices of the samples to index: detailed ones where the picture changed."""
    keep, last = [], None
    for index in np.flatnonzero(valid):
        value = hashes[index]
        if last is None or bin(int(value ^ last)).count("1") > INDEX_DISTINCT_BITS:
            keep.append(index)
            last = value
    return np.array(keep, dtype=np.intp)


def detail_bytes(detail: np.ndarray) -> bytes:
    return np.clip(np.round(detail), 0, 255).astype(np.uint8).tobytes()


def store_fingerprint(
    material: Material, fp: frames.Fingerprint, low_detail: float
) -> VideoFingerprint:
    """Save (or replace) the material's fingerprint and its keys in one transaction."""
    valid = fp.detail >= low_detail
    keys = np.unique(frame_keys(fp.hashes[indexable(fp.hashes, valid)]).ravel())
    with transaction.atomic():
        VideoFingerprint.objects.filter(material=material).delete()
        stored = VideoFingerprint.objects.create(
            material=material,
            submission_id=material.submission_id,
            sha256=material.upload.sha256,
            hashes=frames.to_bytes(fp.hashes),
            detail=detail_bytes(fp.detail),
            step=fp.step,
            duration=fp.duration,
        )
        VideoKey.objects.bulk_create(
            [VideoKey(key=int(k), fingerprint=stored) for k in keys], batch_size=2000
        )
    return stored


def fingerprint_material(material: Material, low_detail: float) -> VideoFingerprint:
    existing = VideoFingerprint.objects.filter(material=material).first()
    if existing is not None and existing.sha256 == material.upload.sha256:
        return existing  # idempotent: these bytes are already in the index
    with local_file(material.upload.storage_name) as path:
        fp = frames.fingerprint_file(str(path))
    return store_fingerprint(material, fp, low_detail)


@dataclass
class VideoMatch:
    other: VideoFingerprint
    segments: list[alignment.Segment]
    share: float  # of this video's duration


def _arrays(fp: VideoFingerprint) -> tuple[np.ndarray, np.ndarray]:
    return frames.from_bytes(fp.hashes), np.frombuffer(bytes(fp.detail), dtype=np.uint8)


def find_matches(fp: VideoFingerprint, s: OriginalitySettings) -> list[VideoMatch]:
    """Other packages' videos that hold aligned segments of ``fp``, best first."""
    hashes, detail = _arrays(fp)
    valid = detail >= s.low_detail
    postings: dict[int, list[int]] = defaultdict(list)
    wanted = query_keys(hashes, valid)
    for start in range(0, len(wanted), CHUNK):
        chunk = [int(k) for k in wanted[start : start + CHUNK]]
        for key, other in (
            VideoKey.objects.filter(key__in=chunk)
            .exclude(fingerprint__submission_id=fp.submission_id)
            .values_list("key", "fingerprint_id")
        ):
            postings[key].append(other)
    candidates, common = rank_candidates(postings, s.common_videos)
    if not candidates:
        return []
    params = alignment.Params(
        max_bits=s.match_bits, min_segment_seconds=float(s.min_segment_seconds)
    )
    found: list[VideoMatch] = []
    others = VideoFingerprint.objects.filter(pk__in=candidates)
    for other in others:
        other_hashes, other_detail = _arrays(other)
        segments, share = compare(
            (hashes, valid, fp.step, fp.duration),
            (other_hashes, other_detail >= s.low_detail, other.step),
            common,
            params,
        )
        if segments:
            found.append(VideoMatch(other, segments, share))
    return sorted(found, key=lambda m: -m.share)


def query_keys(hashes: np.ndarray, valid: np.ndarray) -> np.ndarray:
    return np.unique(frame_keys(hashes)[valid].ravel())


def rank_candidates(
    postings: dict[int, list[int]], common_videos: int
) -> tuple[list[int], set[int]]:
    """The videos sharing most keys with the query, and the keys too common to count:
    frames many videos share (the campaign's opening title, one classroom) weigh nothing."""
    # In a large index every 16-bit band is shared by some videos by chance: a key is common
    # only well above the background, read off this query's own keys (their median).
    lengths = sorted(len(found) for found in postings.values())
    background = lengths[len(lengths) // 2] if lengths else 0
    limit = max(common_videos, BACKGROUND_FACTOR * background)
    common = {k for k, found in postings.items() if len(found) >= limit}
    hits: Counter[int] = Counter()
    for key, found in postings.items():
        if key not in common:
            hits.update(set(found))
    ranked = hits.most_common(MAX_CANDIDATES)
    # Chance collisions share a few keys; a copy shares many. A concatenation of two
    # lessons still gives each source a good part of the best count.
    floor = max(MIN_HITS, ranked[0][1] * CANDIDATE_SHARE) if ranked else MIN_HITS
    candidates = [fid for fid, n in ranked if n >= floor]
    return candidates, common


def compare(this: tuple, other: tuple, common: set[int], params: alignment.Params):
    """Align a query (hashes, valid, step, duration) with a candidate (hashes, valid, step);
    samples whose every band is common are left out on both sides."""
    hashes, valid, step, duration = this
    other_hashes, other_valid, other_step = other
    if common:
        listed = np.fromiter(common, dtype=np.int64)
        valid = valid & ~np.isin(frame_keys(hashes), listed).all(axis=1)
        other_valid = other_valid & ~np.isin(frame_keys(other_hashes), listed).all(axis=1)
    segments = alignment.align(hashes, other_hashes, step, params, valid, other_valid, other_step)
    if not segments:
        return [], 0.0
    duration = duration or len(hashes) * step
    return segments, min(alignment.covered_seconds(segments) / max(duration, 1e-6), 1.0)
