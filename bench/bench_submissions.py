"""Submission lists against the data made by bench/generate_submissions.py (BRIEF §8, issue 3).

1. Query counts (in-process, Django test client + ``CaptureQueriesContext``): each page at
   two page sizes / positions / row counts, to show the number of queries does not grow
   with the rows shown; the slowest SQL of each page with its query plan.
2. HTTP: ``youke serve --no-worker`` in a subprocess; session log-ins through the real form
   as ``bench_teacher`` (/my/submissions/, ~20 packages), ``bench_school_big`` (the big
   school, ~2,000 packages: /manage/submissions/ page 1 and 10, unfiltered and filtered),
   ``bench_school`` (an ordinary school), ``bench_county`` (/manage/submissions/counts/),
   and the API list /api/v1/submissions with a bearer token (skipped with a note if 404).
   N requests each sequentially on a keep-alive connection and N over T threads, after 5
   warm-up requests: p50 / p95 / max latency and requests/s.

    .venv/bin/python bench/bench_submissions.py [--data-dir bench/out/subs] [--requests 200]

Prints plain-text tables and writes the figures as JSON (default bench/out/submissions.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import sys
import time
from pathlib import Path
from unittest import mock

from bench_orgs import Client, Server, explain, free_port, issue_token, login, measure
from common import META_FILE, OUT_DIR, print_http_result, setup_django, stop_on_signal, table

DEFAULT_SUBS_DIR = OUT_DIR / "subs"
API_LIST = "/api/v1/submissions"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_SUBS_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "submissions.json")
    parser.add_argument("--requests", type=int, default=200, help="requests per URL and pass")
    parser.add_argument("--threads", type=int, default=4, help="threads of the concurrent pass")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    return parser.parse_args(argv)


def targets(meta: dict) -> list[dict]:
    """The pages measured: who asks, which URL, what it shows."""
    campaign = meta["campaign_id"]
    big = meta["school_admins"]["school_big"]["username"]
    school = meta["school_admins"]["school"]["username"]
    county = meta["admins"]["county"]["username"]
    filtered = f"/manage/submissions/?campaign={campaign}&state=submitted"
    return [
        {"label": "teacher: my submissions", "user": meta["teacher"], "url": "/my/submissions/"},
        {"label": "big school: list p1", "user": big, "url": "/manage/submissions/"},
        {"label": "big school: list p10", "user": big, "url": "/manage/submissions/?page=10"},
        {"label": "big school: filtered p1", "user": big, "url": filtered},
        {"label": "big school: filtered p10", "user": big, "url": filtered + "&page=10"},
        {
            "label": "big school: check=failed p1",
            "user": big,
            "url": "/manage/submissions/?check=failed",
        },
        {"label": "school: list p1", "user": school, "url": "/manage/submissions/"},
        {
            "label": "county: counts",
            "user": county,
            "url": f"/manage/submissions/counts/?campaign={campaign}",
        },
        {"label": "API list (token)", "user": big, "url": API_LIST, "api": True},
    ]


def rows_shown(body: bytes) -> int | None:
    """Rows of the page's main table (a rough sanity check of what was served)."""
    text = body.decode(errors="replace")
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        items = data.get("items", data.get("results"))
        return len(items) if isinstance(items, list) else None
    match = re.search(
        r'<table[^>]*id="(?:submission|count)-table".*?<tbody>(.*?)</tbody>', text, re.S
    )
    return match.group(1).count("<tr") if match else None


# --- query counts (in-process) ----------------------------------------------------------------


def query_counts(meta: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from youke.manage.views import common
    from youke.orgs.models import Person
    from youke.submissions.models import Submission

    campaign = meta["campaign_id"]
    big = meta["school_admins"]["school_big"]["username"]
    # A teacher of the big school with few packages, to compare with bench_teacher's 20.
    few = (
        Submission.objects.filter(unit__code=meta["school_admins"]["school_big"]["unit_code"])
        .values_list("teacher__username", flat=True)
        .order_by("teacher_id")
        .first()
    )
    # Generated teachers must change their password first (the page would redirect); this
    # is scratch data, so let this one in.
    Person.objects.filter(username=few).update(must_change_password=False)
    cases = [
        ("teacher: my submissions", meta["teacher"], "/my/submissions/", None),
        ("teacher: my submissions", few, "/my/submissions/", None),
        ("big school: list", big, "/manage/submissions/", 50),
        ("big school: list", big, "/manage/submissions/?page=10", 50),
        ("big school: list", big, "/manage/submissions/", 200),
        ("big school: list", big, "/manage/submissions/?page=10", 200),
        (
            "big school: filtered",
            big,
            f"/manage/submissions/?campaign={campaign}&state=submitted",
            50,
        ),
        (
            "big school: filtered",
            big,
            f"/manage/submissions/?campaign={campaign}&state=submitted",
            200,
        ),
        ("big school: check=failed", big, "/manage/submissions/?check=failed", 50),
        ("big school: check=failed", big, "/manage/submissions/?check=failed", 200),
        ("school: list", meta["school_admins"]["school"]["username"], "/manage/submissions/", 50),
        (
            "county: counts",
            meta["admins"]["county"]["username"],
            f"/manage/submissions/counts/?campaign={campaign}",
            None,
        ),
        ("city: counts", meta["admins"]["city"]["username"], "/manage/submissions/counts/", None),
        ("API list", big, API_LIST, None),
        ("API list", big, API_LIST + "?page=2", None),
    ]
    results = []
    clients: dict[str, TestClient] = {}
    for label, username, url, page_size in cases:
        client = clients.get(username)
        if client is None:
            client = clients[username] = TestClient(SERVER_NAME="127.0.0.1")
            client.force_login(Person.objects.get(username=username))
        patch = mock.patch.object(common, "PAGE_SIZE", page_size) if page_size else mock.MagicMock()
        with patch:
            client.get(url)  # warm caches (session, templates)
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
        if response.status_code == 404 and url.startswith("/api/"):
            results.append({"page": label, "user": username, "url": url, "status": 404})
            continue
        queries = [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in ctx.captured_queries]
        slowest = sorted(queries, key=lambda q: q["ms"], reverse=True)[:3]
        results.append(
            {
                "page": label,
                "user": username,
                "url": url,
                "page_size": page_size or "",
                "status": response.status_code,
                "rows": rows_shown(response.content),
                "queries": len(queries),
                "sql_ms": round(sum(q["ms"] for q in queries), 1),
                "ms": round(elapsed, 1),
                "slowest": slowest,
            }
        )
    return results


def plans(results: list[dict]) -> dict[str, list[str]]:
    """Query plans of the slowest statement of each distinct page (SQLite / PostgreSQL)."""
    out: dict[str, list[str]] = {}
    for r in results:
        if r.get("status") != 200 or not r.get("slowest") or r["page"] in out:
            continue
        sql = r["slowest"][0]["sql"]
        try:
            out[r["page"]] = [f"[{r['slowest'][0]['ms']:.1f} ms] {sql}", *explain(sql, None)]
        except Exception as exc:  # noqa: BLE001 (captured SQL has params inlined; best effort)
            out[r["page"]] = [sql, f"(no plan: {exc})"]
    return out


def print_queries(results: list[dict], query_plans: dict[str, list[str]]) -> None:
    print("\n== SQL queries per page (in-process test client; ms = whole request) ==")
    print(
        table(
            ["page", "user", "url", "page size", "status", "rows", "queries", "SQL ms", "ms"],
            [
                [
                    r["page"],
                    r["user"],
                    r["url"],
                    r.get("page_size", ""),
                    r["status"],
                    "" if r.get("rows") is None else r["rows"],
                    r.get("queries", ""),
                    r.get("sql_ms", ""),
                    r.get("ms", ""),
                ]
                for r in results
            ],
        )
    )
    for page, lines in query_plans.items():
        print(f"\n-- slowest query of {page}: {lines[0][:400]}")
        for line in lines[1:]:
            print(f"   | {line}")


# --- HTTP --------------------------------------------------------------------------------------


def bench_http(data_dir: Path, meta: dict, n: int, threads: int, port: int) -> dict:
    port = port or free_port()
    password = meta["password"]
    runs, checks, notes = [], {}, []
    pages = targets(meta)
    token = issue_token(data_dir, meta["school_admins"]["school_big"]["username"])
    with Server(data_dir, port, OUT_DIR / "serve-submissions.log"):
        cookies: dict[str, str] = {}
        for page in pages:
            if page.get("api"):
                headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            else:
                if page["user"] not in cookies:
                    cookies[page["user"]] = login(port, page["user"], password)
                headers = {"Cookie": cookies[page["user"]]}
            client = Client(port, headers)
            status, body, _seconds = client.get(page["url"])
            if status == 404 and page.get("api"):
                client.close()
                note = f"{page['url']} answered 404 (not there yet): skipped"
                print(note)
                notes.append(note)
                continue
            for _ in range(5):  # warm-up, not counted
                client.get(page["url"])
            client.close()
            if status != 200:
                raise RuntimeError(f"GET {page['url']} -> HTTP {status}: {body[:300]!r}")
            checks[page["label"]] = {"rows": rows_shown(body), "bytes": len(body)}
            for t in (1, threads):
                print(f"  {page['label']}: {n} requests, {t} thread(s) …", flush=True)
                run = measure(port, page["url"], headers, n, t)
                run["label"] = page["label"]
                run["user"] = page["user"]
                runs.append(run)
    return {
        "port": port,
        "checks": checks,
        "notes": notes,
        "runs": runs,
        "web_workers": os.environ.get("YOUKE_WEB_WORKERS", "2 (default)"),
        "web_threads": os.environ.get("YOUKE_WEB_THREADS", "4 (default)"),
    }


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    meta_path = args.data_dir / META_FILE
    if not meta_path.exists():
        sys.exit(f"{meta_path} not found: run bench/generate_submissions.py first")
    meta = json.loads(meta_path.read_text())
    setup_django(args.data_dir)

    import django
    from django.db import connection

    from youke.submissions.models import Material, Submission

    report: dict = {
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": connection.vendor,
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
        },
        "data": {
            "submissions": Submission.objects.count(),
            "materials": Material.objects.count(),
            "generated": meta,
        },
    }
    print(
        f"data: {report['data']['submissions']:,} submissions, "
        f"{report['data']['materials']:,} materials ({connection.vendor}); "
        f"shares {json.dumps(meta['shares'], ensure_ascii=False)}"
    )

    def note_load(section: str) -> None:
        load = [round(x, 2) for x in os.getloadavg()]
        report.setdefault("loadavg_1_5_15", {})[section] = load
        print(f"\n[{section}] load average before: {load} on {os.cpu_count()} CPUs")

    if not args.skip_queries:
        note_load("queries")
        report["queries"] = query_counts(meta)
        report["plans"] = plans(report["queries"])
        print_queries(report["queries"], report["plans"])
    if not args.skip_http:
        note_load("http")
        connection.close()
        report["http"] = bench_http(args.data_dir, meta, args.requests, args.threads, args.port)
        print_http_result(report["http"])
    note_load("end")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
