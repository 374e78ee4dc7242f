"""Multi-level selection against the data made by bench/generate_selection.py (BRIEF §8, issue 4).

1. Summary sheet (in-process): the ``selection.summary_sheet`` job for the big confirmed list
   run with ``jobs.run`` — wall time, rows/s, queries, peak RSS growth (``VmRSS`` sampled
   from /proc/self/status every 20 ms, and ``VmHWM`` after resetting it through
   /proc/self/clear_refs), tracemalloc off. Runs first, so the baseline is a fresh process.
2. Ranking (in-process, median of ``--repeat``): ``propose_list`` over the biggest level/unit
   (the province list) without a round, with the review round, and with the round and R6
   switched on (the 精品课 template has R6 off; ``constraints.one_per_teacher`` patched);
   the county list; ``round_results`` of the 20,000-review round.
3. Automatic assignment (in-process): ``auto_assign`` on a fresh open round of N province
   entries and the 200-expert panel (3 reviews each, cap 100), for N in ``--assign-sizes``;
   a size whose extrapolated time (quadratic in N) exceeds ``--assign-budget`` seconds is
   skipped and the extrapolation reported. Each run is rolled back.
4. Query counts (in-process test client + ``CaptureQueriesContext``) of the county inbox
   (page 1 and a later page, page size 50 and 200), the expert queue (10 and 100 rows) and the
   proposal page (a school, the county; the province with ``--big-proposal``).
5. HTTP against ``youke serve --no-worker``: the county inbox page 1 and a later page, the
   expert queue of an expert with 100 assignments and the county proposal page — N requests
   sequentially and N over T threads after 5 warm-up requests: p50 / p95 / max, requests/s.

    .venv/bin/python bench/bench_selection.py [--data-dir bench/out/selection] [--requests 100]

Prints plain-text tables and writes the figures as JSON (default bench/out/selection.json).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import signal
import sys
import threading
import time
from pathlib import Path
from unittest import mock

from bench_orgs import Client, Server, free_port, login, measure
from common import OUT_DIR, median, print_http_result, setup_django, stop_on_signal, table
from generate_selection import DEFAULT_DIR, SELECTION_META

LATER_PAGE = 40


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "selection.json")
    parser.add_argument("--requests", type=int, default=100, help="requests per URL and pass")
    parser.add_argument("--threads", type=int, default=4, help="threads of the concurrent pass")
    parser.add_argument("--repeat", type=int, default=3, help="runs per in-process timing")
    parser.add_argument("--assign-sizes", default="500,1000,2000,5000")
    parser.add_argument("--assign-budget", type=float, default=300.0, help="seconds per size")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--big-proposal", action="store_true", help="render the province page")
    for name in ("sheet", "ranking", "assign", "queries", "http"):
        parser.add_argument(f"--skip-{name}", action="store_true")
    return parser.parse_args(argv)


# --- memory -------------------------------------------------------------------------------------


def _status(field: str) -> float:
    """A ``Vm*`` line of /proc/self/status in MB."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


class RssSampler(threading.Thread):
    def __init__(self, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.peak = _status("VmRSS")
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _status("VmRSS"))
            time.sleep(self.every)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return max(self.peak, _status("VmRSS"))


def _reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM to the current RSS (Linux ≥ 4.0)
        return True
    except OSError:
        return False


class QueryCounter:
    """Counts statements without keeping them (CaptureQueriesContext would hold 100k rows' SQL)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


# --- 1. summary sheet ---------------------------------------------------------------------


def bench_sheet(sel: dict, meta: dict) -> dict:
    from django.db import connection

    from youke.core.actor import Actor
    from youke.core.domain import jobs
    from youke.core.models import Job
    from youke.orgs.models import Person
    from youke.selection.domain import summary
    from youke.selection.models import LevelList

    level_list = LevelList.objects.select_related("unit").get(pk=sel["big_list"])
    admin = Person.objects.get(username=meta["admins"]["province"]["username"])
    rows = summary.recommended_entries(level_list).count()
    job = jobs.create_job(
        Actor(admin),
        summary.JOB_KIND,
        unit=level_list.unit,
        params={"level_list": level_list.pk},
        enqueue=False,
    )
    gc.collect()
    hwm_reset = _reset_hwm()
    rss_before = _status("VmRSS")
    sampler = RssSampler()
    sampler.start()
    counter = QueryCounter()
    print(f"  summary sheet of list {level_list.pk}: {rows:,} rows …", flush=True)
    cpu = time.process_time()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        jobs.run(job.pk)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = sampler.stop()
    hwm = _status("VmHWM")
    job = Job.objects.get(pk=job.pk)
    size = job.output_file.size if job.output_file else None
    return {
        "list": level_list.pk,
        "rows": rows,
        "job_state": job.state,
        "job_rows": (job.result or {}).get("rows"),
        "job_message": job.message,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "rows_per_s": round(rows / wall, 1) if wall else None,
        "queries": counter.n,
        "file_mb": round(size / 1e6, 2) if size else None,
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_sampled_mb": round(peak, 1),
        "rss_growth_sampled_mb": round(peak - rss_before, 1),
        "vmhwm_mb": round(hwm, 1),
        "vmhwm_growth_mb": round(hwm - rss_before, 1) if hwm_reset else None,
        "tracemalloc": False,
    }


def print_sheet(info: dict) -> None:
    print("\n== Summary sheet (selection.summary_sheet job, in-process, tracemalloc off) ==")
    print(table(["figure", "value"], [[k, "" if v is None else v] for k, v in info.items()]))


# --- 2. ranking ------------------------------------------------------------------------------


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def bench_ranking(sel: dict, repeat: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from youke.campaigns.models import Campaign, Level
    from youke.orgs.models import Unit
    from youke.selection.domain import constraints
    from youke.selection.domain.proposal import propose_list
    from youke.selection.domain.review import round_results
    from youke.selection.models import LevelEntry, ReviewRound

    campaign = Campaign.objects.get(pk=sel["campaign_id"])
    province_level = Level.objects.get(pk=sel["levels"]["province"])
    county_level = Level.objects.get(pk=sel["levels"]["county"])
    province = Unit.objects.get(pk=sel["province_unit"])
    county = Unit.objects.get(pk=sel["county_unit"])
    review_round = ReviewRound.objects.get(pk=sel["round"])
    r6_on = mock.patch.object(constraints, "one_per_teacher", lambda _campaign: True)
    cases = [
        ("propose_list province, no round", lambda: propose_list(campaign, province_level, province), None),
        (
            "propose_list province + round",
            lambda: propose_list(campaign, province_level, province, round=review_round),
            None,
        ),
        (
            "propose_list province + round + R6",
            lambda: propose_list(campaign, province_level, province, round=review_round),
            r6_on,
        ),
        ("propose_list county, no round", lambda: propose_list(campaign, county_level, county), None),
        ("round_results (20k reviews)", lambda: round_results(review_round), None),
    ]  # fmt: skip
    results = []
    for label, fn, patch in cases:
        print(f"  {label} …", flush=True)
        with patch or mock.MagicMock(), CaptureQueriesContext(connection) as ctx:
            times, out = _timed(fn, repeat)
        queries = len(ctx.captured_queries) // repeat
        if isinstance(out, tuple):  # round_results
            entries, experts = out
            detail = {
                "entries": len(entries),
                "ranked": sum(1 for e in entries if e.rank),
                "reviews": sum(e.reviews for e in entries),
                "experts": len(experts),
            }
        else:
            skipped: dict[str, int] = {}
            for row in out:
                if not row.proposed:
                    key = re.sub(r"《[^》]*》|[（(][^）)]*[）)]|\d+", "…", row.skip_reason)
                    skipped[key] = skipped.get(key, 0) + 1
            detail = {
                "entries": len(out),
                "proposed": sum(1 for r in out if r.proposed),
                "scored": sum(1 for r in out if r.score is not None),
                "skipped": skipped,
            }
        results.append(
            {
                "label": label,
                "runs_s": [round(t, 3) for t in times],
                "median_s": round(median(times), 3),
                "queries": queries,
                **detail,
            }
        )
        del out
    results[0]["level_entries_total"] = LevelEntry.objects.count()
    return results


def print_ranking(results: list[dict]) -> None:
    print("\n== Ranking (in-process; median of runs) ==")
    print(
        table(
            ["work", "entries", "proposed/ranked", "scored/reviews", "queries", "median s", "runs"],
            [
                [
                    r["label"],
                    r["entries"],
                    r.get("proposed", r.get("ranked")),
                    r.get("scored", r.get("reviews")),
                    r["queries"],
                    r["median_s"],
                    ", ".join(f"{t:.2f}" for t in r["runs_s"]),
                ]
                for r in results
            ],
        )
    )
    for r in results:
        if r.get("skipped"):
            print(f"   {r['label']}: skipped {json.dumps(r['skipped'], ensure_ascii=False)}")


# --- 3. automatic assignment ---------------------------------------------------------------


class _Rollback(Exception):
    """Raised to roll a measured run back."""


def _assign_once(sel: dict, meta: dict, n: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from youke.core.actor import Actor
    from youke.orgs.models import Person
    from youke.selection.domain.assignment import auto_assign
    from youke.selection.enums import RoundState
    from youke.selection.models import Assignment, LevelEntry, ReviewRound, RoundExpert

    admin = Person.objects.get(username=meta["admins"]["province"]["username"])
    experts = list(
        RoundExpert.objects.filter(round_id=sel["round"]).values_list("expert_id", flat=True)
    )
    taken = ReviewRound.entries.through.objects.filter(reviewround_id=sel["round"]).values(
        "levelentry_id"
    )
    entry_ids = list(
        LevelEntry.objects.filter(level_id=sel["levels"]["province"], unit_id=sel["province_unit"])
        .exclude(pk__in=taken)
        .order_by("id")
        .values_list("pk", flat=True)[:n]
    )
    cap = max(20, -(-3 * len(entry_ids) // len(experts)) + 25)
    info: dict = {"entries": len(entry_ids), "experts": len(experts), "max_load": cap}
    try:
        with transaction.atomic():
            fresh = ReviewRound.objects.create(
                campaign_id=sel["campaign_id"],
                level_id=sel["levels"]["province"],
                unit_id=sel["province_unit"],
                name=f"基准自动分配 {n}",
                reviews_per_entry=3,
                deadline=timezone.now() + timezone.timedelta(days=30),
                state=RoundState.OPEN,
            )
            fresh.entries.set(entry_ids)
            RoundExpert.objects.bulk_create(
                [RoundExpert(round=fresh, expert_id=e, max_load=cap) for e in experts]
            )
            gc.collect()
            started = time.perf_counter()
            report = auto_assign(Actor(admin), fresh)
            info["seconds"] = round(time.perf_counter() - started, 2)
            loads = dict.fromkeys(experts, 0)
            for expert_id in Assignment.objects.filter(round=fresh).values_list(
                "expert_id", flat=True
            ):
                loads[expert_id] += 1
            covered = Assignment.objects.filter(round=fresh).values("entry_id").distinct().count()
            info.update(
                {
                    "created": report.created,
                    "problems": len(report.problems),
                    "first_problem": report.problems[0][:200] if report.problems else "",
                    "min_load": min(loads.values()),
                    "max_load_seen": max(loads.values()),
                    "entries_covered": covered,
                }
            )
            raise _Rollback
    except _Rollback:
        pass
    return info


def bench_assign(sel: dict, meta: dict, sizes: list[int], budget: float) -> list[dict]:
    results = []
    last: tuple[int, float] | None = None
    for n in sizes:
        if last is not None:
            predicted = last[1] * (n / last[0]) ** 2
            if predicted > budget:
                print(f"  auto_assign {n:,}: skipped, predicted {predicted:,.0f} s", flush=True)
                results.append({"entries": n, "skipped": True, "predicted_s": round(predicted)})
                continue
        print(f"  auto_assign {n:,} entries …", flush=True)
        info = _assign_once(sel, meta, n)
        results.append(info)
        last = (n, max(info["seconds"], 0.01))
    return results


def print_assign(results: list[dict]) -> None:
    print("\n== auto_assign (in-process, fresh open round, rolled back) ==")
    rows = []
    for r in results:
        if r.get("skipped"):
            rows.append([r["entries"], "", "", "", "", "", "", f"skipped (~{r['predicted_s']} s)"])
            continue
        rows.append(
            [
                r["entries"],
                r["experts"],
                r["created"],
                r["entries_covered"],
                r["min_load"],
                r["max_load_seen"],
                r["problems"],
                r["seconds"],
            ]
        )
    print(
        table(
            ["entries", "experts", "created", "covered", "min load", "max load", "problems", "s"],
            rows,
        )
    )


# --- 4. query counts -------------------------------------------------------------------------


def rows_shown(body: bytes) -> int | None:
    text = body.decode(errors="replace")
    match = re.search(r'<table[^>]*id="(entry|proposal)-table".*?<tbody>(.*?)</tbody>', text, re.S)
    if match:
        return match.group(2).count("<tr id=")
    match = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    return match.group(1).count("<tr") if match else None


def page_cases(sel: dict, meta: dict, big_proposal: bool) -> list[tuple]:
    county = meta["admins"]["county"]["username"]
    school = meta["school_admins"]["school"]["username"]
    inbox = "/manage/selection/"
    cases = [
        ("county inbox", county, inbox, 50),
        ("county inbox", county, f"{inbox}?page={LATER_PAGE}", 50),
        ("county inbox", county, inbox, 200),
        ("county inbox", county, f"{inbox}?page={LATER_PAGE // 4}", 200),
        ("expert queue", sel["expert_few"], "/manage/reviews/queue/", None),
        ("expert queue", sel["expert_100"], "/manage/reviews/queue/", None),
        ("proposal", school, "/manage/selection/proposal/", None),
        ("proposal", county, "/manage/selection/proposal/", None),
    ]
    if big_proposal:
        province = meta["admins"]["province"]["username"]
        cases.append(("proposal (province)", province, "/manage/selection/proposal/", None))
    return cases


def query_counts(sel: dict, meta: dict, big_proposal: bool) -> list[dict]:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from youke.manage.views import common
    from youke.orgs.models import Person

    results = []
    clients: dict[str, TestClient] = {}
    for label, username, url, page_size in page_cases(sel, meta, big_proposal):
        client = clients.get(username)
        if client is None:
            client = clients[username] = TestClient(SERVER_NAME="127.0.0.1")
            client.force_login(Person.objects.get(username=username))
        patch = mock.patch.object(common, "PAGE_SIZE", page_size) if page_size else mock.MagicMock()
        print(f"  {label} {url} (page size {page_size or '-'}) …", flush=True)
        with patch:
            if "province" not in label:
                client.get(url)  # warm caches (session, templates)
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
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
                "bytes": len(response.content),
                "queries": len(queries),
                "sql_ms": round(sum(q["ms"] for q in queries), 1),
                "ms": round(elapsed, 1),
                "slowest": slowest,
            }
        )
    return results


def print_queries(results: list[dict]) -> None:
    print("\n== SQL queries per page (in-process test client; ms = whole request) ==")
    print(
        table(
            ["page", "user", "url", "page size", "status", "rows", "queries", "SQL ms", "ms"],
            [
                [
                    r["page"],
                    r["user"],
                    r["url"],
                    r["page_size"],
                    r["status"],
                    "" if r["rows"] is None else r["rows"],
                    r["queries"],
                    r["sql_ms"],
                    r["ms"],
                ]
                for r in results
            ],
        )
    )
    seen = set()
    for r in results:
        if r["page"] in seen or not r["slowest"]:
            continue
        seen.add(r["page"])
        top = r["slowest"][0]
        print(f"\n-- slowest query of {r['page']} [{top['ms']:.1f} ms]: {top['sql'][:400]}")


# --- 5. HTTP -----------------------------------------------------------------------------------


def bench_http(data_dir: Path, sel: dict, meta: dict, n: int, threads: int, port: int) -> dict:
    port = port or free_port()
    county = meta["admins"]["county"]["username"]
    pages = [
        ("county inbox p1", county, "/manage/selection/"),
        (f"county inbox p{LATER_PAGE}", county, f"/manage/selection/?page={LATER_PAGE}"),
        ("expert queue (100)", sel["expert_100"], "/manage/reviews/queue/"),
        ("county proposal", county, "/manage/selection/proposal/"),
    ]
    runs, checks = [], {}
    with Server(data_dir, port, OUT_DIR / "serve-selection.log"):
        cookies: dict[str, str] = {}
        for label, user, url in pages:
            if user not in cookies:
                cookies[user] = login(port, user, meta["password"])
            headers = {"Cookie": cookies[user]}
            client = Client(port, headers)
            status, body, _seconds = client.get(url)
            for _ in range(5):  # warm-up, not counted
                client.get(url)
            client.close()
            if status != 200:
                raise RuntimeError(f"GET {url} -> HTTP {status}: {body[:300]!r}")
            checks[label] = {"rows": rows_shown(body), "bytes": len(body)}
            for t in (1, threads):
                print(f"  {label}: {n} requests, {t} thread(s) …", flush=True)
                run = measure(port, url, headers, n, t)
                run["label"] = label
                run["user"] = user
                runs.append(run)
    return {
        "port": port,
        "checks": checks,
        "runs": runs,
        "web_workers": os.environ.get("YOUKE_WEB_WORKERS", "2 (default)"),
        "web_threads": os.environ.get("YOUKE_WEB_THREADS", "4 (default)"),
    }


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
    sel_path = args.data_dir / SELECTION_META
    if not sel_path.exists():
        sys.exit(f"{sel_path} not found: run bench/generate_selection.py first")
    sel = json.loads(sel_path.read_text())
    meta = json.loads((args.data_dir / "bench_meta.json").read_text())
    setup_django(args.data_dir)

    import django
    from django.db import connection

    from youke.selection.models import Assignment, LevelEntry, Score

    report: dict = {
        "environment": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": connection.vendor,
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
        },
        "data": {
            "level_entries": LevelEntry.objects.count(),
            "assignments": Assignment.objects.count(),
            "scores": Score.objects.count(),
            "generated": sel,
        },
    }
    print(
        f"data: {report['data']['level_entries']:,} level entries, "
        f"{report['data']['assignments']:,} assignments, {report['data']['scores']:,} scores "
        f"({connection.vendor}); {json.dumps(sel['counts'])}"
    )

    def note_load(section: str) -> None:
        load = [round(x, 2) for x in os.getloadavg()]
        report.setdefault("loadavg_1_5_15", {})[section] = load
        print(f"\n[{section}] load average before: {load} on {os.cpu_count()} CPUs")

    def save() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))

    if not args.skip_sheet:
        note_load("sheet")
        report["sheet"] = bench_sheet(sel, meta)
        print_sheet(report["sheet"])
        save()
    if not args.skip_ranking:
        note_load("ranking")
        report["ranking"] = bench_ranking(sel, args.repeat)
        print_ranking(report["ranking"])
        save()
    if not args.skip_assign:
        note_load("assign")
        sizes = [int(s) for s in args.assign_sizes.split(",") if s.strip()]
        report["assign"] = bench_assign(sel, meta, sizes, args.assign_budget)
        print_assign(report["assign"])
        save()
    if not args.skip_queries:
        note_load("queries")
        report["queries"] = query_counts(sel, meta, args.big_proposal)
        print_queries(report["queries"])
        save()
    if not args.skip_http:
        note_load("http")
        connection.close()
        report["http"] = bench_http(
            args.data_dir, sel, meta, args.requests, args.threads, args.port
        )
        print_http_result(report["http"])
    note_load("end")
    save()
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
