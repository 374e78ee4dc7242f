"""三个课堂 (issue 12): a city with 500 专递课堂 groups and a full term (~40,000 sessions).

Generates its own data in a fresh data dir (SQLite there, or the empty PostgreSQL database
named by DATABASE_URL): a city with 10 counties, 1,500 schools, 500 groups of one host
school and two receiving schools, four weekly periods per group taught by two host teachers,
a city term with the National Day week off and two make-up days, and a handful of deliberate
clashes. Then measures:

- the term's clash check over every period (``timetable.term_clashes``) and session
  generation (``sessions.generate_sessions``) for all 500 groups: wall time;
- one period added through ``save_period`` (the per-edit clash check) at that size;
- a host teacher's week page (/my/classrooms/) and a county's registry page
  (/manage/classrooms/registry/): p50/p95 over ``--requests`` requests (in-process client).

    .venv/bin/python bench/bench_classrooms.py            # 500 groups
    .venv/bin/python bench/bench_classrooms.py --quick    # 50 groups, 50 requests
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import time
from pathlib import Path

from common import OUT_DIR, median, percentile, setup_django, table

COUNTIES = 10
PERIODS_PER_GROUP = 4
CLASHES = 5


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="50 groups, 50 requests")
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "classrooms")
    return parser.parse_args(argv)


def generate(groups: int):
    from django.contrib.auth.hashers import make_password

    from youke.classrooms.enums import DayOffKind, GroupMode
    from youke.classrooms.models import DeliveryGroup, Period, ReceivingClassroom, Term, TermDay
    from youke.orgs.enums import Role
    from youke.orgs.models import Person, RoleGrant, Unit

    ministry = Unit.add_root(kind="ministry", name="教育部", code="100000")
    province = ministry.add_child(kind="province", name="示范省", code="990000")
    city = province.add_child(kind="city", name="青山市", code="990100")
    counties = [
        city.add_child(
            kind="county", name=f"第{i + 1}县", code=f"9901{i + 1:02d}", area_type="county"
        )
        for i in range(COUNTIES)
    ]
    per_county = groups // COUNTIES
    schools: dict[int, list] = {}
    for index, county in enumerate(counties):
        county.refresh_from_db()
        schools[index] = [
            county.add_child(
                kind="school",
                name=f"{county.name}第{j + 1}学校",
                code=f"{county.code}{j + 1:04d}",
                area_type="county",
            )
            for j in range(per_county * 3)
        ]
    password = make_password("bench")
    admin = Person.objects.create(
        username="bench_city",
        full_name="市管理员",
        unit=city,
        password=password,
        must_change_password=False,
    )
    RoleGrant.objects.create(person=admin, unit=city, role=Role.UNIT_ADMIN)
    county_admin = Person.objects.create(
        username="bench_county",
        full_name="县管理员",
        unit=counties[0],
        password=password,
        must_change_password=False,
    )
    RoleGrant.objects.create(person=county_admin, unit=counties[0], role=Role.UNIT_ADMIN)
    term = Term.objects.create(
        unit=city,
        name="2026年秋季学期",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 1, 22),
    )
    TermDay.objects.bulk_create(
        [
            TermDay(term=term, date=dt.date(2026, 10, d), kind=DayOffKind.HOLIDAY)
            for d in range(1, 8)
        ]
        + [
            TermDay(
                term=term, date=dt.date(2026, 9, 27), kind=DayOffKind.MAKEUP, follows_weekday=0
            ),
            TermDay(
                term=term, date=dt.date(2026, 10, 10), kind=DayOffKind.MAKEUP, follows_weekday=4
            ),
        ]
    )
    teachers, assistants, group_rows, plans = [], [], [], []
    for index, county in enumerate(counties):
        for g in range(per_county):
            host, first, second = schools[index][3 * g : 3 * g + 3]
            group_rows.append(
                DeliveryGroup(
                    unit=county,
                    term=term,
                    name=f"{host.name}专递课堂",
                    mode=GroupMode.SCHOOL_TO_SCHOOLS,
                    host_school=host,
                    host_classroom="录播教室",
                    subjects=["英语", "音乐", "美术", "科学"],
                )
            )
            for _n in range(2):
                teachers.append(
                    Person(
                        username=f"t{len(teachers)}",
                        full_name=f"主讲{len(teachers)}",
                        unit=host,
                        password=password,
                        must_change_password=False,
                    )
                )
            for school in (first, second):
                assistants.append(
                    Person(
                        username=f"a{len(assistants)}",
                        full_name=f"辅助{len(assistants)}",
                        unit=school,
                        password=password,
                        must_change_password=False,
                    )
                )
            plans.append((first, second))
    Person.objects.bulk_create(teachers + assistants, batch_size=2000)
    teachers = list(Person.objects.filter(username__startswith="t").order_by("id"))
    assistants = list(Person.objects.filter(username__startswith="a").order_by("id"))
    DeliveryGroup.objects.bulk_create(group_rows, batch_size=1000)
    group_rows = list(DeliveryGroup.objects.order_by("id"))
    rooms, periods = [], []
    for number, group in enumerate(group_rows):
        for k, school in enumerate(plans[number]):
            rooms.append(
                ReceivingClassroom(
                    group=group,
                    school=school,
                    name="四年级",
                    students=35,
                    assistant=assistants[2 * number + k],
                )
            )
        slot = number % 6
        for k, subject in enumerate(group.subjects):
            start = dt.time(8 + (50 * slot) // 60, (50 * slot) % 60)
            end = (dt.datetime.combine(dt.date.today(), start) + dt.timedelta(minutes=40)).time()
            periods.append(
                Period(
                    group=group,
                    subject=subject,
                    host_teacher=teachers[2 * number + k // 2],
                    weekday=k,
                    starts_at=start,
                    ends_at=end,
                )
            )
    # A few teachers also "teach" another group at the same time: the clashes to find.
    for n in range(CLASHES):
        victim = periods[PERIODS_PER_GROUP * (n + 1) * 7]
        periods.append(
            Period(
                group=group_rows[-1 - n],
                subject="英语",
                host_teacher=victim.host_teacher,
                weekday=victim.weekday,
                starts_at=victim.starts_at,
                ends_at=victim.ends_at,
            )
        )
    ReceivingClassroom.objects.bulk_create(rooms, batch_size=2000)
    Period.objects.bulk_create(periods, batch_size=2000)
    return term, group_rows, teachers, admin, county_admin, counties[0]


def timed(client, url: str, count: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per request: on a shared machine the CPU time is the figure
    that does not depend on what the other processes are doing."""
    client.get(url)  # warm
    wall, cpu = [], []
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def figures(pair: tuple[list[float], list[float]]) -> str:
    wall, cpu = pair
    return (
        f"{median(wall):.1f} / {percentile(wall, 95):.1f} ms "
        f"(CPU {median(cpu):.1f} / {percentile(cpu, 95):.1f} ms)"
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.quick:
        args.groups, args.requests = 50, 50
    shutil.rmtree(args.data_dir, ignore_errors=True)
    setup_django(args.data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from youke.classrooms.domain import sessions, timetable
    from youke.classrooms.models import ClassSession
    from youke.core.actor import Actor

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    term, groups, teachers, city_admin, county_admin, county = generate(args.groups)
    print(
        f"generated {len(groups):,} groups on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    clashes = timetable.term_clashes(term)
    clash_s = time.perf_counter() - started
    started = time.perf_counter()
    made = sessions.generate_sessions(groups, now=timezone.make_aware(dt.datetime(2026, 8, 1)))
    generate_s = time.perf_counter() - started
    total = ClassSession.objects.count()

    group = groups[0]
    group.refresh_from_db()
    started = time.perf_counter()
    timetable.save_period(
        Actor(city_admin),
        group,
        subject="音乐",
        host_teacher=teachers[0],
        weekday=4,
        starts_at=dt.time(16, 0),
        ends_at=dt.time(16, 40),
    )
    add_ms = (time.perf_counter() - started) * 1000

    client = Client(HTTP_HOST="localhost")
    client.force_login(teachers[0])
    week = timed(client, "/my/classrooms/?date=2026-10-12", args.requests)
    client.force_login(county_admin)
    registry = timed(
        client, f"/manage/classrooms/registry/?unit={county.pk}&term={term.pk}", args.requests
    )
    print(
        table(
            ["work", "figure"],
            [
                ["sessions generated", f"{made.created:,} (table {total:,})"],
                ["clash check, whole term", f"{clash_s:.2f} s, {len(clashes)} clashing pairs"],
                ["session generation", f"{generate_s:.2f} s"],
                ["generation + clash check", f"{clash_s + generate_s:.2f} s (target ≤ 30 s)"],
                ["one period added (save_period)", f"{add_ms:.0f} ms"],
                ["teacher week page p50 / p95", figures(week)],
                ["county registry page p50 / p95", figures(registry)],
            ],
        )
    )


if __name__ == "__main__":
    main()
