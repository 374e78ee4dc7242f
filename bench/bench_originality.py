"""Originality (issue 13): recall and false positives, fingerprint cost, index queries.

Measures, with data it generates:

- recall and false-positive rate: N generated lessons (PyAV, 160×120, 60 s) are indexed;
  2·N copies, each with one transformation of the issue (re-encode, rescale up/down, crop,
  letterbox, trimmed opening, cut minutes, concatenation with another lesson, speed ±10 %),
  must be found with their original; N look-alike originals (the same opening-title
  template, the same classroom, static slides) must not be flagged. The look-up is the
  production one (``video_index.indexable/query_keys/rank_candidates/compare``) over an
  in-memory posting table.
- fingerprint cost: CPU seconds per minute of a generated 1080p H.264 lesson (25 fps).
- query time of one video against an index of V videos (default 100,000) and of one
  document against D documents (default 100,000): hashes and MinHash signatures are
  generated directly (no decoding), stored in SQLite with the production tables' layout
  (key, fingerprint) and index, and queried with the production SQL and alignment.

    .venv/bin/python bench/bench_originality.py            # 200 originals, 100,000 videos
    .venv/bin/python bench/bench_originality.py --quick    # 20 originals, 10,000 videos
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from common import OUT_DIR, setup_django  # noqa: E402

# The pure modules import models through their neighbours: Django must be set up (no
# database is touched; the indexes below live in their own SQLite files).
setup_django(OUT_DIR / "originality")

from youke.originality import synthetic as syn  # noqa: E402
from youke.originality.domain import alignment, frames, video_index  # noqa: E402
from youke.originality.domain import text as textlib  # noqa: E402

LOW_DETAIL = 6.0
COMMON_VIDEOS = 20
SIMILAR_SHARE = 0.1
PARAMS = alignment.Params(min_segment_seconds=20)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--originals", type=int)
    parser.add_argument("--videos", type=int)
    parser.add_argument("--documents", type=int)
    parser.add_argument("--only", choices=["quality", "video", "documents"])
    args = parser.parse_args(argv)
    args.originals = args.originals or (20 if args.quick else 200)
    args.videos = args.videos or (10_000 if args.quick else 100_000)
    args.documents = args.documents or (10_000 if args.quick else 100_000)
    return args


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


TRANSFORMS = {
    "reencode": lambda a, b, out: syn.transform_file(a, out, codec="mpeg4", bit_rate=150_000),
    "upscale": lambda a, b, out: syn.transform_file(a, out, size=(240, 180)),
    "downscale": lambda a, b, out: syn.transform_file(a, out, size=(128, 96)),
    "crop": lambda a, b, out: syn.transform_file(a, out, syn.crop(0.06)),
    "letterbox": lambda a, b, out: syn.transform_file(a, out, syn.letterbox(0.1)),
    "trim": lambda a, b, out: syn.transform_file(a, out, syn.trim(12)),
    "cut": lambda a, b, out: syn.transform_file(a, out, syn.cut(20, 35)),
    "concat": lambda a, b, out: syn.concat_files(out, [(a, 0, 30), (b, 30, 60)]),
    "faster": lambda a, b, out: syn.transform_file(a, out, syn.speed(1.1)),
    "slower": lambda a, b, out: syn.transform_file(a, out, syn.speed(0.9)),
}


def recall_and_false_positives(originals: int, folder: Path) -> dict:
    rng = random.Random(13)
    prints = {}
    started = time.monotonic()
    for k in range(originals):
        path = folder / f"o{k}.mp4"
        syn.write_lesson(str(path), syn.Lesson(seed=1000 + k, title_seconds=5))
        prints[k] = frames.fingerprint_file(str(path))
    postings: dict[int, list[int]] = defaultdict(list)
    for k, fp in prints.items():
        valid = fp.detail >= LOW_DETAIL
        for key in np.unique(
            video_index.frame_keys(fp.hashes[video_index.indexable(fp.hashes, valid)])
        ):
            postings[int(key)].append(k)

    def query(fp) -> dict[int, float]:
        valid = fp.detail >= LOW_DETAIL
        found = {
            int(k): postings[int(k)]
            for k in video_index.query_keys(fp.hashes, valid)
            if int(k) in postings
        }
        candidates, common = video_index.rank_candidates(found, COMMON_VIDEOS)
        shares = {}
        for c in candidates:
            other = prints[c]
            _segments, share = video_index.compare(
                (fp.hashes, valid, fp.step, fp.duration),
                (other.hashes, other.detail >= LOW_DETAIL, other.step),
                common,
                PARAMS,
            )
            if share >= SIMILAR_SHARE:
                shares[c] = share
        return shares

    per_kind: dict[str, list[bool]] = defaultdict(list)
    names = list(TRANSFORMS)
    for n in range(2 * originals):
        source = n % originals
        kind = names[n % len(names)]
        partner = (source + 1 + rng.randrange(originals - 1)) % originals
        out = folder / f"c{n}.mp4"
        TRANSFORMS[kind](str(folder / f"o{source}.mp4"), str(folder / f"o{partner}.mp4"), str(out))
        per_kind[kind].append(source in query(frames.fingerprint_file(str(out))))
        out.unlink()
    flagged = 0
    lookalikes = 0
    for n in range(originals):
        kind = n % 3
        lesson = syn.Lesson(
            seed=50_000 + n,
            title_seconds=5,
            classroom_seed=5 if kind == 1 else None,
            static_from=15 if kind == 2 else None,
        )
        path = folder / f"l{n}.mp4"
        syn.write_lesson(str(path), lesson)
        lookalikes += 1
        flagged += bool(query(frames.fingerprint_file(str(path))))
        path.unlink()
    found = sum(sum(v) for v in per_kind.values())
    copies = sum(len(v) for v in per_kind.values())
    return {
        "originals": originals,
        "copies": copies,
        "recall": found / copies,
        "per_kind": {k: f"{sum(v)}/{len(v)}" for k, v in per_kind.items()},
        "lookalikes": lookalikes,
        "false_positive_rate": flagged / lookalikes,
        "seconds": time.monotonic() - started,
    }


def fingerprint_cost(folder: Path, seconds: int = 20) -> float:
    path = folder / "hd.mp4"
    lesson = syn.Lesson(seed=9, seconds=seconds, width=1920, height=1080, fps=25)
    syn.write_lesson(str(path), lesson)
    before = cpu()
    fp = frames.fingerprint_file(str(path))
    used = cpu() - before
    assert len(fp.hashes) >= seconds - 1
    return used * 60 / seconds


def random_hashes(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 2**63, size=n, dtype=np.int64).astype(np.uint64) ^ (
        rng.integers(0, 2, size=n, dtype=np.int64).astype(np.uint64) << np.uint64(63)
    )


def video_query(videos: int, folder: Path, frames_per_video: int = 600, indexed: int = 60) -> dict:
    """An index of ``videos`` 10-minute lessons (``indexed`` distinct pictures each)."""
    rng = np.random.default_rng(5)
    db = sqlite3.connect(folder / "videos.sqlite3")
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE TABLE videokey (id INTEGER PRIMARY KEY, key INTEGER, fingerprint_id INTEGER)"
    )
    db.execute("CREATE TABLE fp (id INTEGER PRIMARY KEY, hashes BLOB)")
    started = time.monotonic()
    keep = {}
    for start in range(0, videos, 1000):
        rows, blobs = [], []
        for vid in range(start, min(videos, start + 1000)):
            pictures = random_hashes(rng, indexed)
            sequence = np.repeat(pictures, frames_per_video // indexed)
            if vid < 50:
                keep[vid] = sequence
            blobs.append((vid, frames.to_bytes(sequence)))
            for key in np.unique(video_index.frame_keys(pictures)):
                rows.append((int(key), vid))
        db.executemany("INSERT INTO videokey (key, fingerprint_id) VALUES (?, ?)", rows)
        db.executemany("INSERT INTO fp (id, hashes) VALUES (?, ?)", blobs)
    db.execute("CREATE INDEX videokey_lookup ON videokey (key, fingerprint_id)")
    db.commit()
    built = time.monotonic() - started
    rows_total = db.execute("SELECT count(*) FROM videokey").fetchone()[0]
    timings = []
    found = 0
    for vid in range(20):
        # A copy: every bit flips with probability 3/64 (a re-encode), opening trimmed.
        source = keep[vid][30:]
        flips = rng.random((len(source), 64)) < 3 / 64
        noise = np.packbits(flips, axis=1).view(">u8").ravel().astype(np.uint64)
        query = source ^ noise
        t0 = time.perf_counter()
        keys = video_index.query_keys(query, np.ones(len(query), dtype=bool))
        postings = defaultdict(list)
        for start in range(0, len(keys), 500):
            chunk = [int(k) for k in keys[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            for key, other in db.execute(
                f"SELECT key, fingerprint_id FROM videokey WHERE key IN ({marks})",
                chunk,  # noqa: S608
            ):
                postings[key].append(other)
        candidates, common = video_index.rank_candidates(postings, COMMON_VIDEOS)
        best = None
        for c in candidates:
            blob = db.execute("SELECT hashes FROM fp WHERE id = ?", (c,)).fetchone()[0]
            other = frames.from_bytes(blob)
            _segments, share = video_index.compare(
                (query, np.ones(len(query), dtype=bool), 1.0, float(len(query))),
                (other, np.ones(len(other), dtype=bool), 1.0),
                common,
                alignment.Params(min_segment_seconds=20, min_scenes=3),
            )
            if share and (best is None or share > best[1]):
                best = (c, share)
        timings.append(time.perf_counter() - t0)
        found += best is not None and best[0] == vid
    db.close()
    return {
        "videos": videos,
        "rows": rows_total,
        "build_seconds": built,
        "query_median": statistics.median(timings),
        "query_max": max(timings),
        "found": f"{found}/20",
    }


def document_query(documents: int, folder: Path) -> dict:
    rng = np.random.default_rng(7)
    db = sqlite3.connect(folder / "documents.sqlite3")
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE dockey (id INTEGER PRIMARY KEY, key INTEGER, fingerprint_id INTEGER)")
    started = time.monotonic()
    source_text = textlib.normalise(
        "".join(chr(0x4E00 + int(c)) for c in rng.integers(0, 3000, 3000))
    )
    planted = textlib.minhash(textlib.shingles(source_text))
    for start in range(0, documents, 2000):
        rows = []
        for doc in range(start, min(documents, start + 2000)):
            signature = (
                planted
                if doc == 0
                else rng.integers(0, 2**32, 128, dtype=np.uint64).astype(np.uint32)
            )
            for key in textlib.band_keys(signature):
                rows.append((key - (1 << 63) if key >= 1 << 63 else key, doc))
        db.executemany("INSERT INTO dockey (key, fingerprint_id) VALUES (?, ?)", rows)
    db.execute("CREATE INDEX dockey_lookup ON dockey (key, fingerprint_id)")
    db.commit()
    built = time.monotonic() - started
    edited = source_text[:1500] + "这是教师自己补充的一段文字" + source_text[1500:2800]
    timings, found = [], 0
    for _ in range(20):
        t0 = time.perf_counter()
        signature = textlib.minhash(textlib.shingles(edited))
        keys = [k - (1 << 63) if k >= 1 << 63 else k for k in textlib.band_keys(signature)]
        marks = ",".join("?" * len(keys))
        hits = defaultdict(int)
        for (fid,) in db.execute(
            f"SELECT fingerprint_id FROM dockey WHERE key IN ({marks})",
            keys,  # noqa: S608
        ):
            hits[fid] += 1
        candidates = [f for f, n in hits.items() if n >= 2]
        timings.append(time.perf_counter() - t0)
        found += candidates == [0]
    db.close()
    return {
        "documents": documents,
        "build_seconds": built,
        "query_median": statistics.median(timings),
        "found": f"{found}/20",
    }


def main(argv=None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "quality"):
            quality_figures(args, folder)
        if args.only in (None, "video"):
            video_figures(args, folder)
        if args.only in (None, "documents"):
            document_figures(args, folder)


def quality_figures(args, folder: Path) -> None:
    cost = fingerprint_cost(folder)
    print(f"fingerprint: {cost:.2f} CPU-s per minute of 1080p (25 fps, H.264)")
    quality = recall_and_false_positives(args.originals, folder)
    print(
        f"recall: {quality['recall']:.3f} of {quality['copies']} copies of "
        f"{quality['originals']} originals; per transformation {quality['per_kind']}"
    )
    print(
        f"false positives: {quality['false_positive_rate']:.3f} of "
        f"{quality['lookalikes']} look-alike originals ({quality['seconds']:.0f} s in all)"
    )


def video_figures(args, folder: Path) -> None:
    video = video_query(args.videos, folder)
    print(
        f"video index: {video['videos']:,} videos, {video['rows']:,} keys, built in "
        f"{video['build_seconds']:.0f} s; one query {video['query_median'] * 1000:.0f} ms median, "
        f"{video['query_max'] * 1000:.0f} ms max; copies found {video['found']}"
    )


def document_figures(args, folder: Path) -> None:
    doc = document_query(args.documents, folder)
    print(
        f"document index: {doc['documents']:,} documents, built in {doc['build_seconds']:.0f} s; "
        f"one query {doc['query_median'] * 1000:.1f} ms median; copy found {doc['found']}"
    )


if __name__ == "__main__":
    main()
