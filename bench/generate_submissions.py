"""Generate 100,000 submissions for the submission-list benchmarks (bench/bench_submissions.py).

Orgs at moderate scale through bench/generate_orgs.py (1 province → 5 cities → 50 counties →
2,000 schools, 40,000 teachers), the demo catalog (``youke.catalog.demo`` outlines through
``youke.manage.demo.catalog.build_catalog``), one published 精品课 campaign open now, then
``--submissions`` packages with ``bulk_create`` (states mixed, ``--materials`` finished
uploads + materials each, a few co-authors):

- one big school (the first school of county 990101) holds ``--big-teachers`` teachers with
  5 packages each (≈ 2,000 packages), admin ``bench_school_big``;
- one ordinary school of the same county, admin ``bench_school`` (≈ 50 packages), where
  ``bench_teacher`` has ``--teacher-submissions`` (20) packages;
- the rest are spread at random over the other teachers (≈ 2.5 each);
- admins ``bench_province`` / ``bench_city`` / ``bench_county`` as in generate_orgs.py.

Every bench account has password ``BENCH_PASSWORD`` and no forced password change.

    .venv/bin/python bench/generate_submissions.py                  # bench/out/subs
    .venv/bin/python bench/generate_submissions.py --submissions 10000 --data-dir bench/out/s10k
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import generate_orgs
from common import ADMINS, BENCH_PASSWORD, META_FILE, OUT_DIR, setup_django

DEFAULT_SUBS_DIR = OUT_DIR / "subs"
CHUNK = 10_000
STATES = (("draft", 0.30), ("submitted", 0.60), ("withdrawn", 0.10))
CHECKS = (("passed", 0.70), ("warned", 0.15), ("failed", 0.08), ("queued", 0.07))
TITLE_WORDS = "认识探究实验统计阅读写作函数几何方程电路光合作用诗词文言口语单元复习"
SUBMISSIONS_PER_BIG_TEACHER = 5
BENCH_TEACHER = "bench_teacher"
SCHOOL_ADMINS = {"school_big": "bench_school_big", "school": "bench_school"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_SUBS_DIR)
    parser.add_argument("--cities", type=int, default=5)
    parser.add_argument("--schools", type=int, default=2_000)
    parser.add_argument("--teachers", type=int, default=40_000)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--big-teachers", type=int, default=400, help="teachers of the big school")
    parser.add_argument("--teacher-submissions", type=int, default=20)
    parser.add_argument("--materials", type=int, default=2, help="finished materials per package")
    parser.add_argument("--coauthor-share", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="delete an existing database first")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE at the end (youke itself never does on SQLite; off by default)",
    )
    return parser.parse_args(argv)


# --- a published campaign open now (also used by bench_upload.py) ----------------------------


def open_campaign(owner_admin, owner_unit, name: str):
    """A 精品课 campaign from the real template, opened now and published (as the tests do)."""
    from django.utils import timezone

    from youke.campaigns.domain.campaigns import set_campaign_state
    from youke.campaigns.domain.templates import create_campaign_from_template
    from youke.core.actor import Actor

    campaign = create_campaign_from_template(
        Actor(owner_admin), owner_unit, "quality_course", name=name, year=timezone.now().year
    )
    reopen_campaign(campaign)
    set_campaign_state(campaign, "published", actor=Actor(owner_admin))
    campaign.refresh_from_db()
    return campaign


def reopen_campaign(campaign) -> None:
    """Opened yesterday, teacher deadline in 10 days: run again whenever the data is reused."""
    from django.utils import timezone

    from youke.campaigns.models import Campaign, Level

    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=300)
    )
    for index, level in enumerate(Level.objects.filter(campaign=campaign).order_by("order")):
        Level.objects.filter(pk=level.pk).update(
            deadline=now + datetime.timedelta(days=10 + 10 * index)
        )
    campaign.refresh_from_db()


# --- generation ---------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def make_person(username: str, full_name: str, unit, role: str, password_hash: str):
    from youke.orgs.models import Person, RoleGrant

    person = Person.objects.create(
        username=username,
        full_name=full_name,
        unit=unit,
        password=password_hash,
        must_change_password=False,
    )
    RoleGrant.objects.create(person=person, unit=unit, role=role)
    return person


def plan_authors(args, rng: random.Random, big_school, school, bench_teacher) -> list:
    """(teacher_id, unit_id) of every package, in creation order."""
    from youke.orgs.enums import Role
    from youke.orgs.models import RoleGrant

    grants = list(RoleGrant.objects.filter(role=Role.TEACHER).values_list("person_id", "unit_id"))
    big = [(p, u) for p, u in grants if u == big_school.pk and p != bench_teacher.pk]
    others = [(p, u) for p, u in grants if u != big_school.pk and p != bench_teacher.pk]
    authors = [a for a in big for _ in range(SUBMISSIONS_PER_BIG_TEACHER)]
    authors += [(bench_teacher.pk, school.pk)] * args.teacher_submissions
    rest = max(0, args.submissions - len(authors))
    authors += [others[rng.randrange(len(others))] for _ in range(rest)]
    authors = authors[: args.submissions]
    rng.shuffle(authors)
    return authors


def build_submissions(args, rng: random.Random, campaign, authors: list) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from youke.campaigns.models import MaterialRequirement
    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.media.models import Upload
    from youke.submissions.models import CoAuthor, Material, Submission

    categories = list(campaign.categories.order_by("order"))
    requirements = {
        c.pk: list(MaterialRequirement.objects.filter(category=c).order_by("order"))[
            : args.materials
        ]
        for c in categories
    }
    lessons = list(CourseNode.objects.filter(level=NodeLevel.LESSON).values_list("pk", flat=True))
    by_unit: dict[int, list[int]] = {}
    for teacher_id, unit_id in set(authors):
        by_unit.setdefault(unit_id, []).append(teacher_id)

    # Spread updated_at / created_at over 90 days: auto_now would stamp every row "now".
    timestamp_fields = [
        f for f in Submission._meta.concrete_fields if f.name in ("created_at", "updated_at")
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in timestamp_fields]
    for f in timestamp_fields:
        f.auto_now = f.auto_now_add = False
    now = timezone.now()
    counts = {"submissions": 0, "uploads": 0, "materials": 0, "coauthors": 0}
    try:
        for start in range(0, len(authors), CHUNK):
            batch = authors[start : start + CHUNK]
            subs = []
            for teacher_id, unit_id in batch:
                state = _weighted(rng, STATES)
                created = now - datetime.timedelta(seconds=rng.randrange(90 * 86400))
                updated = created + datetime.timedelta(seconds=rng.randrange(3 * 86400))
                updated = min(updated, now)
                category = categories[rng.randrange(len(categories))]
                subs.append(
                    Submission(
                        campaign_id=campaign.pk,
                        category_id=category.pk,
                        node_id=lessons[rng.randrange(len(lessons))],
                        teacher_id=teacher_id,
                        unit_id=unit_id,
                        title="".join(rng.choices(TITLE_WORDS, k=rng.randint(4, 12))),
                        periods=1,
                        state=state,
                        originality_confirmed_at=updated if state != "draft" else None,
                        submitted_at=updated if state == "submitted" else None,
                        created_at=created,
                        updated_at=updated,
                    )
                )
            with transaction.atomic():
                Submission.objects.bulk_create(subs)
                uploads, materials, coauthors = [], [], []
                for sub in subs:
                    for requirement in requirements[sub.category_id]:
                        ext = requirement.extensions[0]
                        size = rng.randrange(50_000_000, 900_000_000) if ext == "mp4" else 300_000
                        upload = Upload(
                            owner_id=sub.teacher_id,
                            purpose="material",
                            filename=f"{requirement.code}.{ext}",
                            length=size,
                            offset=size,
                            content_type="video/mp4" if ext == "mp4" else "application/pdf",
                            sha256=hashlib.sha256(
                                f"{sub.pk}-{requirement.pk}".encode()
                            ).hexdigest(),
                            storage_name=f"uploads/bench/{sub.pk}/{requirement.code}.{ext}",
                            state="complete",
                            metadata={"purpose": "material", "submission": str(sub.pk)},
                            completed_at=sub.updated_at,
                        )
                        uploads.append(upload)
                        materials.append(
                            Material(
                                submission_id=sub.pk,
                                requirement_id=requirement.pk,
                                period=1,
                                upload_id=upload.pk,
                                check_state=_weighted(rng, CHECKS),
                            )
                        )
                    if rng.random() < args.coauthor_share:
                        peers = [t for t in by_unit[sub.unit_id] if t != sub.teacher_id]
                        if peers:
                            coauthors.append(
                                CoAuthor(submission_id=sub.pk, person_id=rng.choice(peers))
                            )
                Upload.objects.bulk_create(uploads)
                Material.objects.bulk_create(materials)
                CoAuthor.objects.bulk_create(coauthors)
            counts["submissions"] += len(subs)
            counts["uploads"] += len(uploads)
            counts["materials"] += len(materials)
            counts["coauthors"] += len(coauthors)
            print(f"  submissions {counts['submissions']:,}/{len(authors):,}", end="\r", flush=True)
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
    print()
    return counts


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    generate_orgs.prepare_database(args.data_dir, args.force)
    setup_django(args.data_dir)

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count

    from youke.manage.demo.catalog import build_catalog
    from youke.orgs.enums import Role, UnitKind
    from youke.orgs.models import Person, RoleGrant, Unit
    from youke.submissions.models import Submission

    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    generate_orgs.ensure_empty(args.force)
    timings["migrate_s"] = time.perf_counter() - started
    password_hash = make_password(BENCH_PASSWORD)

    t = time.perf_counter()
    generate_orgs.CITIES = args.cities  # build_units reads the module constants at call time
    with transaction.atomic():
        units = generate_orgs.build_units(args.schools, rng)
    school_ids = list(
        Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path").values_list("pk", flat=True)
    )
    units["teachers"] = generate_orgs.build_teachers(args.teachers, school_ids, password_hash, rng)
    with transaction.atomic():
        admins = generate_orgs.build_admins(password_hash)
    timings["orgs_s"] = time.perf_counter() - t
    print(f"orgs: {units} in {timings['orgs_s']:.1f} s")

    t = time.perf_counter()
    with transaction.atomic():
        catalog = build_catalog() or {}
    timings["catalog_s"] = time.perf_counter() - t
    print(f"catalog: {dict(catalog)} in {timings['catalog_s']:.1f} s")

    county = Unit.objects.get(code="990101")
    schools = list(
        Unit.objects.filter(path__under=county.path, kind=UnitKind.SCHOOL).order_by("path")[:2]
    )
    big_school, school = schools
    # Move the first --big-teachers teachers (people and grants) to the big school.
    movers = list(
        Person.objects.filter(grants__role=Role.TEACHER)
        .exclude(unit=big_school)
        .order_by("pk")
        .values_list("pk", flat=True)[: args.big_teachers]
    )
    with transaction.atomic():
        Person.objects.filter(pk__in=movers).update(unit=big_school)
        RoleGrant.objects.filter(person_id__in=movers, role=Role.TEACHER).update(unit=big_school)
        school_admins = {}
        for key, unit in (("school_big", big_school), ("school", school)):
            username = SCHOOL_ADMINS[key]
            make_person(username, f"基准{unit.name}管理员", unit, Role.UNIT_ADMIN, password_hash)
            school_admins[key] = {"username": username, "unit_code": unit.code, "unit": unit.name}
        bench_teacher = make_person(BENCH_TEACHER, "基准教师", school, Role.TEACHER, password_hash)
        province_admin = Person.objects.get(username=ADMINS["province"])
        campaign = open_campaign(province_admin, province_admin.unit, "基准精品课")

    t = time.perf_counter()
    authors = plan_authors(args, rng, big_school, school, bench_teacher)
    counts = build_submissions(args, rng, campaign, authors)
    timings["submissions_s"] = time.perf_counter() - t
    print(f"submissions: {counts} in {timings['submissions_s']:.1f} s")

    with connection.cursor() as cursor:
        if args.analyze or connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # PostgreSQL: autovacuum would do it soon after a load
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["total_s"] = time.perf_counter() - started

    per_school = Submission.objects.values("unit_id").annotate(n=Count("id"))
    sizes = sorted(row["n"] for row in per_school)
    shares = {
        "big_school": Submission.objects.filter(unit=big_school).count(),
        "school": Submission.objects.filter(unit=school).count(),
        "bench_teacher": Submission.objects.filter(teacher=bench_teacher).count(),
        "county_990101": Submission.objects.filter(unit__path__under=county.path).count(),
        "median_per_school": sizes[len(sizes) // 2] if sizes else 0,
        "states": dict(Submission.objects.values_list("state").annotate(n=Count("id"))),
    }
    meta = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "units": units,
        "catalog": dict(catalog),
        "counts": counts,
        "shares": shares,
        "campaign_id": campaign.pk,
        "admins": admins,
        "school_admins": school_admins,
        "teacher": BENCH_TEACHER,
        "password": BENCH_PASSWORD,
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    (args.data_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    print(f"shares: {json.dumps(shares, ensure_ascii=False)}")
    print(f"total {timings['total_s']:.1f} s; wrote {args.data_dir / META_FILE}")
    if connection.vendor == "sqlite":
        size = (args.data_dir / "youke.sqlite3").stat().st_size
        print(f"database size: {size / 1e6:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
