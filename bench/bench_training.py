"""Training hours (issue 9 item 9): per-unit totals over a large ledger, p95.

Generates its own data in a fresh data dir (SQLite there, or the empty PostgreSQL database
named by DATABASE_URL): a province with 10 cities × 10 counties × 10 schools, 20 teachers
per school (20,000) and N ledger rows (default 100,000) spread over three years, then
measures ``training.domain.totals.unit_totals`` — the admin page's drill-down, read from
the maintained per-unit-year sums — at province, city, county and school level, the
teacher list of one county (grouped from the ledger) and the 师训 xlsx of one county.

    .venv/bin/python bench/bench_training.py            # 100,000 rows
    .venv/bin/python bench/bench_training.py --quick    # 10,000 rows, fewer repeats
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import time
from pathlib import Path

from common import OUT_DIR, percentile, setup_django, table

CHUNK = 5000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="10,000 rows, 10 repeats")
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "training")
    return parser.parse_args(argv)


def generate(rows: int):
    from youke.core.trees import Spec, bulk_build
    from youke.orgs.models import Person, Unit
    from youke.training.models import TrainingCredit

    def school(c: int, k: int, s: int) -> Spec:
        return Spec({"kind": "school", "name": f"第{c}{k}{s}小学", "code": f"9{c}{k}{s:02d}000"})

    def county(c: int, k: int) -> Spec:
        code = f"97{c}{k}00"
        children = [school(c, k, s) for s in range(10)]
        return Spec({"kind": "county", "name": f"第{c}{k}县", "code": code}, children)

    def city(c: int) -> Spec:
        children = [county(c, k) for k in range(10)]
        return Spec({"kind": "city", "name": f"第{c}市", "code": f"98{c}000"}, children)

    tree = Spec(
        {"kind": "ministry", "name": "教育部", "code": "100000"},
        [
            Spec(
                {"kind": "province", "name": "示范省", "code": "990000"},
                [city(c) for c in range(10)],
            )
        ],
    )
    bulk_build(Unit, [tree])
    schools = list(Unit.objects.filter(kind="school").values_list("pk", flat=True))
    teachers = []
    for index, unit_id in enumerate(schools):
        teachers += [
            Person(
                username=f"bench_t_{index:04d}_{i:02d}",
                full_name=f"教师{index:04d}{i:02d}",
                unit_id=unit_id,
                password="!",
                must_change_password=False,
            )
            for i in range(20)
        ]
    Person.objects.bulk_create(teachers, batch_size=CHUNK)
    people = list(Person.objects.values_list("pk", "unit_id"))
    rng = random.Random(9)
    batch = []
    for n in range(rows):
        teacher_id, unit_id = people[rng.randrange(len(people))]
        kind = rng.choice(("manual", "manual", "correction"))
        batch.append(
            TrainingCredit(
                teacher_id=teacher_id,
                unit_id=unit_id,
                year=2024 + n % 3,
                hours=rng.choice((2, 4, 6, 8, 10, 24)) * (-1 if kind == "correction" else 1),
                kind=kind,
                source="性能测试培训",
                reason="bench",
            )
        )
        if len(batch) == CHUNK:
            TrainingCredit.objects.bulk_create(batch)
            batch = []
    TrainingCredit.objects.bulk_create(batch)
    # Bulk rows bypass the ledger's writers: build the per-unit sums they would have kept.
    from youke.training.domain.ledger import rebuild_totals

    rebuild_totals()


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.quick:
        args.rows, args.repeats = 10_000, 10
    shutil.rmtree(args.data_dir, ignore_errors=True)
    setup_django(args.data_dir)
    from django.core.management import call_command
    from django.db import connection

    from youke.orgs.models import Person, Unit
    from youke.training.domain import totals
    from youke.training.rules import credits_visible_to

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(args.rows)
    print(
        f"generated {args.rows:,} ledger rows on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )
    ministry = Unit.objects.get(code="100000")
    admin = Person.objects.create(
        username="bench_training_admin",
        full_name="平台管理员",
        unit=ministry,
        is_platform_admin=True,
    )
    credits = credits_visible_to(admin)
    province = Unit.objects.get(code="990000")
    city = (
        Unit.objects.filter(path__under=province.path, depth=province.depth + 1)
        .order_by("path")
        .first()
    )
    county = (
        Unit.objects.filter(path__under=city.path, depth=city.depth + 1).order_by("path").first()
    )
    school = (
        Unit.objects.filter(path__under=county.path, depth=county.depth + 1)
        .order_by("path")
        .first()
    )
    results = []
    for label, unit in (
        ("province", province),
        ("city", city),
        ("county", county),
        ("school", school),
    ):
        for year in (None, 2025):
            times = []
            totals.unit_totals(unit, year)  # warm the page cache and the plan
            for _ in range(args.repeats):
                began = time.perf_counter()
                totals.unit_totals(unit, year)
                times.append((time.perf_counter() - began) * 1000)
            results.append(
                [
                    label,
                    "all" if year is None else str(year),
                    percentile(times, 50),
                    percentile(times, 95),
                ]
            )
    times = []
    for _ in range(args.repeats):
        began = time.perf_counter()
        list(totals.teacher_totals(credits, county, 2025)[:50])
        times.append((time.perf_counter() - began) * 1000)
    results.append(["county teachers", "2025", percentile(times, 50), percentile(times, 95)])
    print(table(["unit", "year", "p50 ms", "p95 ms"], results))
    totals.write_export(io.BytesIO(), credits, county, 2025)  # imports openpyxl once
    began = time.perf_counter()
    buffer = io.BytesIO()
    totals.write_export(buffer, credits, county, 2025)
    print(
        f"师训 xlsx of one county (2025): {(time.perf_counter() - began) * 1000:.0f} ms, {len(buffer.getvalue()):,} bytes"
    )


if __name__ == "__main__":
    main()
