"""Resumable upload of 1 GiB over loopback through the tus endpoint (BRIEF §8, issue 3).

Against a scratch data dir (default bench/out/upload) it creates or reuses a teacher, a
published 精品课 campaign open now and a draft submission, so the real ``material`` purpose
authorizes the upload (micro_video of 学科课程: mp4, up to 1 GiB). Then it starts
``youke serve --no-worker`` (jobs queued, not run inline: ``YOUKE_JOBS_EAGER`` is removed from
the environment) and, with a bearer token from ``youke token``:

1. uploads ``--size`` bytes (default 1 GiB of random bytes, generated once into
   ``bench/out/upload_1g.bin`` and reused) with tus over ``http.client``, once per chunk
   size (``--chunks``, default 8 and 32 MiB), measuring MB/s;
2. samples the RSS (VmRSS) of every process of the server's process group every
   ``--sample-ms`` during each upload: before (after a warm-up), the maximum during, after;
3. resume: cuts the connection in the middle of a PATCH (half a chunk sent, socket closed),
   asks HEAD for the offset, continues, and checks that nothing was lost;
4. checks each stored file's SHA-256 (hashed here, from storage) against the source.

    .venv/bin/python bench/bench_upload.py
    .venv/bin/python bench/bench_upload.py --size 256MiB --chunks 8 --data-dir bench/out/up2

Prints tables and writes bench/out/upload.json; the stored 1 GiB copies are deleted after
verification unless ``--keep-files``. The server is stopped at the end, also on error.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import mmap
import os
import platform
import signal
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench_orgs import Server, free_port, issue_token
from common import BENCH_PASSWORD, OUT_DIR, median, percentile, setup_django, stop_on_signal, table

MIB = 1024**2
GIB = 1024**3
TEACHER = "bench_upload_teacher"
PROVINCE_ADMIN = "bench_upload_province"
TUS_HEADERS = {"Tus-Resumable": "1.0.0"}


def parse_size(text: str) -> int:
    text = text.strip().lower().removesuffix("b")
    for suffix, factor in (("gi", GIB), ("mi", MIB), ("ki", 1024), ("g", GIB), ("m", MIB)):
        if text.endswith(suffix):
            return int(float(text.removesuffix(suffix)) * factor)
    return int(text)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "upload")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "upload.json")
    parser.add_argument("--file", type=Path, default=OUT_DIR / "upload_1g.bin")
    parser.add_argument("--size", type=parse_size, default=GIB, help="e.g. 1GiB, 256MiB")
    parser.add_argument(
        "--chunks", default="8,32", help="PATCH sizes in MiB, comma-separated (default 8,32)"
    )
    parser.add_argument("--resume-chunk", type=int, default=8, help="MiB, resume run")
    parser.add_argument("--sample-ms", type=int, default=50, help="RSS sampling period")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--keep-files", action="store_true", help="keep the stored copies")
    parser.add_argument("--skip-resume", action="store_true")
    return parser.parse_args(argv)


# --- data ---------------------------------------------------------------------------------


def ensure_data() -> dict:
    """Teacher, published campaign open now, draft submission (created once, then reused)."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from generate_submissions import make_person, open_campaign, reopen_campaign
    from youke.campaigns.models import Campaign, MaterialRequirement
    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.core.actor import Actor
    from youke.core.trees import Spec, bulk_build
    from youke.manage.demo.catalog import build_catalog
    from youke.orgs.enums import Role, UnitKind
    from youke.orgs.models import Person, Unit
    from youke.submissions.domain.packages import start_submission
    from youke.submissions.models import Submission

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with transaction.atomic():
        if not Person.objects.filter(username=TEACHER).exists():
            if not Unit.objects.filter(code="990000").exists():
                school = Spec(
                    {"code": "3300000001", "name": "基准上传小学", "kind": UnitKind.SCHOOL}
                )
                county = Spec(
                    {"code": "990101", "name": "基准区", "kind": UnitKind.COUNTY}, [school]
                )
                city = Spec({"code": "990100", "name": "基准市", "kind": UnitKind.CITY}, [county])
                province = Spec(
                    {"code": "990000", "name": "基准省", "kind": UnitKind.PROVINCE}, [city]
                )
                ministry = Spec(
                    {"code": "100000", "name": "教育部（基准）", "kind": UnitKind.MINISTRY},
                    [province],
                )
                bulk_build(Unit, [ministry])
            build_catalog()
            password_hash = make_password(BENCH_PASSWORD)
            province = Unit.objects.get(code="990000")
            admin = make_person(
                PROVINCE_ADMIN, "基准省管理员", province, Role.UNIT_ADMIN, password_hash
            )
            school = Unit.objects.get(code="3300000001")
            make_person(TEACHER, "基准上传教师", school, Role.TEACHER, password_hash)
            open_campaign(admin, province, "基准上传精品课")
    teacher = Person.objects.select_related("unit").get(username=TEACHER)
    campaign = Campaign.objects.filter(name="基准上传精品课").get()
    reopen_campaign(campaign)  # keep it open now whenever the data is reused
    category = campaign.categories.get(code="subject")
    requirement = MaterialRequirement.objects.get(category=category, code="micro_video")
    submission = Submission.objects.filter(
        teacher=teacher, campaign=campaign, state="draft", school_acted_at__isnull=True
    ).first()
    if submission is None:
        node = CourseNode.objects.filter(level=NodeLevel.LESSON).order_by("path").first()
        submission = start_submission(
            Actor(teacher), campaign, category, node, title="基准上传作品"
        )
    return {
        "teacher": TEACHER,
        "campaign": campaign.pk,
        "submission": submission.pk,
        "requirement": requirement.pk,
        "max_bytes": min(requirement.max_bytes, campaign.max_upload_bytes),
    }


def ensure_source(path: Path, size: int) -> str:
    """The random source file (made once, reused) and its SHA-256."""
    sidecar = path.with_name(path.name + ".sha256")
    if path.exists() and path.stat().st_size == size and sidecar.exists():
        recorded = json.loads(sidecar.read_text())
        if recorded.get("size") == size and recorded.get("mtime") == path.stat().st_mtime:
            return recorded["sha256"]
    print(f"writing {size / MIB:,.0f} MiB of random bytes to {path} …")
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        left = size
        while left:
            piece = os.urandom(min(8 * MIB, left))
            digest.update(piece)
            handle.write(piece)
            left -= len(piece)
    sidecar.write_text(
        json.dumps({"size": size, "mtime": path.stat().st_mtime, "sha256": digest.hexdigest()})
    )
    return digest.hexdigest()


# --- server processes ------------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[int, int, float] | None:
    """(ppid, pgrp, cpu seconds) of a process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), int(fields[2]), (int(fields[11]) + int(fields[12])) / ticks


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def group_processes(pgid: int) -> dict[int, dict]:
    """Every process of the server's group: role (serve / master / worker), RSS, CPU."""
    procs: dict[int, dict] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = _proc_stat(int(entry))
        if stat is None or stat[1] != pgid:
            continue
        procs[int(entry)] = {"ppid": stat[0], "cpu_s": stat[2], "cmd": _cmdline(int(entry))}
    for pid, info in procs.items():
        parent = procs.get(info["ppid"], {})
        if "gunicorn" not in info["cmd"]:
            info["role"] = "serve"
        elif "gunicorn" in parent.get("cmd", ""):
            info["role"] = "worker"
        else:
            info["role"] = "master"
        info["rss_kib"] = _rss_kib(pid)
    return procs


def snapshot(pgid: int) -> dict:
    procs = group_processes(pgid)
    workers = {pid: p for pid, p in procs.items() if p["role"] == "worker"}
    return {
        "workers_rss_mib": sum(p["rss_kib"] for p in workers.values()) / 1024,
        "worker_rss_mib": {pid: p["rss_kib"] / 1024 for pid, p in workers.items()},
        "all_rss_mib": sum(p["rss_kib"] for p in procs.values()) / 1024,
        "workers_cpu_s": sum(p["cpu_s"] for p in workers.values()),
        "processes": {
            pid: {"role": p["role"], "rss_mib": p["rss_kib"] / 1024} for pid, p in procs.items()
        },
    }


class RssSampler:
    """Samples the group's RSS in a thread; keeps the maximum of the workers' total and each."""

    def __init__(self, pgid: int, period: float) -> None:
        self.pgid = pgid
        self.period = period
        self.samples = 0
        self.max_workers = 0.0
        self.max_single: dict[int, float] = {}
        self.max_all = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            snap = snapshot(self.pgid)
            self.samples += 1
            self.max_workers = max(self.max_workers, snap["workers_rss_mib"])
            self.max_all = max(self.max_all, snap["all_rss_mib"])
            for pid, rss in snap["worker_rss_mib"].items():
                self.max_single[pid] = max(self.max_single.get(pid, 0.0), rss)
            self._stop.wait(self.period)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# --- tus client -------------------------------------------------------------------------------


class TusError(RuntimeError):
    def __init__(self, status: int, body: bytes, offset: int | None = None) -> None:
        super().__init__(f"HTTP {status}: {body[:300].decode(errors='replace')}")
        self.status = status
        self.offset = offset


class Tus:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {**TUS_HEADERS, "Authorization": f"Bearer {token}"}
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = self._connect()

    def close(self) -> None:
        self.conn.close()

    def _request(self, method: str, url: str, headers: dict | None = None, body=None):
        self.conn.request(method, url, body=body, headers={**self.headers, **(headers or {})})
        response = self.conn.getresponse()
        return response, response.read()

    def options(self) -> dict:
        response, _body = self._request("OPTIONS", "/api/v1/uploads/")
        return dict(response.getheaders())

    def create(self, length: int, metadata: dict) -> str:
        encoded = ",".join(
            f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in metadata.items()
        )
        response, body = self._request(
            "POST",
            "/api/v1/uploads/",
            {"Upload-Length": str(length), "Upload-Metadata": encoded},
        )
        if response.status != 201:
            raise TusError(response.status, body)
        return urllib.parse.urlsplit(response.getheader("Location")).path

    def head(self, url: str) -> int:
        response, body = self._request("HEAD", url)
        if response.status != 200:
            raise TusError(response.status, body)
        return int(response.getheader("Upload-Offset"))

    def patch(self, url: str, offset: int, data) -> int:
        """Send one chunk (a memoryview, no copy); returns the new offset."""
        self.conn.putrequest("PATCH", url, skip_accept_encoding=True)
        for name, value in {
            **self.headers,
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(len(data)),
            "Upload-Offset": str(offset),
        }.items():
            self.conn.putheader(name, value)
        self.conn.endheaders()
        self.conn.send(data)
        response = self.conn.getresponse()
        body = response.read()
        new_offset = response.getheader("Upload-Offset")
        if response.status != 204:
            raise TusError(response.status, body, int(new_offset) if new_offset else None)
        return int(new_offset)

    def cut_patch(self, url: str, offset: int, data, sent: int) -> None:
        """Announce ``len(data)`` bytes, send ``sent`` of them, and close the socket."""
        self.conn.putrequest("PATCH", url, skip_accept_encoding=True)
        for name, value in {
            **self.headers,
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(len(data)),
            "Upload-Offset": str(offset),
        }.items():
            self.conn.putheader(name, value)
        self.conn.endheaders()
        self.conn.send(data[:sent])
        self.conn.sock.shutdown(socket.SHUT_RDWR)  # FIN now, mid-body
        self.reconnect()

    def status(self, url: str) -> dict:
        response, body = self._request("GET", url + "/status")
        if response.status != 200:
            raise TusError(response.status, body)
        return json.loads(body)

    def delete(self, url: str) -> int:
        response, _body = self._request("DELETE", url)
        return response.status


def metadata_for(data: dict, filename: str) -> dict:
    return {
        "purpose": "material",
        "filename": filename,
        "filetype": "video/mp4",
        "submission": data["submission"],
        "requirement": data["requirement"],
        "period": 1,
    }


def warm_up(port: int, token: str, data: dict) -> None:
    """Touch every code path on several connections (both workers) before the baseline."""
    for _ in range(6):
        tus = Tus(port, token)
        try:
            tus.options()
            url = tus.create(MIB, metadata_for(data, "warm.mp4"))
            tus.head(url)
            tus.patch(url, 0, memoryview(os.urandom(256 * 1024)))
            tus.status(url)
            tus.delete(url)
        finally:
            tus.close()


def continue_upload(tus: Tus, url: str, view, offset: int, chunk: int, timings: list) -> dict:
    """PATCH from ``offset`` to the end; on 409/423 ask HEAD again (resume semantics)."""
    retries = 0
    size = len(view)
    while offset < size:
        end = min(offset + chunk, size)
        started = time.perf_counter()
        try:
            offset = tus.patch(url, offset, view[offset:end])
        except TusError as exc:
            if exc.status not in (409, 423) or retries >= 50:
                raise
            retries += 1
            time.sleep(0.2)
            tus.reconnect()
            offset = tus.head(url)
            continue
        timings.append(time.perf_counter() - started)
    return {"retries": retries, "offset": offset}


def stored_sha256(upload_id: str) -> tuple[str, str]:
    from django.core.files.storage import default_storage
    from django.db import connection

    from youke.media.models import Upload

    upload = Upload.objects.get(pk=upload_id)
    path = default_storage.path(upload.storage_name)
    connection.close()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while piece := handle.read(8 * MIB):
            digest.update(piece)
    return digest.hexdigest(), path


def run_upload(
    port: int, token: str, data: dict, view, source_sha: str, chunk: int, pgid: int, args
) -> dict:
    size = len(view)
    tus = Tus(port, token)
    before = snapshot(pgid)
    timings: list[float] = []
    try:
        with RssSampler(pgid, args.sample_ms / 1000) as sampler:
            started = time.perf_counter()
            url = tus.create(size, metadata_for(data, f"bench_{chunk // MIB}m.mp4"))
            created = time.perf_counter()
            progress = continue_upload(tus, url, view, 0, chunk, timings)
            wall = time.perf_counter() - started
        status = tus.status(url)
    finally:
        tus.close()
    time.sleep(1.0)
    after = snapshot(pgid)
    upload_id = url.rstrip("/").rsplit("/", 1)[1]
    file_sha, path = stored_sha256(upload_id)
    if not args.keep_files:
        Path(path).unlink(missing_ok=True)
    patch_ms = [t * 1000 for t in timings]
    last = patch_ms[-1] if patch_ms else 0.0
    typical = median(patch_ms[:-1]) if len(patch_ms) > 1 else last
    return {
        "chunk_mib": chunk // MIB,
        "bytes": size,
        "patches": len(timings),
        "wall_s": round(wall, 3),
        "create_ms": round((created - started) * 1000, 1),
        "mb_per_s": round(size / 1e6 / wall, 1),
        "mib_per_s": round(size / MIB / wall, 1),
        "stream_mb_per_s": round((size / 1e6) / (sum(timings[:-1]) or wall), 1)
        if len(timings) > 1
        else None,
        "patch_p50_ms": round(median(patch_ms), 1),
        "patch_p95_ms": round(percentile(patch_ms, 95), 1),
        "last_patch_ms": round(last, 1),
        "finish_ms_estimate": round(last - typical, 1),
        "retries": progress["retries"],
        "state": status["state"],
        "server_sha256_ok": status["sha256"] == source_sha,
        "stored_sha256_ok": file_sha == source_sha,
        "workers_cpu_s": round(after["workers_cpu_s"] - before["workers_cpu_s"], 2),
        "rss_samples": sampler.samples,
        "rss_workers_before_mib": round(before["workers_rss_mib"], 1),
        "rss_workers_max_mib": round(sampler.max_workers, 1),
        "rss_workers_after_mib": round(after["workers_rss_mib"], 1),
        "rss_growth_max_mib": round(sampler.max_workers - before["workers_rss_mib"], 1),
        "rss_growth_after_mib": round(after["workers_rss_mib"] - before["workers_rss_mib"], 1),
        "rss_single_worker_growth_max_mib": round(
            max(
                (
                    sampler.max_single.get(pid, rss) - rss
                    for pid, rss in before["worker_rss_mib"].items()
                ),
                default=0.0,
            ),
            1,
        ),
        "rss_all_before_mib": round(before["all_rss_mib"], 1),
        "rss_all_max_mib": round(sampler.max_all, 1),
        "upload_id": upload_id,
    }


def run_resume(
    port: int, token: str, data: dict, view, source_sha: str, chunk: int, pgid: int, args
) -> dict:
    size = len(view)
    tus = Tus(port, token)
    before = snapshot(pgid)
    timings: list[float] = []
    try:
        with RssSampler(pgid, args.sample_ms / 1000) as sampler:
            started = time.perf_counter()
            url = tus.create(size, metadata_for(data, "bench_resume.mp4"))
            cut_at = (size // chunk // 2) * chunk
            offset = 0
            while offset < cut_at:
                offset = tus.patch(url, offset, view[offset : offset + chunk])
            half = min(chunk, size - offset) // 2
            tus.cut_patch(url, offset, view[offset : offset + chunk], half)
            cut_done = time.perf_counter()
            # The server may still be writing what it received: wait until HEAD is stable.
            heads = []
            for _ in range(50):
                heads.append(tus.head(url))
                if len(heads) >= 2 and heads[-1] == heads[-2]:
                    break
                time.sleep(0.1)
            resumed_from = heads[-1]
            head_wait = time.perf_counter() - cut_done
            progress = continue_upload(tus, url, view, resumed_from, chunk, timings)
            wall = time.perf_counter() - started
        status = tus.status(url)
    finally:
        tus.close()
    upload_id = url.rstrip("/").rsplit("/", 1)[1]
    file_sha, path = stored_sha256(upload_id)
    if not args.keep_files:
        Path(path).unlink(missing_ok=True)
    return {
        "chunk_mib": chunk // MIB,
        "bytes": size,
        "cut_patch_offset": offset,
        "cut_bytes_sent": half,
        "offset_after_cut": resumed_from,
        "bytes_kept_of_sent": resumed_from - offset,
        "kept_all_sent": resumed_from == offset + half,
        "head_polls": len(heads),
        "head_wait_ms": round(head_wait * 1000, 1),
        "retries_after_resume": progress["retries"],
        "wall_s": round(wall, 3),
        "mb_per_s_including_cut": round(size / 1e6 / wall, 1),
        "state": status["state"],
        "server_sha256_ok": status["sha256"] == source_sha,
        "stored_sha256_ok": file_sha == source_sha,
        "rss_growth_max_mib": round(sampler.max_workers - before["workers_rss_mib"], 1),
        "upload_id": upload_id,
    }


# --- main ---------------------------------------------------------------------------------


def print_report(report: dict) -> None:
    print(
        f"\n== tus upload of {report['size_bytes'] / MIB:,.0f} MiB over loopback "
        f"(youke serve, workers {report['web_workers']}, threads {report['web_threads']}) =="
    )
    print(
        table(
            [
                "chunk MiB",
                "PATCHes",
                "wall s",
                "MB/s",
                "MiB/s",
                "stream MB/s",
                "PATCH p50 ms",
                "last PATCH ms",
                "worker CPU s",
                "RSS before MiB",
                "RSS max MiB",
                "growth max MiB",
                "growth after MiB",
                "sha256",
            ],
            [
                [
                    r["chunk_mib"],
                    r["patches"],
                    r["wall_s"],
                    r["mb_per_s"],
                    r["mib_per_s"],
                    r["stream_mb_per_s"] or "",
                    r["patch_p50_ms"],
                    r["last_patch_ms"],
                    r["workers_cpu_s"],
                    r["rss_workers_before_mib"],
                    r["rss_workers_max_mib"],
                    r["rss_growth_max_mib"],
                    r["rss_growth_after_mib"],
                    "ok" if r["stored_sha256_ok"] and r["server_sha256_ok"] else "MISMATCH",
                ]
                for r in report["runs"]
            ],
        )
    )
    print(
        "   RSS = sum of VmRSS of the gunicorn workers; growth = max during (or 1 s after) "
        "minus before; stream MB/s excludes the last PATCH (hash + sniff + move + claim)"
    )
    resume = report.get("resume")
    if resume:
        print("\n== Resume after a cut (half a PATCH sent, socket closed) ==")
        print(table(["figure", "value"], [[k, v] for k, v in resume.items()]))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    os.environ.pop("YOUKE_JOBS_EAGER", None)  # checks are queued, not run in the request
    chunks = [int(c) * MIB for c in args.chunks.split(",") if c.strip()]
    setup_django(args.data_dir)

    import django
    from django.db import connection

    data = ensure_data()
    if args.size > data["max_bytes"]:
        sys.exit(f"--size {args.size} exceeds the material's limit {data['max_bytes']}")
    connection.close()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    source_sha = ensure_source(args.file, args.size)
    token = issue_token(args.data_dir, TEACHER)
    port = args.port or free_port()
    report: dict = {
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": connection.vendor,
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
            "loadavg_before": [round(x, 2) for x in os.getloadavg()],
        },
        "data": data,
        "size_bytes": args.size,
        "source": str(args.file),
        "source_sha256": source_sha,
        "web_workers": os.environ.get("YOUKE_WEB_WORKERS", "2 (default)"),
        "web_threads": os.environ.get("YOUKE_WEB_THREADS", "4 (default)"),
        "runs": [],
    }
    print(f"data: {data}; load average {report['environment']['loadavg_before']}")
    with (
        open(args.file, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
        Server(args.data_dir, port, OUT_DIR / "serve-upload.log") as server,
    ):
        view = memoryview(mapped)[: args.size]
        try:
            pgid = os.getpgid(server.proc.pid)
            warm_up(port, token, data)
            report["processes_after_warm_up"] = snapshot(pgid)["processes"]
            for chunk in chunks:
                print(f"uploading {args.size / MIB:,.0f} MiB in {chunk // MIB} MiB PATCHes …")
                report["runs"].append(
                    run_upload(port, token, data, view, source_sha, chunk, pgid, args)
                )
            if not args.skip_resume:
                print("resume run: cutting a PATCH in the middle …")
                report["resume"] = run_resume(
                    port, token, data, view, source_sha, args.resume_chunk * MIB, pgid, args
                )
        finally:
            view.release()
    report["environment"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"\nwrote {args.out}")
    ok = all(r["stored_sha256_ok"] for r in report["runs"])
    ok = ok and (not report.get("resume") or report["resume"]["stored_sha256_ok"])
    if not ok:
        sys.exit("SHA-256 mismatch: see the table above")


if __name__ == "__main__":
    main()
