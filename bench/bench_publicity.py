"""Public 公示 page at 5,000 entries: cold/warm cache, 304, paging, search, exports (issue 14).

Generates its own data into a fresh data dir (``--data-dir``, default bench/out/publicity;
set DATABASE_URL for PostgreSQL, then the database must be empty or ``--force`` given):
one province → city → county → ``--schools`` schools, ``--teachers`` teachers, a course
node tree with ``--lessons`` lessons, a 精品课 campaign from its template, and ``--entries``
recommended entries on the city's confirmed city-level list, published with
``open_publicity`` (a few with co-authors and objections).

Then, in-process with Django's test client (the whole middleware stack, no network):

- the page (page 1, page 50, a school search, a teacher search): ``--requests`` requests
  each, **cold** (cache cleared before every request), **warm** (served from the cache)
  and **304** (If-None-Match with the page's ETag); p50/p95, queries, bytes, rows shown;
- the query count of every case with 10 and with all entries (must be equal);
- the whole-list downloads job (xlsx + PDF) of one list version: time, sizes, rows;
- through a real server (``youke serve --no-worker``, its default workers and threads; set
  YOUKE_WEB_WORKERS / YOUKE_WEB_THREADS to try others), anonymous, cache warm: page 1,
  page 50, a search and page 1 with If-None-Match, ``--http-requests`` each with 1 and
  ``--threads`` client threads (bench_orgs' client); every answer is checked for its status.

    .venv/bin/python bench/bench_publicity.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youke_bench_pub \\
        .venv/bin/python bench/bench_publicity.py --force --data-dir bench/out/publicity_pg
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

from common import OUT_DIR, percentile, print_http_result, setup_django, table

DEFAULT_DIR = OUT_DIR / "publicity"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力宁"
TOPICS = ["分数的意义", "长方体的体积", "圆的认识", "古诗两首", "光的折射", "植物的生长",
          "百分数", "比例尺", "小数乘法", "观察物体", "认识钟表", "燕子", "桂林山水"]  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "publicity.json")
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--teachers", type=int, default=3000)
    parser.add_argument("--lessons", type=int, default=400)
    parser.add_argument("--requests", type=int, default=40, help="requests per case and mode")
    parser.add_argument("--http-requests", type=int, default=300, help="per URL and pass")
    parser.add_argument("--threads", type=int, default=4, help="threads of the concurrent pass")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="replace existing data")
    return parser.parse_args(argv)


def prepare(data_dir: Path, force: bool) -> None:
    import os

    if data_dir.exists() and force:
        shutil.rmtree(data_dir)
    if data_dir.exists() and "DATABASE_URL" not in os.environ:
        sys.exit(f"{data_dir} exists: pass --force to replace it")
    setup_django(data_dir)
    from django.core.management import call_command

    if force and "DATABASE_URL" in os.environ:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def generate(args, rng: random.Random) -> dict:  # noqa: PLR0915 (one linear script)
    from django.db import transaction
    from django.utils import timezone

    from youke.campaigns.domain.templates import create_campaign_from_template
    from youke.campaigns.models import Category, Level
    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.core.actor import Actor
    from youke.orgs.enums import UnitKind
    from youke.orgs.models import Person, Unit
    from youke.selection.domain import publicity as domain
    from youke.selection.domain import publicity_exports
    from youke.selection.enums import EntryState, ListState
    from youke.selection.models import LevelEntry, LevelList
    from youke.submissions.enums import SubmissionState
    from youke.submissions.models import CoAuthor, Submission

    started = time.perf_counter()
    ministry = Unit.add_root(kind=UnitKind.MINISTRY, name="教育部", code="100000")
    province = ministry.add_child(kind=UnitKind.PROVINCE, name="示范省", code="990000")
    city = province.add_child(kind=UnitKind.CITY, name="青山市", code="990100")
    county = city.add_child(kind=UnitKind.COUNTY, name="东湖区", code="990101", area_type="urban")
    schools = []
    for i in range(args.schools):
        county.refresh_from_db()
        schools.append(
            county.add_child(
                kind=UnitKind.SCHOOL,
                name=f"东湖区第{i + 1}实验小学",
                code=f"99010100{i:02d}"[:10],
                area_type="urban",
            )
        )
    admin = Person.objects.create(
        username="bench_pub_admin", full_name="平台管理员", is_platform_admin=True, unit=ministry
    )
    teachers = Person.objects.bulk_create(
        Person(
            username=f"bench_pub_t{i:05d}",
            full_name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2]))),
            unit=rng.choice(schools),
            password="!",
            must_change_password=False,
        )
        for i in range(args.teachers)
    )
    stage = CourseNode.add_root(code="C01", name="小学", level=NodeLevel.STAGE)
    subject = stage.add_child(code="C0102", name="数学", level=NodeLevel.SUBJECT)
    edition = subject.add_child(code="C010201", name="人教版", level=NodeLevel.EDITION)
    volume = edition.add_child(code="C01020105", name="五年级下册", level=NodeLevel.VOLUME)
    unit_node = volume.add_child(code="C0102010501", name="第一单元", level=NodeLevel.UNIT)
    lessons = []
    for i in range(args.lessons):
        unit_node.refresh_from_db()
        lessons.append(
            unit_node.add_child(
                code=f"C0102010501{i:04d}", name=rng.choice(TOPICS), level=NodeLevel.LESSON
            )
        )
    campaign = create_campaign_from_template(
        Actor(admin), province, "quality_course", name="2026年精品课遴选", year=2026
    )
    category = Category.objects.filter(campaign=campaign).order_by("order", "id").first()
    city_level = Level.objects.get(campaign=campaign, key="city")
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        (
            Submission(
                campaign=campaign,
                category=category,
                node=rng.choice(lessons),
                teacher=teacher,
                unit_id=teacher.unit_id,
                title=f"《{rng.choice(TOPICS)}》第{i % 3 + 1}课时",
                state=SubmissionState.SUBMITTED,
                submitted_at=now,
            )
            for i, teacher in enumerate(rng.choices(teachers, k=args.entries))
        ),
        batch_size=2000,
    )
    CoAuthor.objects.bulk_create(
        CoAuthor(submission=sub, person=rng.choice(teachers), order=1)
        for sub in submissions[:: max(1, len(submissions) // 500)]
    )
    entries = LevelEntry.objects.bulk_create(
        (
            LevelEntry(submission=sub, level=city_level, unit=city, state=EntryState.RECOMMENDED)
            for sub in submissions
        ),
        batch_size=2000,
    )
    LevelList.objects.create(
        campaign=campaign, level=city_level, unit=city, state=ListState.CONFIRMED, confirmed_at=now
    )
    with transaction.atomic():
        publicity = domain.open_publicity(
            Actor(admin),
            campaign,
            city_level,
            city,
            starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(days=7),
            title="2026年青山市精品课推荐结果公示",
        )
    for n, entry in enumerate(entries[:20]):
        domain.file_objection(
            publicity,
            entry,
            name="公众",
            contact="13800000000",
            reason="核实",
            ip=f"10.0.{n // 4}.{n % 4 + 1}",
        )
    publicity.refresh_from_db()
    return {
        "publicity": publicity.pk,
        "city": city.pk,
        "school_name": schools[3].name,
        "teacher_name": teachers[7].full_name,
        "export": publicity_exports.current_export(publicity).pk,
        "generate_s": round(time.perf_counter() - started, 1),
    }


def measure(client, url: str, mode: str, n: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, size, etag, rows, statuses = [], [], 0, None, 0, set()
    first = client.get(url)
    etag = first["ETag"]
    for _ in range(n):
        if mode == "cold":
            cache.clear()
        headers = {"HTTP_IF_NONE_MATCH": etag} if mode == "304" else {}
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - t0) * 1000)
        statuses.add(response.status_code)
        queries.append(len(captured))
        size = len(response.content)
        rows = len(re.findall(rb"data-entry=", response.content))
    return {
        "mode": mode,
        "url": url,
        "status": ",".join(map(str, sorted(statuses))),
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "queries": max(queries),
        "bytes": size,
        "rows": rows,
    }


def bench_pages(args, info: dict) -> list[dict]:
    from urllib.parse import quote

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    base = f"/public/publicity/{info['publicity']}/"
    cases = [
        ("page 1", base),
        ("page 50", f"{base}?page=50"),
        ("search school", f"{base}?q={quote(info['school_name'])}"),
        ("search teacher", f"{base}?q={quote(info['teacher_name'])}"),
    ]
    results = []
    for label, url in cases:
        for mode in ("cold", "warm", "304"):
            results.append({"case": label, **measure(client, url, mode, args.requests)})
    return results


def flat_queries(info: dict) -> dict:
    """Queries of page 1 and a search with 10 entries on the list and with all of them."""
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from youke.selection.models import LevelEntry, Publicity

    client = Client(HTTP_HOST="127.0.0.1")
    base = f"/public/publicity/{info['publicity']}/"
    urls = [base, f"{base}?q=%E5%88%86%E6%95%B0"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            found.append(len(captured))
        return found

    full = counts()
    publicity = Publicity.objects.get(pk=info["publicity"])
    with transaction.atomic():
        keep = LevelEntry.objects.filter(level=publicity.level, unit=publicity.unit).order_by("pk")
        ids = list(keep.values_list("pk", flat=True)[10:])
        LevelEntry.objects.filter(pk__in=ids).update(state="pending")
        small = counts()
        transaction.set_rollback(True)
    return {"urls": urls, "entries_all": full, "entries_10": small}


# The table of the page before issue 14 (commit 571378a): every entry as model objects and
# a {% url %} per row, unpaged. Rendered here to give "before" in the same run.
BEFORE_TABLE = """{% load i18n %}<table>{% for e in entries %}<tr data-entry="{{ e.pk }}">
<td>{{ e.submission.title }}</td><td>{{ e.submission.node.code }} {{ e.submission.node.name }}</td>
<td>{{ e.submission.category.name }}</td><td>{{ e.submission.teacher.full_name }}</td>
<td>{{ e.submission.unit.name }}</td><td><a href="{% url 'public:objection_form' publicity.pk e.pk %}">
{% translate "提出异议" %}</a></td></tr>{% endfor %}</table>"""


def bench_before(info: dict, n: int) -> dict:
    from django.template import engines

    from youke.selection.domain import publicity as domain
    from youke.selection.models import Publicity

    template = engines["django"].from_string(BEFORE_TABLE)
    publicity = Publicity.objects.select_related("unit", "level", "campaign").get(
        pk=info["publicity"]
    )
    times = []
    for _ in range(n):
        started = time.perf_counter()
        html = template.render(
            {"publicity": publicity, "entries": domain.published_entries(publicity)}
        )
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "bytes": len(html.encode()),
        "rows": html.count("data-entry="),
    }


def bench_export(info: dict) -> dict:
    from youke.core.domain import jobs
    from youke.selection.models import PublicityExport

    export = PublicityExport.objects.get(pk=info["export"])
    started = time.perf_counter()
    jobs.run(export.job_id)
    seconds = time.perf_counter() - started
    export.refresh_from_db()
    return {
        "seconds": round(seconds, 2),
        "rows": export.row_count,
        "xlsx_bytes": export.xlsx.size,
        "pdf_bytes": export.pdf.size,
        "job_state": export.job.state,
    }


def bench_http(args, info: dict) -> dict:
    import http.client
    import os
    from urllib.parse import quote

    from bench_orgs import Server, free_port, measure

    port = args.port or free_port()
    base = f"/public/publicity/{info['publicity']}/"
    pages = [
        ("page 1", base),
        ("page 50", f"{base}?page=50"),
        ("search school", f"{base}?q={quote(info['school_name'])}"),
    ]
    runs, checks = [], {}
    with Server(args.data_dir, port, OUT_DIR / "serve-publicity.log"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for label, url in pages:
            for _ in range(3):  # fills the shared cache and warms the workers
                conn.request("GET", url)
                response = conn.getresponse()
                body = response.read()
            rows = len(re.findall(rb"data-entry=", body))
            checks[label] = {"status": response.status, "rows": rows, "bytes": len(body)}
            if response.status != 200 or rows == 0:
                raise RuntimeError(f"GET {url} -> {response.status}, {rows} rows")
            etag = response.getheader("ETag")
        conn.request("GET", base)
        response = conn.getresponse()
        response.read()
        etag = response.getheader("ETag")
        conn.close()
        cases = [(label, url, {}) for label, url in pages]
        cases.append(("page 1, If-None-Match", base, {"If-None-Match": etag}))
        for label, url, headers in cases:
            for threads in (1, args.threads):
                print(f"  {label}: {args.http_requests} requests, {threads} thread(s) …")
                run = measure(port, url, headers, args.http_requests, threads)
                if headers:  # measure() counts every non-200 answer; 304 is the right one
                    if run["error_statuses"] != [304]:
                        raise RuntimeError(f"conditional GET answered {run['error_statuses']}")
                    run["errors"] = 0
                run["label"] = label
                runs.append(run)
    return {
        "checks": checks,
        "runs": runs,
        "notes": ["If-None-Match answers 304 with an empty body"],
        "web_workers": os.environ.get("YOUKE_WEB_WORKERS", "default"),
        "web_threads": os.environ.get("YOUKE_WEB_THREADS", "default"),
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    prepare(args.data_dir, args.force)
    from django.db import connection

    rng = random.Random(args.seed)
    info = generate(args, rng)
    print(
        f"database {connection.vendor}; {args.entries:,} entries on one list; "
        f"generated in {info['generate_s']} s"
    )
    export = bench_export(info)
    print("\n== whole-list downloads job (xlsx + PDF, one version) ==")
    print(table(list(export), [list(export.values())]))
    before = bench_before(info, max(3, args.requests // 4))
    print("\n== before: the unpaged table of every entry, rendered in-process ==")
    print(table(list(before), [list(before.values())]))
    pages = bench_pages(args, info)
    print(f"\n== public page, in-process, {args.requests} requests per row ==")
    keys = ["case", "mode", "status", "p50_ms", "p95_ms", "queries", "bytes", "rows"]
    print(table(keys, [[r[k] for k in keys] for r in pages]))
    flat = flat_queries(info)
    print("\n== query counts, cold cache: all entries vs 10 entries ==")
    print(
        table(
            ["url", "all entries", "10 entries"],
            [
                [u, a, s]
                for u, a, s in zip(
                    flat["urls"], flat["entries_all"], flat["entries_10"], strict=False
                )
            ],
        )
    )
    served = None
    if not args.skip_http:
        connection.close()
        served = bench_http(args, info)
        print_http_result(served)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "export": export,
                "before": before,
                "pages": pages,
                "queries": flat,
                "http": served,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
