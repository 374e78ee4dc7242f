"""Library at scale: search quality on the judged query set, browse/search latency (issue 10).

Generates its own data into a fresh data dir (``--data-dir``, default bench/out/library; set
DATABASE_URL for PostgreSQL, then the database must be empty or ``--force`` given): the demo
curriculum catalog (3,333 lessons of real textbooks) and ``--lessons`` published library
lessons spread over every lesson node (each node at least once; titles vary with periods and
lesson types; descriptions sometimes name another lesson, so title-before-description
ranking is exercised), with heavy-tailed views and ratings.

Then:

- **quality**: every query of ``library_queries.json`` (what teachers type: titles, words,
  pinyin, initials, traditional characters, one or two characters) through
  ``library.domain.search``; recall@10 and nDCG@10 (binary gain: a result is relevant when
  its catalog lesson is one the query expects), per kind, and the ten worst queries;
- **latency, uncached** (the result lists invalidated before every request, as a counter
  flush does; "cold" rows clear the whole cache, as a publish does): the library page
  through Django's test client (whole middleware stack) for browse cases (root, a subject,
  a deep node, filters, sorts, deep pages) and for search (the judged queries and filtered
  searches); p50/p95 and query counts; also the domain calls alone;
- **cached**: the same browse page with the fragment cache warm, requests/s in one thread;
- **anonymous lesson page**: the WSGI application in a tight loop in this process, with the
  early page cache (``public/page_cache.py``) and with it taken out of the middleware, and
  the 304 answer; then the wrk command for the same page through ``youke serve``.

Search counts stop at ``search.COUNT_CAP`` (2,000), so "matches" shows 2,000 past it.

    .venv/bin/python bench/bench_library.py --quick          # 20,000 lessons
    .venv/bin/python bench/bench_library.py                  # 200,000 lessons
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youke_bench_library \\
        .venv/bin/python bench/bench_library.py --quick --force --data-dir bench/out/library_pg
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path

from common import BENCH_DIR, OUT_DIR, percentile, setup_django, table

DEFAULT_DIR = OUT_DIR / "library"
QUERIES = BENCH_DIR / "library_queries.json"
VARIANTS = ("{t}", "{t}", "{t}", "{t}（第一课时）", "{t}（第二课时）", "《{t}》复习课", "{t} 微课")
DESCRIPTIONS = (
    "以生活情境导入，引导学生自主探究，在合作交流中归纳方法。",
    "设计学习任务单，借助信息技术直观演示，帮助学生突破重难点。",
    "通过动手操作与小组讨论，注重核心素养的培养和学习方法的迁移。",
    "结合教材例题讲解，设计梯度练习与拓展作业，落实“双减”要求。",
)
CATEGORIES = ("课堂实录", "微课", "实验探究课", "复习课")
LEVELS = (("county", 2), ("city", 3), ("province", 4), ("ministry", 5))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "library.json")
    parser.add_argument("--lessons", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20,000 lessons, fewer requests")
    parser.add_argument("--requests", type=int, default=0, help="requests per browse case")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="replace existing data")
    parser.add_argument("--reuse", action="store_true", help="measure the data already generated")
    args = parser.parse_args(argv)
    if args.quick:
        args.lessons = min(args.lessons, 20_000)
        args.requests = args.requests or 15
    args.requests = args.requests or 30
    return args


def prepare(data_dir: Path, force: bool) -> None:
    if data_dir.exists() and force:
        shutil.rmtree(data_dir)
    if data_dir.exists() and "DATABASE_URL" not in os.environ:
        sys.exit(f"{data_dir} exists: pass --force to replace it")
    setup_django(data_dir)
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    if force and "DATABASE_URL" in os.environ:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def generate(count: int, seed: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.library.domain import publishing, segment
    from youke.library.models import LibraryLesson
    from youke.manage.demo.catalog import build_catalog
    from youke.orgs.enums import UnitKind
    from youke.orgs.models import Unit

    rng = random.Random(seed)
    started = time.perf_counter()
    build_catalog()
    unit = Unit.add_root(code="100000", name="教育部", kind=UnitKind.MINISTRY)
    nodes = list(CourseNode.objects.filter(level=NodeLevel.LESSON).order_by("path"))
    catalog_seconds = time.perf_counter() - started
    segment.ensure_dictionary()
    columns = {n.pk: publishing.node_columns(n) for n in nodes}
    trail_words = {}
    now = timezone.now()
    year = now.year
    rows, made = [], 0
    started = time.perf_counter()
    for i in range(count):
        node = nodes[i] if i < len(nodes) else rng.choice(nodes)
        name = node.name
        title = rng.choice(VARIANTS).format(t=name)
        other = rng.choice(nodes).name
        description = rng.choice(DESCRIPTIONS)
        if rng.random() < 0.3:
            description += f"复习《{other}》的相关内容。"
        col = columns[node.pk]
        if node.pk not in trail_words:
            trail_words[node.pk] = " ".join(segment.words(col["node_trail"]))
        category = rng.choice(CATEGORIES)
        level, order = rng.choices(LEVELS, weights=(5, 4, 2, 1))[0]
        views = int(rng.paretovariate(1.2) * 20)
        rating_count = rng.choice((0, 0, 1, 3, 8))
        stars = rng.choice((3, 4, 5)) * rating_count
        rows.append(
            LibraryLesson(
                publishing_unit=unit,
                title=title[:120],
                description=description,
                category_name=category,
                year=year - rng.randint(0, 5),
                award_level=level,
                award_order=order,
                state="published",
                published_at=now - datetime.timedelta(minutes=i),
                views=views,
                visitors=int(views * 0.7),
                downloads=views // 10,
                likes=views // 20,
                rating_count=rating_count,
                rating_sum=stars,
                rating_avg=round(stars / rating_count, 3) if rating_count else 0,
                search_title=" ".join(segment.words(title)),
                search_body=" ".join(segment.words(f"{description} {category}"))
                + " "
                + trail_words[node.pk],
                search_pinyin=" ".join(segment.pinyin_tokens(title)),
                search_grams=" ".join(segment.grams(title)),
                **col,
            )
        )
        if len(rows) == 5000:
            with transaction.atomic():
                LibraryLesson.objects.bulk_create(rows)
            made += len(rows)
            rows = []
            print(f"  {made:,} lessons", flush=True)
    if rows:
        with transaction.atomic():
            LibraryLesson.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_librarylesson")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO library_fts(library_fts) VALUES ('optimize')")
    return {
        "catalog_seconds": round(catalog_seconds, 1),
        "lesson_seconds": round(time.perf_counter() - started, 1),
        "lessons": count,
        "nodes": len(nodes),
    }


def quality() -> dict:
    from youke.library.domain import search
    from youke.library.domain.queries import Filters
    from youke.library.models import LibraryLesson

    judged = json.loads(QUERIES.read_text())["queries"]
    per_query = []
    for item in judged:
        expect = set(item["expect"])
        relevant_total = LibraryLesson.objects.filter(
            node__name__in=expect, state="published"
        ).count()
        found = search.search(item["q"], Filters(), limit=10)
        names = dict(LibraryLesson.objects.filter(pk__in=found.ids).values_list("pk", "node__name"))
        gains = [1 if names.get(pk) in expect else 0 for pk in found.ids]
        ideal = min(10, relevant_total)
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        idcg = sum(1 / math.log2(i + 2) for i in range(ideal))
        recall = sum(gains) / ideal if ideal else 0.0
        per_query.append(
            {
                "q": item["q"],
                "kind": item["kind"],
                "recall": recall,
                "ndcg": dcg / idcg if idcg else 0.0,
                "total": found.total,
                "relevant": relevant_total,
            }
        )
    kinds = sorted({p["kind"] for p in per_query})
    by_kind = {
        k: (
            sum(p["recall"] for p in per_query if p["kind"] == k)
            / sum(1 for p in per_query if p["kind"] == k),
            sum(p["ndcg"] for p in per_query if p["kind"] == k)
            / sum(1 for p in per_query if p["kind"] == k),
            sum(1 for p in per_query if p["kind"] == k),
        )
        for k in kinds
    }
    worst = sorted(per_query, key=lambda p: (p["ndcg"], p["recall"]))[:10]
    return {
        "queries": len(per_query),
        "recall_at_10": sum(p["recall"] for p in per_query) / len(per_query),
        "ndcg_at_10": sum(p["ndcg"] for p in per_query) / len(per_query),
        "by_kind": by_kind,
        "worst": worst,
    }


def latency(requests: int, seed: int) -> dict:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.library.domain import browse, search
    from youke.library.domain.queries import Filters

    rng = random.Random(seed)
    client = Client()
    subject = CourseNode.objects.filter(level=NodeLevel.SUBJECT).order_by("path").first()
    unit_node = CourseNode.objects.filter(level=NodeLevel.UNIT).order_by("?").first()
    stage = CourseNode.objects.filter(level=NodeLevel.STAGE).order_by("path").first()
    judged = [q["q"] for q in json.loads(QUERIES.read_text())["queries"]]
    browse_cases = {
        "root, newest": {},
        "root, most viewed": {"sort": "views"},
        "root, best rated, page 50": {"sort": "rating", "page": 50},
        "subject node": {"node": subject.pk},
        "unit node": {"node": unit_node.pk},
        "stage + year + award": {
            "stage": stage.pk,
            "year": datetime.date.today().year,
            "award": "city",
        },
        "category + views": {"category": "微课", "sort": "views"},
    }
    rows, results = [], {}

    from youke.library.domain import cache_version

    def run(name, param_list, cold=False):
        times, queries = [], []
        for params in param_list:
            # Lists uncached: what a counter flush leaves (menus and tree counts stay cached
            # until the next publish); cold: nothing cached at all (right after a publish).
            if cold:
                cache.clear()
            else:
                cache_version.bump_stats()
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/library/", params)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (name, params, response.status_code)
            times.append(elapsed)
            queries.append(len(captured.captured_queries))
        results[name] = {
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "queries": max(queries),
        }
        rows.append(
            [
                name,
                len(times),
                f"{percentile(times, 50):.1f}",
                f"{percentile(times, 95):.1f}",
                max(queries),
            ]
        )

    client.get("/library/")  # warm up: jieba's dictionary, templates
    search.search("圆", Filters(), limit=10)
    for name, params in browse_cases.items():
        client.get("/library/", params)  # menus and tree for this page, as after any visit
        run(f"browse: {name}", [params] * requests)
    for name, params in list(browse_cases.items())[:3]:
        run(f"browse cold: {name}", [params] * requests, cold=True)
    run("search: judged queries", [{"q": q} for q in judged])
    run(
        "search: judged + subject filter",
        [{"q": q, "subject": subject.pk} for q in rng.sample(judged, min(requests, len(judged)))],
    )
    run(
        "search: sort by views",
        [{"q": q, "sort": "views"} for q in rng.sample(judged, min(requests, len(judged)))],
    )
    page_rows = list(rows)

    # The domain calls alone (what the API and a cached page avoid repeating).
    domain_times = {"browse()": [], "node_counts()": [], "search()": []}
    for _ in range(requests):
        started = time.perf_counter()
        browse.browse(Filters(), "newest", rng.randint(1, 50))
        domain_times["browse()"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        browse.node_counts(Filters())
        domain_times["node_counts()"].append((time.perf_counter() - started) * 1000)
    for q in judged:
        started = time.perf_counter()
        search.search(q, Filters(), limit=20)
        domain_times["search()"].append((time.perf_counter() - started) * 1000)
    domain_rows = [
        [k, len(v), f"{percentile(v, 50):.1f}", f"{percentile(v, 95):.1f}"]
        for k, v in domain_times.items()
    ]

    # Cached: fragments warm, one thread, in process.
    client.get("/library/")
    started = time.perf_counter()
    n = requests * 10
    for _ in range(n):
        client.get("/library/")
    cached_rps = n / (time.perf_counter() - started)
    etag = client.get("/library/")["ETag"]
    started = time.perf_counter()
    for _ in range(n):
        client.get("/library/", HTTP_IF_NONE_MATCH=etag)
    not_modified_rps = n / (time.perf_counter() - started)
    return {
        "pages": results,
        "page_rows": page_rows,
        "domain_rows": domain_rows,
        "cached_rps": cached_rps,
        "not_modified_rps": not_modified_rps,
    }


def lesson_page(seconds: float = 3.0) -> dict:
    """Requests/s of the WSGI application for one anonymous lesson page, in a tight loop in
    this process (no server, no network: less sensitive to the machine's load than wrk):
    with the early page cache, and with it taken out of the middleware (every request runs
    the whole stack and the view, with the view's own fragment cache warm)."""
    import io

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from youke.library.models import LibraryLesson

    lesson = LibraryLesson.objects.filter(state="published").order_by("-views").first()
    path = f"/library/lessons/{lesson.pk}/"
    early = "youke.public.page_cache.AnonymousPageCacheMiddleware"

    def environ(extra=None):
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            **(extra or {}),
        }

    def loop(app, extra=None):
        statuses = []

        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        for _ in range(3):  # warm: fragments and the stored page
            b"".join(app(environ(extra), start_response))
        n, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            b"".join(app(environ(extra), start_response))
            n += 1
        assert statuses[-1].startswith(("200", "304")), statuses[-1]
        return n / (time.perf_counter() - started), statuses[-1][:3]

    rates = {}
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != early]):
        rates["whole stack + view (no early cache)"] = loop(WSGIHandler())
    app = WSGIHandler()
    rates["early cache hit"] = loop(app)
    etag = None

    def grab(status, headers, exc_info=None):
        nonlocal etag
        etag = dict(headers).get("ETag")

    b"".join(app(environ(), grab))
    rates["early cache, If-None-Match → 304"] = loop(app, {"HTTP_IF_NONE_MATCH": etag})
    return {"path": path, "rates": rates}


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.reuse:
        setup_django(args.data_dir)
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    else:
        prepare(args.data_dir, args.force)
    from django.db import connection

    if args.reuse:
        from youke.library.models import LibraryLesson

        made = {
            "lessons": LibraryLesson.objects.count(),
            "lesson_seconds": 0,
            "catalog_seconds": 0,
            "nodes": 0,
        }
        args.lessons = made["lessons"]
    else:
        print(f"database: {connection.vendor}; generating {args.lessons:,} lessons …", flush=True)
        made = generate(args.lessons, args.seed)
    print(
        f"generated in {made['lesson_seconds']} s (catalog {made['catalog_seconds']} s, {made['nodes']:,} lesson nodes)"
    )
    q = quality()
    print(
        f"\nSearch quality — {q['queries']} judged queries: recall@10 {q['recall_at_10']:.3f}, nDCG@10 {q['ndcg_at_10']:.3f}"
    )
    print(
        table(
            ["kind", "queries", "recall@10", "nDCG@10"],
            [[k, n, f"{r:.3f}", f"{d:.3f}"] for k, (r, d, n) in q["by_kind"].items()],
        )
    )
    print("\nWorst ten queries:")
    print(
        table(
            ["query", "kind", "recall@10", "nDCG@10", "matches", "relevant"],
            [
                [
                    w["q"],
                    w["kind"],
                    f"{w['recall']:.2f}",
                    f"{w['ndcg']:.2f}",
                    w["total"],
                    w["relevant"],
                ]
                for w in q["worst"]
            ],
        )
    )
    lat = latency(args.requests, args.seed)
    print(
        f"\nLibrary page, lists uncached before every request (cold: whole cache cleared), {args.lessons:,} lessons:"
    )
    print(table(["case", "requests", "p50 ms", "p95 ms", "queries"], lat["page_rows"]))
    print("\nDomain calls alone:")
    print(table(["call", "calls", "p50 ms", "p95 ms"], lat["domain_rows"]))
    print(
        f"\nCached browse page: {lat['cached_rps']:.0f} requests/s; 304 revalidation: {lat['not_modified_rps']:.0f} requests/s (one thread, in process)"
    )
    page = lesson_page()
    print(
        f"\nAnonymous lesson page {page['path']}, WSGI app in a tight loop (one thread, in process):"
    )
    print(
        table(
            ["path", "requests/s", "status"],
            [[k, f"{rps:.0f}", status] for k, (rps, status) in page["rates"].items()],
        )
    )
    print(
        "Through `youke serve` (gunicorn 2 workers x threads), measure with wrk, e.g.\n"
        f"  wrk -t2 -c32 -d20s http://127.0.0.1:8000{page['path']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "vendor": connection.vendor,
                "generated": made,
                "quality": q,
                "pages": lat["pages"],
                "cached_rps": lat["cached_rps"],
                "not_modified_rps": lat["not_modified_rps"],
                "lesson_page_rps": {k: rps for k, (rps, _s) in page["rates"].items()},
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        )
    )
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
