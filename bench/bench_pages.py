"""List and detail pages through a real server, on SQLite or PostgreSQL (issue 14 items 2, 3, 6).

The pages of the issue's comparison with pretalx: the province inbox (page 1 of 100), the
school admin's submission list, the API entry list, the package page, the inbox entry page and
the expert's assignment page, the review round results (5,000 entries), the expert's queue
(1,500 assignments) and the public 公示 page of the 5,000-entry province list (published on the
first run). For each:

1. queries (in-process, Django test client + ``CaptureQueriesContext``), with the rows shown;
2. one sequential client over ``youke serve --no-worker`` (gunicorn, ``YOUKE_WEB_WORKERS``
   2 × ``YOUKE_WEB_THREADS``): p50 / p95 / max of ``--requests`` requests after 5 warm-up ones;
3. wrk (``--wrk-threads`` 2, ``--wrk-connections`` 8, ``--wrk-seconds``) for requests/s.

Every response is checked: status 200 and its rows (50 rows on every list page — inbox, school
list, API, results, queue, 公示 — and the package title on a detail page) in the sequential client; status and a marker
string of the page in wrk (a Lua ``response`` hook counts the failures).

Data: bench/generate_submissions.py then bench/generate_selection.py, at 5,000 submissions /
10 experts / 15,000 reviews (``--generate``), or 100,000 / 200 / 20,000 with ``--large``. Set
``DATABASE_URL`` for PostgreSQL (the generators then load into it, in place).

    .venv/bin/python bench/bench_pages.py --generate                  # SQLite, 5,000
    DATABASE_URL=postgres://postgres@127.0.0.1/youke_bench \\
        .venv/bin/python bench/bench_pages.py --generate --data-dir bench/out/pages_pg
    .venv/bin/python bench/bench_pages.py --large --generate --data-dir bench/out/pages_large

Prints plain-text tables and writes the figures as JSON (default bench/out/pages.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_orgs import Client, Server, free_port, issue_token, login
from common import OUT_DIR, percentile, setup_django, stop_on_signal, table

SCALES = {  # submissions, experts, reviews (3 per entry of the province list)
    "default": {"submissions": 5_000, "teachers": 5_000, "schools": 500, "experts": 10,
                "reviews": 15_000, "big_list": 5_000},
    "large": {"submissions": 100_000, "teachers": 40_000, "schools": 2_000, "experts": 200,
              "reviews": 20_000, "big_list": 100_000},
}  # fmt: skip
WARM_UP = 5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "pages")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "pages.json")
    parser.add_argument("--large", action="store_true", help="100,000 / 200 experts / 20,000")
    parser.add_argument("--generate", action="store_true", help="(re)generate the data first")
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per page")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--only", default="", help="comma-separated page keys to run")
    parser.add_argument("--skip-http", action="store_true")
    return parser.parse_args(argv)


# --- data ------------------------------------------------------------------------------------


def generate(data_dir: Path, scale: dict) -> None:
    """Submissions, then selection data (copied on SQLite, in place on PostgreSQL)."""
    here = Path(__file__).resolve().parent
    python = sys.executable
    postgres = bool(os.environ.get("DATABASE_URL"))
    subs_dir = data_dir if postgres else data_dir.with_name(data_dir.name + "_subs")
    subprocess.run(
        [python, str(here / "generate_submissions.py"), "--data-dir", str(subs_dir), "--force",
         "--submissions", str(scale["submissions"]), "--teachers", str(scale["teachers"]),
         "--schools", str(scale["schools"])],
        check=True,
    )  # fmt: skip
    selection = [python, str(here / "generate_selection.py"), "--data-dir", str(data_dir),
                 "--experts", str(scale["experts"]), "--reviews", str(scale["reviews"]),
                 "--big-list", str(scale["big_list"])]  # fmt: skip
    if postgres:
        selection.append("--in-place")
    else:
        selection += ["--source", str(subs_dir), "--force"]
    subprocess.run(selection, check=True)


# --- the pages -------------------------------------------------------------------------------


def page_cases(data_dir: Path) -> list[dict]:
    """Each page: who opens it, its URL, how many rows it must show and a marker for wrk."""
    from youke.selection.models import Assignment, LevelEntry
    from youke.submissions.models import Submission

    meta = json.loads((data_dir / "bench_meta.json").read_text())
    sel = json.loads((data_dir / "selection_meta.json").read_text())
    province = meta["admins"]["province"]["username"]
    county = meta["admins"]["county"]["username"]
    school = meta["school_admins"]["school_big"]["username"]
    teacher = meta["teacher"]
    expert = sel["expert_100"]
    entry = (
        LevelEntry.objects.filter(level_id=sel["levels"]["province"], unit_id=sel["province_unit"])
        .order_by("submission__node__path", "id")
        .select_related("submission")
        .first()
    )
    own = (
        Submission.objects.filter(teacher__username=teacher, level_entries__isnull=False)
        .order_by("pk")
        .first()
    ) or Submission.objects.filter(teacher__username=teacher).order_by("pk").first()
    assignment = (
        Assignment.objects.filter(expert__username=expert)
        .select_related("entry__submission")
        .order_by("pk")
        .first()
    )
    return [
        {"key": "inbox", "label": "province inbox (page 1)", "user": province,
         "url": "/manage/selection/", "rows": 50, "pattern": r'id="entry-\d+"',
         "marker": 'id="entry-'},
        {"key": "county_inbox", "label": "county inbox (page 1)", "user": county,
         "url": "/manage/selection/", "rows": 50, "pattern": r'id="entry-\d+"',
         "marker": 'id="entry-'},
        {"key": "school", "label": "school submission list", "user": school,
         "url": "/manage/submissions/", "rows": 50, "pattern": r'href="/my/submissions/\d+/"',
         "marker": 'href="/my/submissions/'},
        {"key": "api", "label": "API entries", "user": province, "api": True,
         "url": "/api/v1/selection/entries", "rows": 50, "marker": '"items"'},
        {"key": "package", "label": "package detail", "user": teacher,
         "url": f"/my/submissions/{own.pk}/", "rows": 1, "text": own.title, "marker": own.title},
        {"key": "entry", "label": "entry detail", "user": province,
         "url": f"/manage/selection/entries/{entry.pk}/", "rows": 1,
         "text": entry.submission.title, "marker": entry.submission.title},
        {"key": "assignment", "label": "assignment (expert)", "user": expert,
         "url": f"/manage/reviews/assignments/{assignment.pk}/", "rows": 1,
         "text": assignment.entry.submission.title, "marker": "name=\"comment\""},
        {"key": "results", "label": "review round results (page 1)", "user": province,
         "url": f"/manage/reviews/rounds/{sel['round']}/results/", "rows": 50,
         "section": 'id="results"', "pattern": r"<tr><td>", "marker": 'id="totals"'},
        {"key": "queue", "label": "expert queue (page 1)", "user": expert,
         "url": "/manage/reviews/queue/", "rows": 50,
         "pattern": r'href="/manage/reviews/assignments/\d+/"', "marker": "assignments/"},
        {"key": "publicity", "label": "public 公示 page (page 1)", "user": None,
         "url": f"/public/publicity/{ensure_publicity(sel, province)}/", "rows": 50,
         "pattern": r'data-entry="\d+"', "marker": 'data-entry="'},
    ]  # fmt: skip


def ensure_publicity(sel: dict, admin_username: str) -> int:
    """The big confirmed province list published as 公示 (opened once, kept for later runs)."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from youke.campaigns.models import Campaign, Level
    from youke.core.actor import Actor
    from youke.orgs.models import Person, Unit
    from youke.selection.domain import publicity
    from youke.selection.models import Publicity

    level = Level.objects.get(pk=sel["levels"]["province"])
    unit = Unit.objects.get(pk=sel["province_unit"])
    existing = Publicity.objects.filter(level=level, unit=unit).order_by("pk").first()
    if existing:
        return existing.pk
    admin = Person.objects.get(username=admin_username)
    now = timezone.now()
    with transaction.atomic():
        opened = publicity.open_publicity(
            Actor(admin), Campaign.objects.get(pk=sel["campaign_id"]), level, unit,
            starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=60),
            title="基准省级推荐结果公示",
        )  # fmt: skip
    return opened.pk


def rows_of(case: dict, body: bytes) -> int:
    if case.get("api"):
        return len(json.loads(body)["items"])
    html = body.decode()
    if "section" in case:  # rows of one table only: from its marker to its end
        html = html.split(case["section"], 1)[-1].split("</table>", 1)[0]
        return len(re.findall(case["pattern"], html))
    if "pattern" in case:
        return len(set(re.findall(case["pattern"], html)))
    return int(case["text"] in html)


def query_counts(cases: list[dict]) -> list[dict]:
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from youke.orgs.models import Person

    results = []
    for case in cases:
        client = DjangoClient(SERVER_NAME="127.0.0.1")
        if case["user"]:
            client.force_login(Person.objects.get(username=case["user"]))
        headers = {"HTTP_ACCEPT": "application/json"} if case.get("api") else {}
        client.get(case["url"], **headers)  # per-process caches (content types, translations)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(case["url"], **headers)
            ms = (time.perf_counter() - started) * 1000
        rows = rows_of(case, response.content) if response.status_code == 200 else 0
        results.append(
            {"page": case["label"], "status": response.status_code, "rows": rows,
             "expected": case["rows"], "queries": len(ctx.captured_queries),
             "sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000, 1),
             "in_process_ms": round(ms, 1)}
        )  # fmt: skip
    return results


# --- HTTP ------------------------------------------------------------------------------------

WRK_LUA = """
local marker = os.getenv("BENCH_MARKER")
local threads = {}
bad = 0
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, marker, 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("BAD %d\\n", total))
end
"""


def run_wrk(port: int, case: dict, headers: dict, args: argparse.Namespace) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(WRK_LUA)
        script = handle.name
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.wrk_connections),
               "-d", f"{args.wrk_seconds}s", "--latency", "-s", script]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{case['url']}")
    env = dict(os.environ, BENCH_MARKER=case["marker"])
    try:
        out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    finally:
        os.unlink(script)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "wrk_req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "wrk_requests": requests,
        "wrk_bad": int(re.search(r"BAD (\d+)", out).group(1)),
        "wrk_p50_ms": _wrk_ms(re.search(r"50%\s+([\d.]+)(us|ms|s)", out)),
    }


def _wrk_ms(match) -> float:
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 1)


def sequential(port: int, case: dict, headers: dict, n: int) -> dict:
    client = Client(port, headers)
    latencies, bad = [], 0
    try:
        for i in range(WARM_UP + n):
            status, body, seconds = client.get(case["url"])
            if i < WARM_UP:
                continue
            latencies.append(seconds * 1000)
            if status != 200 or rows_of(case, body) != case["rows"]:
                bad += 1
    finally:
        client.close()
    return {
        "requests": len(latencies),
        "bad": bad,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
    }


def bench_http(data_dir: Path, cases: list[dict], args: argparse.Namespace, password: str):
    port = args.port or free_port()
    results = []
    with Server(data_dir, port, OUT_DIR / "serve-pages.log") as server:
        cookies: dict[str, str] = {}
        for case in cases:
            if case.get("api"):
                token = issue_token(data_dir, case["user"])
                headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            elif case["user"] is None:
                headers = {}
            else:
                if case["user"] not in cookies:
                    cookies[case["user"]] = login(port, case["user"], password)
                headers = {"Cookie": cookies[case["user"]]}
            row = {"page": case["label"], **sequential(port, case, headers, args.requests)}
            row.update(run_wrk(port, case, headers, args))
            results.append(row)
            print(f"   {case['label']}: done", flush=True)
        memory = server.memory()
    return results, memory


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_signal)
    scale = SCALES["large" if args.large else "default"]
    if args.generate:
        generate(args.data_dir, scale)
    if not args.skip_http and shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk (or pass --skip-http)")
    setup_django(args.data_dir)
    from django.db import connection

    meta = json.loads((args.data_dir / "bench_meta.json").read_text())
    cases = page_cases(args.data_dir)
    if args.only:
        cases = [c for c in cases if c["key"] in args.only.split(",")]
    vendor = connection.vendor
    print(f"== pages on {vendor}, data {args.data_dir} ({platform.node()}, {os.cpu_count()} CPUs)")
    counts = query_counts(cases)
    print("\n== queries (in-process, second request) ==")
    keys = ["page", "status", "rows", "expected", "queries", "sql_ms", "in_process_ms"]
    print(table(keys, [[r[k] for k in keys] for r in counts]))
    connection.close()
    http, memory = [], []
    if not args.skip_http:
        http, memory = bench_http(args.data_dir, cases, args, meta["password"])
        print(f"\n== HTTP (youke serve; sequential {args.requests} + wrk "
              f"-t{args.wrk_threads} -c{args.wrk_connections} -d{args.wrk_seconds}s) ==")  # fmt: skip
        keys = ["page", "requests", "bad", "p50_ms", "p95_ms", "max_ms", "wrk_req_per_s",
                "wrk_requests", "wrk_bad", "wrk_p50_ms"]  # fmt: skip
        print(table(keys, [[r[k] for k in keys] for r in http]))
        print("\n== server processes after the pages (MiB) ==")
        keys = ["pid", "command", "rss_mib", "peak_rss_mib"]
        print(table(keys, [[r[k] for k in keys] for r in memory]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "vendor": vendor,
                "data_dir": str(args.data_dir),
                "queries": counts,
                "http": http,
                "memory": memory,
            },
            ensure_ascii=False,
            indent=2,
        )  # fmt: skip
    )
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
