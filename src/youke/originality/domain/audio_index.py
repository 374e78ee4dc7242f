"""Audio fingerprints in the database and the look-up of a sound track among all others.

The index holds a sample of each track's distinct sub-fingerprints (``AudioKey``, one in
``audio.KEY_SAMPLING`` chosen by value, so a copy samples the same ones); a re-encoded copy
keeps some of its sub-fingerprints bit for bit, more once the query flips each frame's two
least reliable bits. A query fetches the postings of those sampled keys, ranks tracks by shared keys as the video index does (keys that many tracks
share, a campaign's jingle, weigh nothing), and aligns only the best candidates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from youke.media.domain.ladder import local_file
from youke.originality.domain import alignment, audio
from youke.originality.domain.video_index import CHUNK, rank_candidates
from youke.originality.models import AudioFingerprint, AudioKey, OriginalitySettings
from youke.submissions.models import Material


def store_fingerprint(material: Material, fp: audio.AudioPrint | None) -> AudioFingerprint | None:
    """Save (or replace) the track's fingerprint and keys; a mute or silent video removes
    any earlier one and stores nothing."""
    with transaction.atomic():
        AudioFingerprint.objects.filter(material=material).delete()
        if fp is None:
            return None
        stored = AudioFingerprint.objects.create(
            material=material,
            submission_id=material.submission_id,
            sha256=material.upload.sha256,
            hashes=audio.to_bytes(fp.hashes),
            loudness=fp.loudness.tobytes(),
            weak=audio.weak_bytes(fp.weak),
            step=fp.step,
            duration=fp.duration,
        )
        AudioKey.objects.bulk_create(
            [AudioKey(key=int(k), fingerprint=stored) for k in audio.keys(fp.hashes, fp.valid())],
            batch_size=2000,
        )
    return stored


def fingerprint_material(material: Material) -> AudioFingerprint | None:
    existing = AudioFingerprint.objects.filter(material=material).first()
    if existing is not None and existing.sha256 == material.upload.sha256:
        return existing
    with local_file(material.upload.storage_name) as path:
        fp = audio.fingerprint_file(str(path))
    return store_fingerprint(material, fp)


def arrays(fp: AudioFingerprint) -> tuple[np.ndarray, np.ndarray]:
    """(sub-fingerprints, valid frames) of a stored track."""
    loudness = np.frombuffer(bytes(fp.loudness), dtype=np.uint8)
    return audio.from_bytes(fp.hashes), loudness.astype(np.float32) - 100.0 >= audio.QUIET_DB


@dataclass
class AudioMatch:
    other: AudioFingerprint
    segments: list[audio.AudioSegment]
    share: float  # of this track's duration


def find_matches(fp: AudioFingerprint, s: OriginalitySettings) -> list[AudioMatch]:
    """Other packages' tracks holding aligned stretches of ``fp``'s sound, best first."""
    hashes, valid = arrays(fp)
    wanted = audio.query_keys(hashes, valid, audio.weak_from_bytes(fp.weak))
    postings: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(wanted), CHUNK):
        chunk = [int(k) for k in wanted[start : start + CHUNK]]
        for key, other in (
            AudioKey.objects.filter(key__in=chunk)
            .exclude(fingerprint__submission_id=fp.submission_id)
            .values_list("key", "fingerprint_id")
        ):
            postings[key].append(other)
    candidates, common = rank_candidates(postings, s.common_videos)
    if not candidates:
        return []
    params = audio.AudioParams(min_segment_seconds=float(s.min_audio_seconds))
    if common:
        # A jingle many tracks share: its frames are no evidence on either side.
        listed = np.array(sorted(common), dtype=np.int64)
        valid = valid & ~np.isin(hashes.view(np.int32).astype(np.int64), listed)
    found: list[AudioMatch] = []
    for other in AudioFingerprint.objects.filter(pk__in=candidates):
        other_hashes, other_valid = arrays(other)
        if common:
            other_valid = other_valid & ~np.isin(
                other_hashes.view(np.int32).astype(np.int64), listed
            )
        segments = audio.align(hashes, other_hashes, valid, other_valid, params, fp.step)
        if segments:
            duration = fp.duration or len(hashes) * fp.step
            share = min(alignment.covered_seconds(segments) / max(duration, 1e-6), 1.0)
            found.append(AudioMatch(other, segments, share))
    return sorted(found, key=lambda m: -m.share)
