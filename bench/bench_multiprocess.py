"""The whole chain on 2 web processes and 2 workers over Redis, PostgreSQL and S3 (issue 8 item 10).

    .venv/bin/python bench/bench_multiprocess.py
    .venv/bin/python bench/bench_multiprocess.py --video-seconds 20 --chunk-mib 4

Starts the same cluster as ``tests/integration/test_multiprocess_chain.py`` (a moto S3
server process, a fresh PostgreSQL database ``youke_multiproc_<random>``, Redis database 7,
``youke serve --no-worker`` twice, ``youke worker`` twice), drives the chain over HTTP and
prints the wall time of each stage:

- upload: two PDFs and the video by tus, chunks alternating between the web processes;
- check: until every slot's server check has finished (a worker probes, checks, cuts a poster
  and thumbnails);
- rendition + HLS: until the master playlist is served (720p rendition, then the ladder, both
  written to the bucket);
- playback first byte: the player's MP4 request (302 to a presigned URL) plus the first byte
  of a Range read from the S3 server;
- recommendation: school and county recommend and confirm their lists;
- review: the city creates, staffs and opens a round, the expert scores, the round closes;
- awards: the proposal and the grant.

Then the recovery times: a web process SIGKILLed in the middle of a chunk (time until the
other process has told the client the offset, and until the killed one answers again after a
restart) and a worker SIGKILLed in the middle of a check (time from the kill until the check
has finished on the other worker; bounded below by the broker's visibility timeout, 8 s here).
Requires Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (user postgres).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
for path in (str(REPO_DIR), str(REPO_DIR / "src")):
    if path not in sys.path:
        sys.path.insert(0, path)

from tests.integration import cluster as services  # noqa: E402
from tests.integration.chain import PDF, Chain, wait_for  # noqa: E402

KILLED_CHECK = "bench-retry.mp4"


def _video(folder: Path, seconds: float, name: str) -> bytes:
    from youke.media.processing.samples import make_video

    path = make_video(folder / name, width=1280, height=720, seconds=seconds, bitrate=1_500_000)
    return path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--video-seconds", type=float, default=10)
    parser.add_argument("--chunk-mib", type=float, default=1)
    args = parser.parse_args()
    reason = services.unavailable()
    if reason:
        sys.exit(f"cannot run: {reason}")
    chunk = int(args.chunk_mib * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="youke-bench-mp-") as tmp:
        folder = Path(tmp)
        video = _video(folder, args.video_seconds, "chain.mp4")
        extra = {"YOUKE_TEST_PAUSE_CHECK_OF": KILLED_CHECK, "YOUKE_TEST_PAUSE_SECONDS": "2"}
        started = time.perf_counter()
        with services.Cluster(folder / "cluster", extra_env=extra) as cluster:
            startup = time.perf_counter() - started
            chain = Chain(cluster, cluster.python("tests.integration.seed"))
            chain.login("teacher", "teacher2", "school", "county", "city", "expert")
            chain.upload_package(video, chunk)
            chain.check_package()
            chain.wait_rendition(timeout=600)
            chain.play()
            chain.submit()
            chain.recommend()
            chain.review()
            chain.award()
            recovery = _kill_web(cluster, chain, video, chunk)
            recovery |= _kill_worker(cluster, chain, video, chunk)
        print(
            f"\nmulti-process chain: 2 web + 2 workers, {args.video_seconds:g} s 1280×720 video "
            f"({len(video) / 1e6:.1f} MB), {args.chunk_mib:g} MiB chunks"
        )
        print(f"cluster start (S3, database, migrate, 4 processes): {startup:7.2f} s")
        print(f"{'stage':<28}{'seconds':>10}")
        for stage, seconds in chain.timings.items():
            print(f"{stage:<28}{seconds:>10.3f}")
        print(f"{'recovery':<40}{'seconds':>10}")
        for what, seconds in recovery.items():
            print(f"{what:<40}{seconds:>10.3f}")


def _kill_web(cluster, chain, video: bytes, chunk: int) -> dict[str, float]:
    teacher = chain.users["teacher2"]
    submission = chain.start_package("teacher2", "亿以内数的读法")
    web1, web2 = cluster.procs["web1"], cluster.procs["web2"]
    meta = chain.material_metadata(submission, "classroom_recording", "resume.mp4", "video/mp4")
    location = teacher.tus_create(web1, len(video), meta)
    offset = teacher.tus_patch(web1, location, 0, video[:chunk])
    killed = {}

    def kill():
        killed["at"] = time.perf_counter()
        web1.kill()

    teacher.tus_patch_cut(web1, location, offset, video[offset:], sent=chunk, on_cut=kill)
    offset = teacher.tus_offset(web2, location)
    resumed = time.perf_counter() - killed["at"]
    while offset < len(video):
        offset = teacher.tus_patch(web2, location, offset, video[offset : offset + chunk])
    restart = cluster.restart("web1")
    return {
        "web killed → offset from the other web": resumed,
        "killed web restarted and answering": restart,
    }


def _kill_worker(cluster, chain, video: bytes, chunk: int) -> dict[str, float]:
    teacher = chain.users["teacher2"]
    submission = chain.start_package("teacher2", "大数的改写")
    meta = chain.material_metadata(submission, "classroom_recording", KILLED_CHECK, "video/mp4")
    teacher.upload(chain.webs, video, meta, chunk)
    for code in ("teaching_design", "courseware"):
        meta = chain.material_metadata(submission, code, f"{code}-2.pdf", "application/pdf")
        teacher.upload(chain.webs, PDF, meta, chunk)
    workers = [p for name, p in cluster.procs.items() if name.startswith("worker")]
    holder = wait_for(
        "a worker to start the check",
        lambda: next((w for w in workers if "paused check of material" in w.log_text()), None),
        timeout=120,
        step=0.05,
    )
    killed = time.perf_counter()
    holder.kill()
    chain.wait_checks("teacher2", submission, timeout=300)
    return {
        f"worker killed → check done elsewhere (vt {services.VISIBILITY_TIMEOUT} s)": (
            time.perf_counter() - killed
        )
    }


if __name__ == "__main__":
    main()
