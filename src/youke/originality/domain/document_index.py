"""Document fingerprints, their LSH keys, and the weighted comparison with passages.

Candidates come from MinHash bands (``DocumentKey``); the decision is exact: the share of
this document's shingle weight that the other holds, where a shingle present in several
packages of the same course node (the textbook passage, the standard exercise) weighs
nothing and one shared by few weighs fully.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.core.files.storage import default_storage
from django.db import transaction

from youke.originality.domain import text as textlib
from youke.originality.models import DocumentFingerprint, DocumentKey, OriginalitySettings
from youke.submissions.models import Material

CHUNK = 500
MAX_CANDIDATES = 30
MIN_BAND_HITS = 2
MAX_NODE_DOCUMENTS = 300  # packages of one node read for shingle weights
MAX_READ_BYTES = 60 * 1024 * 1024
MIN_PASSAGE = 16  # normalised characters
PASSAGES = 6


def store_fingerprint(material: Material, raw_text: str) -> DocumentFingerprint:
    normalised = textlib.normalise(raw_text)
    signature = textlib.minhash(textlib.shingles(normalised))
    with transaction.atomic():
        DocumentFingerprint.objects.filter(material=material).delete()
        stored = DocumentFingerprint.objects.create(
            material=material,
            submission_id=material.submission_id,
            node_id=material.submission.node_id,
            sha256=material.upload.sha256,
            text=normalised,
            signature=signature.tobytes(),
        )
        if len(normalised) >= textlib.SHINGLE:
            DocumentKey.objects.bulk_create(
                [
                    DocumentKey(key=_signed(k), fingerprint=stored)
                    for k in set(textlib.band_keys(signature))
                ]
            )
    return stored


def _signed(key: int) -> int:
    return key - (1 << 63) if key >= 1 << 63 else key


def fingerprint_material(material: Material) -> DocumentFingerprint | None:
    upload = material.upload
    existing = DocumentFingerprint.objects.filter(material=material).first()
    if existing is not None and existing.sha256 == upload.sha256:
        return existing
    if upload.length > MAX_READ_BYTES:
        return None
    with default_storage.open(upload.storage_name, "rb") as handle:
        data = handle.read(MAX_READ_BYTES)
    raw = textlib.extract_text(data, upload.content_type, upload.filename)
    return store_fingerprint(material, raw)


@dataclass
class DocumentMatch:
    other: DocumentFingerprint
    share: float
    passages: list[dict]


def find_matches(fp: DocumentFingerprint, s: OriginalitySettings) -> list[DocumentMatch]:
    if len(fp.text) < textlib.SHINGLE:
        return []
    keys = [_signed(k) for k in textlib.band_keys(np.frombuffer(bytes(fp.signature), np.uint32))]
    hits: Counter[int] = Counter()
    for start in range(0, len(keys), CHUNK):
        hits.update(
            DocumentKey.objects.filter(key__in=keys[start : start + CHUNK])
            .exclude(fingerprint__submission_id=fp.submission_id)
            .values_list("fingerprint_id", flat=True)
        )
    candidates = [fid for fid, n in hits.most_common(MAX_CANDIDATES) if n >= MIN_BAND_HITS]
    if not candidates:
        return []
    this_positions = textlib.shingle_positions(fp.text)
    this_ids = set(this_positions)
    node_counts = _node_counts(fp, this_ids)
    found = []
    for other in DocumentFingerprint.objects.filter(pk__in=candidates):
        other_positions = textlib.shingle_positions(other.text)
        shared = this_ids & set(other_positions)

        weights = {k: _weight(node_counts, k, k in other_positions, s) for k in this_ids}
        total = sum(weights.values())
        if total <= 0:
            continue
        kept = {k for k in shared if weights[k] > 0}
        share = sum(weights[k] for k in kept) / total
        # Every candidate is returned (its package is re-checked as the index grows);
        # the caller keeps what passes the campaign's thresholds.
        if share > 0:
            found.append(
                DocumentMatch(
                    other,
                    share,
                    _passages(fp.text, other.text, this_positions, other_positions, kept),
                )
            )
    return sorted(found, key=lambda m: -m.share)


def _weight(node_counts: Counter[int], key: int, in_other: bool, s: OriginalitySettings) -> float:
    """Packages other than these two that hold a shingle make it common text."""
    others = node_counts.get(key, 0) - (1 if in_other else 0)
    if others + 2 >= s.common_submissions:
        return 0.0
    return 1.0 / (1 + others)


def _node_counts(fp: DocumentFingerprint, ids: set[int]) -> Counter[int]:
    """In how many other packages of the node each of this document's shingles occurs."""
    counts: Counter[int] = Counter()
    seen_submissions: dict[int, set[int]] = {}
    for submission_id, body in (
        DocumentFingerprint.objects.filter(node_id=fp.node_id)
        .exclude(submission_id=fp.submission_id)
        .values_list("submission_id", "text")[:MAX_NODE_DOCUMENTS]
    ):
        present = ids & set(textlib.shingle_positions(body))
        seen_submissions.setdefault(submission_id, set()).update(present)
    for present in seen_submissions.values():
        counts.update(present)
    return counts


def _passages(
    this: str, other: str, this_pos: dict[int, int], other_pos: dict[int, int], kept: set[int]
) -> list[dict]:
    """Longest runs of matching text, each with the same stretch of the other document."""
    covered = np.zeros(len(this) + 1, dtype=bool)
    starts: dict[int, int] = {}
    for key in kept:
        at = this_pos[key]
        covered[at : at + textlib.SHINGLE] = True
        starts[at] = other_pos[key]
    runs, begin = [], None
    for index, flag in enumerate(covered):
        if flag and begin is None:
            begin = index
        elif not flag and begin is not None:
            runs.append((begin, index))
            begin = None
    runs = sorted((r for r in runs if r[1] - r[0] >= MIN_PASSAGE), key=lambda r: r[0] - r[1])
    passages = []
    for lo, hi in runs[:PASSAGES]:
        first = next((starts[k] for k in range(lo, hi) if k in starts), 0)
        offset = next((k for k in range(lo, hi) if k in starts), lo) - lo
        other_lo = max(0, first - offset)
        passages.append(
            {
                "this": this[lo:hi][:400],
                "other": other[other_lo : other_lo + (hi - lo)][:400],
                "length": hi - lo,
            }
        )
    return passages
