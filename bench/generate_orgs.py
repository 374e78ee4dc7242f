"""Generate a large org tree for the org benchmarks (bench/bench_orgs.py).

教育部 → 1 province → 20 cities → 200 counties → 200,000 schools, 500,000 teachers (each with
a teacher RoleGrant on their school), plus admins ``bench_province``, ``bench_city`` and
``bench_county`` holding unit_admin on their unit, all with password ``BENCH_PASSWORD``.

Units go in through ``youke.core.trees.bulk_build``; people and grants through
``bulk_create`` in chunks, sharing ONE password hash (Argon2 per row would take hours).

    .venv/bin/python bench/generate_orgs.py                      # full scale, SQLite
    .venv/bin/python bench/generate_orgs.py --schools 2000 --teachers 5000
    DATABASE_URL=postgres://... .venv/bin/python bench/generate_orgs.py --force
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

from common import ADMINS, BENCH_PASSWORD, DEFAULT_DATA_DIR, META_FILE, setup_django

CITIES = 20
COUNTIES_PER_CITY = 10
MINISTRY_CODE = "100000"
PROVINCE_CODE = "990000"
SCHOOL_CODE_BASE = 3_300_000_000  # 10-digit 学校标识码
TEACHER_MOBILE_BASE = 13_000_000_000  # 130xxxxxxxx; the import bench uses 19xxxxxxxxx
TEACHER_ID_REGION = "330102"  # the import bench uses 110101
CHUNK = 20_000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩然子涵欣怡雨轩梓萱思远俊"
SCHOOL_KINDS = ("小学", "中学", "实验小学", "初级中学", "九年一贯制学校", "高级中学")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="youke data dir (SQLite database, media); default %(default)s",
    )
    parser.add_argument("--schools", type=int, default=200_000)
    parser.add_argument("--teachers", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--force",
        action="store_true",
        help="delete an existing SQLite database (or flush PostgreSQL) first",
    )
    return parser.parse_args(argv)


def prepare_database(data_dir: Path, force: bool) -> None:
    """Start from an empty database: refuse to touch existing data unless --force."""
    if os.environ.get("DATABASE_URL"):
        return  # checked after Django starts (see ensure_empty)
    db = data_dir / "youke.sqlite3"
    if db.exists():
        if not force:
            sys.exit(f"{db} exists; pass --force to delete it, or use another --data-dir")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def ensure_empty(force: bool) -> None:
    from django.core.management import call_command

    from youke.orgs.models import Unit

    if Unit.objects.exists():
        if not force:
            sys.exit("the database already holds units; pass --force to flush it")
        call_command("flush", interactive=False, verbosity=0)


def id_card(region: str, index: int) -> str:
    """A valid GB 11643 number, unique per (region, index) for index < 36,500,000."""
    from youke.orgs.validators import id_card_check_digit

    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=index // 1000)
    first17 = f"{region}{birth:%Y%m%d}{index % 1000:03d}"
    return first17 + id_card_check_digit(first17)


def build_units(n_schools: int, rng: random.Random) -> dict[str, int]:
    from youke.core.trees import Spec, bulk_build
    from youke.orgs.enums import AreaType, UnitKind
    from youke.orgs.models import Unit

    counties: list[Spec] = []
    cities: list[Spec] = []
    for c in range(1, CITIES + 1):
        city_code = f"99{c:02d}00"
        city = Spec({"code": city_code, "name": f"基准{c}市", "kind": UnitKind.CITY})
        for k in range(1, COUNTIES_PER_CITY + 1):
            area = AreaType.URBAN if k <= 3 else AreaType.COUNTY
            suffix = "区" if area == AreaType.URBAN else "县"
            county = Spec(
                {
                    "code": f"{city_code[:4]}{k:02d}",
                    "name": f"基准{c}市{k}{suffix}",
                    "kind": UnitKind.COUNTY,
                    "area_type": area,
                }
            )
            city.children.append(county)
            counties.append(county)
        cities.append(city)
    # Schools are spread evenly: county j holds schools [j*S/C, (j+1)*S/C).
    for i in range(n_schools):
        county = counties[i * len(counties) // n_schools]
        kind = SCHOOL_KINDS[rng.randrange(len(SCHOOL_KINDS))]
        county.children.append(
            Spec(
                {
                    "code": str(SCHOOL_CODE_BASE + i),
                    "kind": UnitKind.SCHOOL,
                    "name": f"{county.fields['name']}第{len(county.children) + 1}{kind}",
                    "area_type": county.fields["area_type"],
                }
            )
        )
    province = Spec({"code": PROVINCE_CODE, "name": "基准省", "kind": UnitKind.PROVINCE}, cities)
    ministry = Spec(
        {"code": MINISTRY_CODE, "name": "教育部（基准）", "kind": UnitKind.MINISTRY}, [province]
    )
    created = bulk_build(Unit, [ministry], batch_size=5000)
    return {
        "units": created,
        "cities": len(cities),
        "counties": len(counties),
        "schools": n_schools,
    }


def build_teachers(
    n_teachers: int, school_ids: list[int], password_hash: str, rng: random.Random
) -> int:
    from django.db import transaction

    from youke.orgs.enums import Role, TeacherTitle
    from youke.orgs.models import Person, RoleGrant

    titles = [value for value, _label in TeacherTitle.choices if value]
    done = 0
    while done < n_teachers:
        size = min(CHUNK, n_teachers - done)
        people = []
        for i in range(done, done + size):
            mobile = str(TEACHER_MOBILE_BASE + i)
            people.append(
                Person(
                    username=mobile,
                    mobile=mobile,
                    full_name=rng.choice(SURNAMES)
                    + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
                    id_card=id_card(TEACHER_ID_REGION, i) if i % 2 == 0 else None,
                    unit_id=school_ids[rng.randrange(len(school_ids))],
                    title=rng.choice(titles) if rng.random() < 0.1 else "",
                    password=password_hash,
                    must_change_password=True,
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(people)
            if people and people[0].pk is None:  # backends without RETURNING ids
                ids = dict(
                    Person.objects.filter(mobile__in=[p.mobile for p in people]).values_list(
                        "mobile", "pk"
                    )
                )
                for p in people:
                    p.pk = ids[p.mobile]
            RoleGrant.objects.bulk_create(
                [RoleGrant(person_id=p.pk, unit_id=p.unit_id, role=Role.TEACHER) for p in people]
            )
        done += size
        print(f"  teachers {done:,}/{n_teachers:,}", end="\r", flush=True)
    print()
    return done


def build_admins(password_hash: str) -> dict[str, dict]:
    from youke.orgs.enums import Role
    from youke.orgs.models import Person, RoleGrant, Unit

    units = {
        "province": Unit.objects.get(code=PROVINCE_CODE),
        "city": Unit.objects.get(code="990100"),
        "county": Unit.objects.get(code="990101"),
    }
    admins = {}
    for level, username in ADMINS.items():
        unit = units[level]
        person = Person.objects.create(
            username=username,
            full_name=f"基准{unit.name}管理员",
            unit=unit,
            password=password_hash,
            must_change_password=False,
        )
        RoleGrant.objects.create(person=person, unit=unit, role=Role.UNIT_ADMIN)
        admins[level] = {"username": username, "unit_code": unit.code, "unit_path": unit.path}
    return admins


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    prepare_database(args.data_dir, args.force)
    setup_django(args.data_dir)

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from youke.orgs.enums import UnitKind
    from youke.orgs.models import Unit

    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    timings["migrate_s"] = time.perf_counter() - t
    ensure_empty(args.force)
    print(f"migrate: {timings['migrate_s']:.1f} s")

    gen_started = time.perf_counter()
    password_hash = make_password(BENCH_PASSWORD)  # one hash shared by every account

    t = time.perf_counter()
    with transaction.atomic():
        counts = build_units(args.schools, rng)
    timings["units_s"] = time.perf_counter() - t
    print(f"units: {counts['units']:,} in {timings['units_s']:.1f} s")

    school_ids = list(
        Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path").values_list("pk", flat=True)
    )
    t = time.perf_counter()
    counts["teachers"] = build_teachers(args.teachers, school_ids, password_hash, rng)
    timings["teachers_s"] = time.perf_counter() - t
    print(f"teachers + grants: {counts['teachers']:,} in {timings['teachers_s']:.1f} s")

    with transaction.atomic():
        admins = build_admins(password_hash)
    timings["generation_s"] = time.perf_counter() - gen_started

    t = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # autovacuum would do it soon after a real load
    timings["finish_s"] = time.perf_counter() - t
    timings["total_s"] = time.perf_counter() - started
    timings["process_cpu_s"] = time.process_time()

    meta = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "counts": counts,
        "admins": admins,
        "password": BENCH_PASSWORD,
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    (args.data_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    print(
        f"generation time: {timings['generation_s']:.1f} s "
        f"(units {timings['units_s']:.1f} s, teachers {timings['teachers_s']:.1f} s); "
        f"total with migrate {timings['total_s']:.1f} s; "
        f"CPU time of this process {timings['process_cpu_s']:.1f} s"
    )
    if connection.vendor == "sqlite":
        size = (args.data_dir / "youke.sqlite3").stat().st_size
        print(f"database size: {size / 1e6:,.0f} MB")
    print(
        f"admins (password {BENCH_PASSWORD}): "
        + ", ".join(f"{a['username']}@{a['unit_code']}" for a in admins.values())
    )


if __name__ == "__main__":
    main()
