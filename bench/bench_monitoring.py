"""Monitoring (issue 11): refresh of all aggregates, dashboard p95, a province bulletin.

Generates its own data in a fresh data dir (SQLite there, or the empty PostgreSQL database
named by DATABASE_URL) with bulk inserts: a province of 20 cities × 10 counties (half 城区,
half 县区) × 50 schools, 500,000 teachers (one in 50 also a unit admin, so several roles)
and 200,000 submitted packages of a 一师一优课 campaign (one in five with an award, one in
ten late). Then measures:

- the full refresh of every aggregate (as beat runs it) and one delta after a submission;
- the dashboard page ``/manage/monitoring/`` for the province, a city and a county admin:
  p50/p95 over ``--requests`` requests (in-process client, warm connection);
- ``get_figures`` through the API for the province;
- composing and publishing a bulletin of the province over its 20 cities and 200 counties
  (snapshot, numbering, PDF and xlsx, notifications).

    .venv/bin/python bench/bench_monitoring.py            # 500,000 teachers / 200,000 packages
    .venv/bin/python bench/bench_monitoring.py --quick    # 20,000 / 8,000
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import time
from pathlib import Path

from common import OUT_DIR, percentile, setup_django, table

CITIES, COUNTIES_PER_CITY = 20, 10


STAGES = ("primary", "primary", "junior", "senior", "nine_year")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 teachers, 8,000 packages")
    parser.add_argument("--teachers", type=int, default=500_000)
    parser.add_argument("--submissions", type=int, default=200_000)
    parser.add_argument("--schools-per-county", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "monitoring")
    args = parser.parse_args(argv)
    if args.quick:
        args.teachers, args.submissions, args.schools_per_county = 20_000, 8_000, 4
        args.requests = min(args.requests, 60)
    return args


def generate(args):
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from youke.campaigns.domain.templates import create_campaign_from_template
    from youke.campaigns.models import AwardGrade, Campaign, Category, Level
    from youke.catalog.models import CourseNode
    from youke.core.actor import Actor
    from youke.core.trees import Spec, bulk_build
    from youke.orgs.models import Person, RoleGrant, Unit
    from youke.selection.enums import EntryState
    from youke.selection.models import Award, LevelEntry
    from youke.submissions.models import Submission

    rng = random.Random(2026)
    counties = []
    for c in range(CITIES):
        county_specs = []
        for k in range(COUNTIES_PER_CITY):
            area = "urban" if k % 2 == 0 else "county"
            code = f"99{c + 1:02d}{k + 1:02d}"
            schools = [
                Spec(
                    {
                        "kind": "school",
                        "name": f"{code}第{s + 1}学校",
                        "code": f"{code}{s + 1:04d}",
                        "area_type": area,
                        # 学段 for the dashboard's per-stage table (stage targets)
                        "stage": STAGES[s % len(STAGES)],
                    }
                )
                for s in range(args.schools_per_county)
            ]
            county_specs.append(
                Spec(
                    {
                        "kind": "county",
                        "name": f"第{c + 1}市第{k + 1}县区",
                        "code": code,
                        "area_type": area,
                    },
                    schools,
                )
            )
        counties.append(
            Spec({"kind": "city", "name": f"第{c + 1}市", "code": f"99{c + 1:02d}00"}, county_specs)
        )
    bulk_build(
        Unit,
        [
            Spec(
                {"kind": "ministry", "name": "教育部", "code": "100000"},
                [Spec({"kind": "province", "name": "示范省", "code": "990000"}, counties)],
            )
        ],
    )
    province = Unit.objects.get(code="990000")
    city = Unit.objects.get(code="990100")
    county = Unit.objects.get(code="990101")
    schools = list(Unit.objects.filter(kind="school").values_list("pk", flat=True))
    password = make_password("Bench-Monitoring-2026!")
    admins = {}
    for name, unit in (("province", province), ("city", city), ("county", county)):
        admins[name] = Person.objects.create(
            username=f"bench_{name}",
            full_name=f"{unit.name}管理员",
            unit=unit,
            password=password,
            must_change_password=False,
        )
        RoleGrant.objects.create(person=admins[name], unit=unit, role="unit_admin")
    # Participation differs by school so lights differ by county.
    rates = {school: rng.uniform(0.2, 1.0) for school in schools}
    batch = 20_000
    for start in range(0, args.teachers, batch):
        people = [
            Person(
                username=f"t{n}",
                full_name=f"教师{n}",
                unit_id=schools[n % len(schools)],
                password=password,
                must_change_password=False,
            )
            for n in range(start, min(start + batch, args.teachers))
        ]
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=5000)
            grants = [RoleGrant(person=p, unit_id=p.unit_id, role="teacher") for p in people]
            grants += [
                RoleGrant(person=p, unit_id=p.unit_id, role="unit_admin")
                for i, p in enumerate(people)
                if i % 50 == 0
            ]
            RoleGrant.objects.bulk_create(grants, batch_size=5000)
    stage = CourseNode.add_root(code="B01", name="小学", level="stage")
    subjects = [
        stage.add_child(code=f"B01{i:02d}", name=n, level="subject")
        for i, n in enumerate(["语文", "数学", "英语", "科学", "美术"])
    ]
    nodes = [
        s.add_child(code=f"{s.code}01", name=f"{s.name}第一课", level="lesson") for s in subjects
    ]
    admin = Person.objects.create(
        username="bench_platform",
        full_name="平台管理员",
        unit=province,
        is_platform_admin=True,
        password=password,
    )
    campaign = create_campaign_from_template(
        Actor(admin), province, "one_teacher_one_lesson", name="一师一优课性能测试", year=2026
    )
    Campaign.objects.filter(pk=campaign.pk).update(state="published")
    category = Category.objects.filter(campaign=campaign).order_by("order", "id").first()
    first_level = Level.objects.filter(campaign=campaign).order_by("order").first()
    grade = AwardGrade.objects.create(campaign=campaign, level=first_level, name="优课", order=0)
    deadline = first_level.deadline
    teacher_rows = list(
        Person.objects.filter(username__startswith="t").values_list("pk", "unit_id")
    )
    chosen = [row for row in teacher_rows if rng.random() < rates[row[1]]]
    now = timezone.now()
    made = 0
    while made < args.submissions:
        rows = []
        for pk, unit_id in chosen:
            if made + len(rows) >= args.submissions:
                break
            late = rng.random() < 0.1
            rows.append(
                Submission(
                    campaign=campaign,
                    category=category,
                    node=rng.choice(nodes),
                    teacher_id=pk,
                    unit_id=unit_id,
                    title="课",
                    state="submitted",
                    submitted_at=deadline + datetime.timedelta(days=1 if late else -1),
                    created_at=now,
                )
            )
        with transaction.atomic():
            Submission.objects.bulk_create(rows, batch_size=5000)
        made += len(rows)
    awarded = list(Submission.objects.filter(campaign=campaign).values_list("pk", "unit_id"))
    awarded = [row for row in awarded if rng.random() < 0.2]
    for start in range(0, len(awarded), batch):
        with transaction.atomic():
            entries = LevelEntry.objects.bulk_create(
                [
                    LevelEntry(
                        submission_id=pk,
                        level=first_level,
                        unit_id=unit_id,
                        state=EntryState.RECOMMENDED,
                    )
                    for pk, unit_id in awarded[start : start + batch]
                ],
                batch_size=5000,
            )
            Award.objects.bulk_create(
                [Award(entry=e, grade=grade, level=first_level) for e in entries], batch_size=5000
            )
    campaign.refresh_from_db()
    return campaign, admins, province


def timed_pages(client, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main(argv=None) -> None:
    args = parse_args(argv)
    shutil.rmtree(args.data_dir, ignore_errors=True)
    setup_django(args.data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from youke.core.actor import Actor
    from youke.monitoring.domain import bulletins, figures
    from youke.monitoring.models import UnitFigure
    from youke.submissions.models import Submission

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    campaign, admins, province = generate(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: planner statistics
    print(
        f"generated {args.teachers:,} teachers and {Submission.objects.count():,} packages "
        f"on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )

    t0 = time.perf_counter()
    units = figures.refresh_campaign(campaign)
    refresh_s = time.perf_counter() - t0
    school = UnitFigure.objects.filter(campaign=campaign, unit__kind="school").first().unit
    t0 = time.perf_counter()
    figures.refresh_units(campaign, [school.pk])
    delta_ms = (time.perf_counter() - t0) * 1000

    rows = []
    for name in ("province", "city", "county"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(admins[name])
        url = f"/manage/monitoring/?campaign={campaign.pk}"
        timed_pages(client, url, 3)  # warm
        times = timed_pages(client, url, args.requests)
        rows.append([f"dashboard ({name})", percentile(times, 50), percentile(times, 95)])
    client = Client(HTTP_HOST="localhost")
    client.force_login(admins["province"])
    api = f"/api/v1/monitoring/figures?campaign={campaign.pk}"
    timed_pages(client, api, 3)
    times = timed_pages(client, api, args.requests)
    rows.append(["get_figures (province)", percentile(times, 50), percentile(times, 95)])

    actor = Actor(admins["province"])
    t0 = time.perf_counter()
    draft = bulletins.compose(
        actor,
        unit=province,
        campaign=campaign,
        title="关于一师一优课晒课进展情况的通报",
        doc_prefix="示教电通",
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        indicators=["participation", "lessons_per_teacher", "excellent_rate", "on_time_rate"],
        intro="现将全省晒课进展情况通报如下。",
        closing="请各地对照目标加快进度。",
    )
    compose_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    published = bulletins.publish(actor, draft)
    publish_s = time.perf_counter() - t0
    tables = published.snapshot["tables"]

    print(
        f"\nunits {units:,}; full refresh {refresh_s:.1f} s; delta after one school's change "
        f"{delta_ms:.0f} ms"
    )
    print(table(["page", "p50 ms", "p95 ms"], rows))
    print(
        f"\nbulletin {published.doc_number}: {len(tables[0]['rows'])} cities + "
        f"{len(tables[1]['rows']) if len(tables) > 1 else 0} counties; compose {compose_s:.1f} s, "
        f"publish (number, PDF {published.pdf.size / 1024:.0f} KiB, xlsx, notifications) "
        f"{publish_s:.1f} s, total {compose_s + publish_s:.1f} s"
    )


if __name__ == "__main__":
    main()
