"""Org benchmarks against the data made by bench/generate_orgs.py.

1. subtree queries: counts under a county / city / the province, each one SQL query, with
   the query plan (SQLite ``EXPLAIN QUERY PLAN`` / PostgreSQL ``EXPLAIN``);
2. HTTP: ``youke serve`` in a subprocess, the county admin's /manage/people/ page and
   /api/v1/people, sequential and with concurrent threads (p50/p95/max, requests/s);
3. teacher import: a generated xlsx run through the ``orgs.import_teachers`` job in-process
   (wall time, rows/s, tracemalloc peak, ru_maxrss growth).

    .venv/bin/python bench/bench_orgs.py [--data-dir bench/out/data] [--requests 300]

Prints plain-text tables and writes the same figures as JSON (default bench/out/orgs.json).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import os
import platform
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from unittest import mock

from common import (
    ADMINS,
    DEFAULT_DATA_DIR,
    META_FILE,
    OUT_DIR,
    median,
    percentile,
    setup_django,
    stop_on_signal,
    table,
)

IMPORT_MOBILE_PREFIX = "19"  # generated teachers use 130…; nothing else uses 19…
IMPORT_ID_REGION = "110101"
TITLE_LABELS = ("特级教师", "省级学科带头人", "市级学科带头人", "骨干教师", "名师")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "一二三文武明华春秋冬雪松竹梅兰建国志强海涛晓丽静怡子墨雨晨"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "orgs.json")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each subtree query")
    parser.add_argument("--requests", type=int, default=300, help="requests per URL and pass")
    parser.add_argument("--threads", type=int, default=4, help="threads of the concurrent pass")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--bad-rows", type=int, default=300)
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="time the import without tracemalloc (which slows Python)",
    )
    parser.add_argument(
        "--keep-import",
        action="store_true",
        help="keep the imported teachers (default: delete them afterwards)",
    )
    for part in ("queries", "http", "import"):
        parser.add_argument(f"--skip-{part}", action="store_true")
    return parser.parse_args(argv)


# --- subtree queries -------------------------------------------------------------------------


def explain(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            rows = cursor.fetchall()
            depth: dict[int, int] = {0: 0}
            lines = []
            for node_id, parent, _unused, detail in rows:
                depth[node_id] = depth.get(parent, 0) + 1
                lines.append("  " * (depth[node_id] - 1) + detail)
            return lines
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def index_verdict(plan: list[str]) -> tuple[bool, list[str]]:
    """(the path prefix is answered by an index range, the lines that scan whole tables).

    SQLite: ``SEARCH t USING INDEX i (path>? AND path<?)`` is a range; ``SCAN t`` is a full
    table scan and ``SCAN t USING [COVERING] INDEX i`` a full index scan. PostgreSQL: an
    ``Index Cond`` on path is a range; ``Seq Scan`` is a full scan.
    """
    path_range = False
    scans = []
    for line in plan:
        text = line.strip()
        sqlite_range = text.startswith("SEARCH ") and re.search(r"\bpath[<>=]", text)
        if sqlite_range or ("Index Cond" in text and "path" in text):
            path_range = True
        if (text.startswith("SCAN ") and "CONSTANT ROW" not in text) or "Seq Scan" in text:
            scans.append(text)
    return path_range, scans


def run_query(label: str, level: str, fn, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    captured: list[tuple[str, object]] = []

    def wrapper(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    times = []
    result = None
    query_counts = []
    for _ in range(repeat):
        captured.clear()
        with connection.execute_wrapper(wrapper), CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - started) * 1000)
        query_counts.append(len(ctx.captured_queries))
    assert all(n == 1 for n in query_counts), f"{label}: {query_counts} queries, expected 1"
    sql, params = captured[0]
    plan = explain(sql, params)
    indexed, scans = index_verdict(plan)
    return {
        "level": level,
        "query": label,
        "result": result,
        "queries": query_counts[0],
        "first_ms": round(times[0], 2),
        "median_ms": round(median(times), 2),
        "min_ms": round(min(times), 2),
        "path_index_range": indexed,
        "full_scans": scans,
        "sql": sql,
        "plan": plan,
    }


def bench_queries(repeat: int) -> list[dict]:
    from youke.orgs import rules
    from youke.orgs.enums import Role, UnitKind
    from youke.orgs.models import Person, RoleGrant, Unit

    results = []
    for level in ("county", "city", "province"):
        admin = Person.objects.get(username=ADMINS[level])
        paths = rules.admin_paths(admin)  # cached on the person, as within one request
        assert paths and len(paths) == 1, paths
        path = paths[0]
        people = rules.people_visible_to(admin)
        cases = [
            (
                "people visible: rules.people_visible_to(admin).count()",
                lambda people=people: people.count(),
            ),
            (
                "teachers: RoleGrant(role=teacher, unit__path__under).count()",
                lambda path=path: RoleGrant.objects.filter(
                    role=Role.TEACHER, unit__path__under=path
                ).count(),
            ),
            (
                "schools: Unit(path__under, kind=school).count()",
                lambda path=path: Unit.objects.filter(
                    path__under=path, kind=UnitKind.SCHOOL
                ).count(),
            ),
            (
                "list page 1: people_visible_to(admin) ordered [:50]",
                lambda people=people: len(
                    list(
                        people.filter(is_active=True)
                        .select_related("unit")
                        .order_by("unit__path", "full_name", "pk")[:50]
                    )
                ),
            ),
        ]
        for label, fn in cases:
            results.append(run_query(label, level, fn, repeat))
    return results


def _first_step(plan: list[str]) -> str:
    steps = [
        line.strip().lstrip("-> ")
        for line in plan
        if line.strip().startswith(("SCAN", "SEARCH", "->")) or "Scan" in line
    ]
    text = steps[0] if steps else (plan[0].strip() if plan else "")
    return text if len(text) <= 70 else text[:67] + "..."


def print_queries(results: list[dict]) -> None:
    print("\n== Subtree queries (each one SQL query; times in ms) ==")
    print("   path idx: the path prefix is answered by an index range (else rows are filtered)")
    print(
        table(
            [
                "level",
                "query",
                "result",
                "queries",
                "first ms",
                "median ms",
                "path idx",
                "driving access (first plan line)",
            ],
            [
                [
                    r["level"],
                    r["query"],
                    r["result"],
                    r["queries"],
                    r["first_ms"],
                    r["median_ms"],
                    "yes" if r["path_index_range"] else "NO",
                    _first_step(r["plan"]),
                ]
                for r in results
            ],
        )
    )
    seen = set()
    for r in results:
        key = r["query"]
        if r["level"] != "county" or key in seen:
            continue
        seen.add(key)
        print(f"\n-- plan: {key}\n   {r['sql']}")
        for line in r["plan"]:
            print(f"   | {line}")


# --- HTTP ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``youke serve --no-worker`` in its own process group, stopped on exit even on error."""

    def __init__(self, data_dir: Path, port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="youke.settings",
            YOUKE_DATA_DIR=str(data_dir.resolve()),
        )
        self.env = env
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "youke.cli", "serve", "--port", str(self.port), "--no-worker"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"server did not answer within 120 s; see {self.log_path}")

    def memory(self) -> list[dict]:
        """Resident and peak resident memory (MiB) of the server and all its descendants
        (``youke serve`` starts gunicorn in a session of its own)."""
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended meanwhile
        family = {self.proc.pid} if self.proc is not None else set()
        grew = True
        while grew:
            children = {pid for pid, ppid in parents.items() if ppid in family} - family
            family |= children
            grew = bool(children)
        rows = []
        for pid in sorted(family):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            kib = {
                line.split(":")[0]: int(line.split()[1])
                for line in status.splitlines()
                if line.startswith(("VmRSS", "VmHWM"))
            }
            rows.append(
                {"pid": pid, "command": cmdline[:60],
                 "rss_mib": round(kib.get("VmRSS", 0) / 1024),
                 "peak_rss_mib": round(kib.get("VmHWM", 0) / 1024)}
            )  # fmt: skip
        return rows

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


class Client:
    """One keep-alive connection; reconnects once if the server closed it."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, url: str) -> tuple[int, bytes, float]:
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request("GET", url, headers=self.headers)
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, time.perf_counter() - started
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def login(port: int, username: str, password: str) -> str:
    """Session log-in through the real form; returns the Cookie header value."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    token = match.group(1) if match else jar["csrftoken"].value
    body = urllib.parse.urlencode(
        {"login": username, "password": password, "csrfmiddlewaretoken": token}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken'].value}",
        },
    )
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"log-in as {username} failed (HTTP {response.status})")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def issue_token(data_dir: Path, username: str) -> str:
    env = dict(
        os.environ, DJANGO_SETTINGS_MODULE="youke.settings", YOUKE_DATA_DIR=str(data_dir.resolve())
    )
    done = subprocess.run(
        [sys.executable, "-m", "youke.cli", "token", username, "--label", "bench"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def measure(port: int, url: str, headers: dict[str, str], n: int, threads: int) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        client = Client(port, headers)
        mine, bad = [], []
        try:
            for _ in range(count):
                status, _body, seconds = client.get(url)
                mine.append(seconds)
                if status != 200:
                    bad.append(status)
        finally:
            client.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    shares = [n // threads + (1 if i < n % threads else 0) for i in range(threads)]
    started = time.perf_counter()
    if threads == 1:
        worker(n)
    else:
        pool = [threading.Thread(target=worker, args=(share,)) for share in shares]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    wall = time.perf_counter() - started
    ms = [s * 1000 for s in latencies]
    return {
        "url": url,
        "threads": threads,
        "requests": len(ms),
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "req_per_s": round(len(ms) / wall, 1),
        "wall_s": round(wall, 2),
    }


def bench_http(data_dir: Path, password: str, n: int, threads: int, port: int) -> dict:
    port = port or free_port()
    username = ADMINS["county"]
    token = issue_token(data_dir, username)
    results = []
    checks = {}
    with Server(data_dir, port, OUT_DIR / "serve.log"):
        cookie = login(port, username, password)
        targets = [
            ("/manage/people/", {"Cookie": cookie}),
            ("/api/v1/people", {"Authorization": f"Bearer {token}", "Accept": "application/json"}),
        ]
        for url, headers in targets:
            client = Client(port, headers)
            for attempt in range(20):  # the API may still be on its way (colleague's work)
                status, body, _seconds = client.get(url)
                if status != 404 or not url.startswith("/api/"):
                    break
                print(f"{url} answered 404; retrying in 30 s ({attempt + 1}/20)")
                time.sleep(30)
            for _ in range(5):  # warm-up, not counted
                client.get(url)
            client.close()
            if status != 200:
                raise RuntimeError(f"GET {url} -> HTTP {status}: {body[:300]!r}")
            if url.startswith("/api/"):
                data = json.loads(body)
                checks[url] = {"count": data.get("count"), "items": len(data.get("items", []))}
            else:
                total = re.search(r"共\s*([\d,]+)\s*人", body.decode())
                checks[url] = {
                    "count": total.group(1) if total else None,
                    "rows": len(re.findall(rb'href="/manage/people/\d+/', body)),
                    "bytes": len(body),
                }
            results.append(measure(port, url, headers, n, 1))
            results.append(measure(port, url, headers, n, threads))
    return {
        "port": port,
        "user": username,
        "checks": checks,
        "runs": results,
        "web_workers": os.environ.get("YOUKE_WEB_WORKERS", "2 (default)"),
        "web_threads": os.environ.get("YOUKE_WEB_THREADS", "4 (default)"),
    }


def print_http(result: dict) -> None:
    print(
        f"\n== HTTP as {result['user']} (youke serve, workers {result['web_workers']}, "
        f"threads {result['web_threads']}) =="
    )
    for url, check in result["checks"].items():
        print(f"   {url}: {check}")
    print(
        table(
            ["url", "threads", "requests", "errors", "p50 ms", "p95 ms", "max ms", "req/s"],
            [
                [
                    r["url"],
                    r["threads"],
                    r["requests"],
                    r["errors"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["max_ms"],
                    r["req_per_s"],
                ]
                for r in result["runs"]
            ],
        )
    )


# --- teacher import -----------------------------------------------------------------------


def import_id_card(index: int, broken: bool = False) -> str:
    import datetime

    from youke.orgs.validators import id_card_check_digit

    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=index // 1000)
    first17 = f"{IMPORT_ID_REGION}{birth:%Y%m%d}{index % 1000:03d}"
    check = id_card_check_digit(first17)
    if broken:
        check = "0" if check != "0" else "1"
    return first17 + check


def write_import_xlsx(
    path: Path, rows: int, bad: int, school_codes: list[str], foreign_code: str, rng: random.Random
) -> dict:
    from openpyxl import Workbook

    bad_rows = set(rng.sample(range(1, rows), min(bad, rows - 1)))
    kinds = {
        "mobile": 0,
        "id_card": 0,
        "duplicate": 0,
        "school": 0,
        "scope": 0,
        "title": 0,
        "name": 0,
    }
    kind_cycle = list(kinds)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("教师")
    sheet.append(["姓名", "手机号", "身份证号", "学校代码", "称号", "电子邮箱"])
    first_mobile = ""
    for i in range(rows):
        mobile = f"{IMPORT_MOBILE_PREFIX}{i:09d}"
        first_mobile = first_mobile or mobile
        row = [
            rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
            mobile,
            import_id_card(i) if i % 2 == 0 else "",
            rng.choice(school_codes),
            rng.choice(TITLE_LABELS) if rng.random() < 0.05 else "",
            f"t{i}@example.cn" if rng.random() < 0.2 else "",
        ]
        if i in bad_rows:
            kind = kind_cycle[i % len(kind_cycle)]
            kinds[kind] += 1
            if kind == "mobile":
                row[1] = "1234567"
            elif kind == "id_card":
                row[2] = import_id_card(i, broken=True)
            elif kind == "duplicate":
                row[1] = first_mobile
            elif kind == "school":
                row[3] = "9999999999"
            elif kind == "scope":
                row[3] = foreign_code
            elif kind == "title":
                row[4] = "院士"
            else:
                row[0] = ""
        sheet.append(row)
    workbook.save(path)
    return {
        "rows": rows,
        "bad_rows": len(bad_rows),
        "bad_by_kind": kinds,
        "bytes": path.stat().st_size,
    }


def cleanup_import() -> int:
    """Delete teachers imported by a previous run (grants first, then people)."""
    from youke.orgs.models import Person, RoleGrant

    people = Person.objects.filter(mobile__startswith=IMPORT_MOBILE_PREFIX)
    RoleGrant.objects.filter(person__in=people)._raw_delete(RoleGrant.objects.db)
    return people._raw_delete(Person.objects.db)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def bench_import(rows: int, bad: int, use_tracemalloc: bool, keep: bool) -> dict:
    from django.core.files import File

    from youke.core.actor import Actor
    from youke.core.domain import jobs
    from youke.core.enums import AuditAction
    from youke.core.models import AuditEvent, Job
    from youke.orgs.domain import imports  # noqa: F401  (registers the job handlers)
    from youke.orgs.enums import UnitKind
    from youke.orgs.models import Person, Unit

    rng = random.Random(7)
    removed = cleanup_import()
    if removed:
        print(f"removed {removed:,} teachers left by an earlier import run")
    admin = Person.objects.select_related("unit").get(username=ADMINS["county"])
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True)
    codes = list(schools.filter(path__under=admin.unit.path).values_list("code", flat=True))
    foreign = schools.exclude(path__under=admin.unit.path).values_list("code", flat=True)[0]

    path = OUT_DIR / "import_teachers.xlsx"
    started = time.perf_counter()
    info = write_import_xlsx(path, rows, bad, codes, foreign, rng)
    info["xlsx_write_s"] = round(time.perf_counter() - started, 2)
    info["schools_in_scope"] = len(codes)

    last_audit = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    actor = Actor(person=admin, ip="127.0.0.1")
    with open(path, "rb") as handle, mock.patch.object(jobs, "_enqueue", lambda job_id: None):
        job = jobs.create_job(
            actor,
            "orgs.import_teachers",
            upload=File(handle, name=path.name),
            params={"ip": "127.0.0.1"},
        )

    gc.collect()
    rss_before = rss_mb()
    if use_tracemalloc:
        tracemalloc.start()
    cpu_started = time.process_time()
    started = time.perf_counter()
    jobs.run(job.pk)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = tracemalloc.get_traced_memory()[1] if use_tracemalloc else None
    if use_tracemalloc:
        tracemalloc.stop()
    rss_after = rss_mb()

    job = Job.objects.get(pk=job.pk)
    result = job.result or {}
    info.update(
        {
            "job_state": job.state,
            "job_message": job.message,
            "created": result.get("created"),
            "updated": result.get("updated"),
            "failed": result.get("failed"),
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "rows_per_s": round(rows / wall, 1),
            "tracemalloc": use_tracemalloc,
            "tracemalloc_peak_mb": round(peak / 2**20, 1) if peak is not None else None,
            "ru_maxrss_before_mb": round(rss_before, 1),
            "ru_maxrss_after_mb": round(rss_after, 1),
            "ru_maxrss_growth_mb": round(rss_after - rss_before, 1),
        }
    )
    if not keep:
        cleanup_import()
        AuditEvent.objects.filter(pk__gt=last_audit, action=AuditAction.IMPORT)._raw_delete(
            AuditEvent.objects.db
        )
    return info


def print_import(info: dict) -> None:
    print("\n== Teacher import (orgs.import_teachers job, in-process) ==")
    print(
        table(
            ["figure", "value"],
            [
                [k, v if not isinstance(v, dict) else json.dumps(v, ensure_ascii=False)]
                for k, v in info.items()
                if k != "job_message"
            ],
        )
    )
    print(f"   job message: {info['job_message']}")


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # Background jobs of a non-interactive shell ignore SIGINT; make both signals stop the
    # run cleanly so the server subprocess is always shut down.
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    meta_path = args.data_dir / META_FILE
    if not meta_path.exists():
        sys.exit(f"{meta_path} not found: run bench/generate_orgs.py first")
    meta = json.loads(meta_path.read_text())
    setup_django(args.data_dir)

    import django
    from django.db import connection

    from youke.orgs.models import Person, RoleGrant, Unit

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    report: dict = {
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": connection.vendor,
            "sqlite": __import__("sqlite3").sqlite_version
            if connection.vendor == "sqlite"
            else None,
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
        },
        "data": {
            "units": Unit.objects.count(),
            "people": Person.objects.count(),
            "grants": RoleGrant.objects.count(),
            "generated": meta,
        },
    }
    print(
        f"data: {report['data']['units']:,} units, {report['data']['people']:,} people, "
        f"{report['data']['grants']:,} grants ({connection.vendor})"
    )

    def note_load(section: str) -> None:
        load = [round(x, 2) for x in os.getloadavg()]
        report.setdefault("loadavg_1_5_15", {})[section] = load
        print(f"\n[{section}] load average before: {load} on {os.cpu_count()} CPUs")

    if not args.skip_queries:
        note_load("queries")
        report["queries"] = bench_queries(args.repeat)
        print_queries(report["queries"])
    if not args.skip_http:
        note_load("http")
        connection.close()
        report["http"] = bench_http(
            args.data_dir, meta["password"], args.requests, args.threads, args.port
        )
        print_http(report["http"])
    if not args.skip_import:
        note_load("import")
        report["import"] = bench_import(
            args.import_rows, args.bad_rows, not args.no_tracemalloc, args.keep_import
        )
        print_import(report["import"])

    note_load("end")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
