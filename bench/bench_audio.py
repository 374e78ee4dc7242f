"""Originality audio fingerprints (issue 13): cost, recall / false positives, index query.

Measures, with data it generates:

- fingerprint cost: CPU seconds per minute of sound for decode (PyAV: AAC 48 kHz stereo →
  mono 8 kHz) plus sub-fingerprints, on a generated speech-like track in an MP4.
- recall and false positives: N speech-like tracks (60 s) are indexed; each has a copy
  (opening trimmed 0–15 s, resampled to 22.05 kHz and back, room noise added, level
  halved) that must be found with the right offset, and N distinct tracks must find
  nothing. Production look-up (``audio.keys``, ``video_index.rank_candidates``,
  ``audio.align``) over an in-memory posting table.
- query time of one track against an index of T ten-minute tracks (default 20,000; pass
  ``--tracks 100000`` for the issue's size, which needs ~5 GB of disk and some minutes):
  keys and sub-fingerprints of the background tracks are random, stored in SQLite with the
  production table layout (key, fingerprint) and index, queried with the production SQL.

    .venv/bin/python bench/bench_audio.py            # 100 tracks, index of 20,000
    .venv/bin/python bench/bench_audio.py --quick    # 20 tracks, index of 2,000
    .venv/bin/python bench/bench_audio.py --only index --tracks 100000
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from common import OUT_DIR, setup_django  # noqa: E402

setup_django(OUT_DIR / "originality")

from youke.originality import synthetic as syn  # noqa: E402
from youke.originality.domain import audio, video_index  # noqa: E402

COMMON = 20
PARAMS = audio.AudioParams(min_segment_seconds=20)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fingerprint_cost(folder: Path, seconds: int = 60) -> float:
    """CPU seconds per minute of a 48 kHz AAC track (decode, resample, fingerprint)."""
    path = folder / "speech.mp4"
    sound = syn.resample(syn.speech(5, seconds), 16000, 48000)
    syn.write_media(
        str(path),
        syn.noise_frames(1, seconds, fps=1, width=32, height=32),
        sound,
        rate=48000,
        fps=1,
        audio_bit_rate=128_000,
    )
    before = cpu()
    fp = audio.fingerprint_file(str(path))
    used = cpu() - before
    assert fp is not None and fp.duration > seconds - 1
    return used * 60 / seconds


def copy_of(sound: np.ndarray, trim: float, rng: np.random.Generator) -> np.ndarray:
    kept = sound[int(trim * 16000) :]
    kept = syn.resample(syn.resample(kept, 16000, 22050), 22050, 16000)
    return (0.5 * kept + rng.normal(0, 0.01, len(kept))).astype(np.float32)


def to_print(sound: np.ndarray) -> audio.AudioPrint:
    return audio.fingerprint_samples(syn.resample(sound, 16000, audio.RATE))


def look_up(fp: audio.AudioPrint, postings_of: dict[int, list[int]], prints: dict[int, tuple]):
    valid = fp.valid()
    postings = {
        int(k): postings_of[int(k)]
        for k in audio.query_keys(fp.hashes, valid, fp.weak)
        if int(k) in postings_of
    }
    candidates, _common = video_index.rank_candidates(postings, COMMON)
    best = None
    for c in candidates:
        hashes, other_valid = prints[c]
        segments = audio.align(fp.hashes, hashes, valid, other_valid, PARAMS)
        if segments and (best is None or segments[0].seconds > best[1][0].seconds):
            best = (c, segments)
    return best


def recall(originals: int) -> dict:
    rng = np.random.default_rng(3)
    postings: dict[int, list[int]] = defaultdict(list)
    prints: dict[int, tuple] = {}
    started = time.monotonic()
    sounds = {}
    for track in range(originals):
        sounds[track] = syn.speech(1000 + track, 60)
        fp = to_print(sounds[track])
        prints[track] = (fp.hashes, fp.valid())
        for key in audio.keys(fp.hashes, fp.valid()):
            postings[int(key)].append(track)
    found = right_offset = 0
    for track in range(originals):
        trim = float(rng.uniform(0, 15))
        best = look_up(to_print(copy_of(sounds[track], trim, rng)), postings, prints)
        if best is not None and best[0] == track:
            found += 1
            right_offset += abs(best[1][0].other_start - trim) <= 1.0
    false = 0
    for track in range(originals):
        false += look_up(to_print(syn.speech(5000 + track, 60)), postings, prints) is not None
    return {
        "originals": originals,
        "recall": found / originals,
        "right_offset": right_offset,
        "false_positive_rate": false / originals,
        "seconds": time.monotonic() - started,
    }


def index_query(tracks: int, folder: Path, minutes: int = 10) -> dict:
    rng = np.random.default_rng(5)
    frames_per_track = int(minutes * 60 / audio.STEP)
    # Keys per track as the generated speech gives them (about one in eight frames' values,
    # distinct), so the table has the production density.
    keys_per_track = int(frames_per_track / audio.KEY_SAMPLING * 0.95)
    db = sqlite3.connect(folder / "audio.sqlite3")
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE TABLE audiokey (id INTEGER PRIMARY KEY, key INTEGER, fingerprint_id INTEGER)"
    )
    db.execute("CREATE TABLE fp (id INTEGER PRIMARY KEY, hashes BLOB, loudness BLOB)")
    started = time.monotonic()
    planted = {}
    for track in range(20):
        sound = syn.speech(7000 + track, minutes * 60 / 5)  # two-minute speech, repeated
        planted[track] = np.tile(sound, 5)
    loud = np.full(frames_per_track, 60, dtype=np.uint8).tobytes()
    for start in range(0, tracks, 500):
        rows, blobs = [], []
        for track in range(start, min(tracks, start + 500)):
            if track in planted:
                fp = to_print(planted[track])
                keys = audio.keys(fp.hashes, fp.valid())
                blobs.append((track, audio.to_bytes(fp.hashes), fp.loudness.tobytes()))
            else:
                keys = rng.integers(-(2**31), 2**31, keys_per_track, dtype=np.int64)
                hashes = rng.integers(0, 2**32, frames_per_track, dtype=np.uint64)
                blobs.append((track, audio.to_bytes(hashes.astype(np.uint32)), loud))
            rows.extend((int(k), track) for k in keys)
        db.executemany("INSERT INTO audiokey (key, fingerprint_id) VALUES (?, ?)", rows)
        db.executemany("INSERT INTO fp (id, hashes, loudness) VALUES (?, ?, ?)", blobs)
    db.execute("CREATE INDEX audiokey_lookup ON audiokey (key, fingerprint_id)")
    db.commit()
    built = time.monotonic() - started
    rows_total = db.execute("SELECT count(*) FROM audiokey").fetchone()[0]
    timings, found = [], 0
    for track in range(20):
        query = to_print(copy_of(planted[track], 30, rng))
        t0 = time.perf_counter()
        valid = query.valid()
        keys = audio.query_keys(query.hashes, valid, query.weak)
        postings = defaultdict(list)
        for start in range(0, len(keys), 500):
            chunk = [int(k) for k in keys[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            for key, other in db.execute(
                f"SELECT key, fingerprint_id FROM audiokey WHERE key IN ({marks})",  # noqa: S608
                chunk,
            ):
                postings[key].append(other)
        candidates, _common = video_index.rank_candidates(postings, COMMON)
        best = None
        for c in candidates:
            blob, levels = db.execute(
                "SELECT hashes, loudness FROM fp WHERE id = ?", (c,)
            ).fetchone()
            other_valid = np.frombuffer(levels, dtype=np.uint8) >= 100 + audio.QUIET_DB
            segments = audio.align(query.hashes, audio.from_bytes(blob), valid, other_valid, PARAMS)
            if segments and (best is None or segments[0].seconds > best[1]):
                best = (c, segments[0].seconds)
        timings.append(time.perf_counter() - t0)
        found += best is not None and best[0] == track
    db.close()
    return {
        "tracks": tracks,
        "rows": rows_total,
        "query_keys": len(keys),
        "build_seconds": built,
        "query_median": statistics.median(timings),
        "query_max": max(timings),
        "found": f"{found}/20",
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--originals", type=int)
    parser.add_argument("--tracks", type=int)
    parser.add_argument("--only", choices=["cost", "quality", "index"])
    args = parser.parse_args(argv)
    originals = args.originals or (20 if args.quick else 100)
    tracks = args.tracks or (2_000 if args.quick else 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "cost"):
            cost = fingerprint_cost(folder)
            print(f"audio fingerprint: {cost:.2f} CPU-s per minute of sound")
        if args.only in (None, "quality"):
            q = recall(originals)
            print(
                f"audio recall: {q['recall']:.3f} of {q['originals']} copies (trimmed, "
                f"resampled, noise, -6 dB), right offset {q['right_offset']}; false positives "
                f"{q['false_positive_rate']:.3f} of {q['originals']} distinct tracks "
                f"({q['seconds']:.0f} s in all)"
            )
        if args.only in (None, "index"):
            r = index_query(tracks, folder)
            print(
                f"audio index: {r['tracks']:,} ten-minute tracks, {r['rows']:,} keys, built in "
                f"{r['build_seconds']:.0f} s; one query {r['query_median'] * 1000:.0f} ms "
                f"median, {r['query_max'] * 1000:.0f} ms max ({r['query_keys']:,} keys looked "
                f"up for a 9.5-minute copy); copies found {r['found']}"
            )


if __name__ == "__main__":
    main()
