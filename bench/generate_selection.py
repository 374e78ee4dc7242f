"""Generate multi-level selection data for bench/bench_selection.py (BRIEF §8, issue 4).

Starts from a copy of the data dir made by bench/generate_submissions.py (``--source``,
default bench/out/subs; generated first when missing) so the submission benchmarks keep their
data, then adds with ``bulk_create`` in chunks:

- a school-level LevelEntry for every submitted package (pending; recommended in the county
  990101, whose school lists are confirmed);
- that county's packages at the county level, pending (the ``bench_county`` inbox);
- quotas: the county (overall and per category), the five cities and the province;
- ``--big-list`` province-level entries, recommended, in ONE confirmed list of the province
  (every generated package, whatever its state: the summary sheet and ``propose_list`` only
  need volume);
- ``--experts`` expert people (``bench_expert_001`` …) on random schools, with an ``expert``
  RoleGrant on the province and an ExpertProfile whose areas cover the catalog stages;
- one open province review round with all of them on the panel and ``--reviews`` assignments
  (3 per entry, exactly reviews / experts each), 90 % submitted with a Score per criterion;
- ``bench_expert_few``: one more expert with 10 assignments in a small county round, to
  compare the expert queue at 10 and 100 rows.

    .venv/bin/python bench/generate_selection.py                  # bench/out/selection
    .venv/bin/python bench/generate_selection.py --source bench/out/subs_small \
        --data-dir bench/out/selection_small --reviews 3000 --big-list 3000 --force
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from common import BENCH_PASSWORD, META_FILE, OUT_DIR, setup_django

DEFAULT_SOURCE = OUT_DIR / "subs"
DEFAULT_DIR = OUT_DIR / "selection"
SELECTION_META = "selection_meta.json"
CHUNK = 10_000
COUNTY_CODE = "990101"
EXPERT_PREFIX = "bench_expert_"
FEW_EXPERT = "bench_expert_few"
REVIEWS_PER_ENTRY = 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--experts", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=20_000)
    parser.add_argument("--big-list", type=int, default=100_000, help="entries of the big list")
    parser.add_argument("--submitted-share", type=float, default=0.9, help="reviews submitted")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="replace an existing data dir")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="add to the database of --data-dir as generate_submissions.py left it, without "
        "copying (the way to PostgreSQL: set DATABASE_URL)",
    )
    return parser.parse_args(argv)


def copy_source(source: Path, target: Path, force: bool) -> None:
    """A consistent copy of the source database (SQLite backup API) and its side files."""
    if not (source / META_FILE).exists():
        import generate_submissions

        print(f"{source / META_FILE} missing: running generate_submissions.py first")
        generate_submissions.main(["--data-dir", str(source), "--force"])
    db = target / "youke.sqlite3"
    if db.exists() and not force:
        sys.exit(f"{db} exists: use --force to replace it")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("youke.sqlite3", "youke.sqlite3-wal", "youke.sqlite3-shm"):
        (target / name).unlink(missing_ok=True)
    src = sqlite3.connect(source / "youke.sqlite3")
    dst = sqlite3.connect(db)
    src.backup(dst)
    dst.close()
    src.close()
    for name in ("secret_key", "field_key", META_FILE):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    if (source / "static").is_dir() and not (target / "static").exists():
        shutil.copytree(source / "static", target / "static")


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def build(args, rng: random.Random, meta: dict) -> dict:  # noqa: PLR0915 (one linear script)
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from youke.campaigns.models import Campaign, Criterion, Level
    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.orgs.enums import Role, UnitKind
    from youke.orgs.models import ExpertProfile, Person, RoleGrant, Unit
    from youke.selection.enums import AssignmentState, EntryState, ListState, RoundState
    from youke.selection.models import (
        Assignment,
        LevelEntry,
        LevelList,
        Quota,
        ReviewRound,
        RoundExpert,
        Score,
    )
    from youke.submissions.enums import SubmissionState
    from youke.submissions.models import Submission

    now = timezone.now()
    timings: dict[str, float] = {}
    campaign = Campaign.objects.get(pk=meta["campaign_id"])
    levels = {lv.unit_kind: lv for lv in Level.objects.filter(campaign=campaign).order_by("-order")}
    school_level = levels[UnitKind.SCHOOL]
    county_level = levels[UnitKind.COUNTY]
    city_level = levels[UnitKind.CITY]
    province_level = Level.objects.filter(campaign=campaign, unit_kind=UnitKind.PROVINCE).order_by(
        "order"
    )[0]
    province = Unit.objects.get(code=meta["admins"]["province"]["unit_code"])
    county = Unit.objects.get(code=COUNTY_CODE)
    province_admin = Person.objects.get(username=meta["admins"]["province"]["username"])
    county_admin = Person.objects.get(username=meta["admins"]["county"]["username"])
    categories = list(campaign.categories.order_by("order"))
    counts: dict[str, int] = {}

    # 1. School level: every submitted package; the county's are recommended, lists confirmed.
    t = time.perf_counter()
    subs = list(
        Submission.objects.filter(campaign=campaign, state=SubmissionState.SUBMITTED)
        .order_by("id")
        .values_list("pk", "unit_id", "unit__path", "submitted_at")
    )
    in_county = {pk for pk, _u, path, _s in subs if path.startswith(county.path)}
    with transaction.atomic():
        for batch in _chunks(subs):
            LevelEntry.objects.bulk_create(
                [
                    LevelEntry(
                        submission_id=pk,
                        level=school_level,
                        unit_id=unit_id,
                        state=EntryState.RECOMMENDED if pk in in_county else EntryState.PENDING,
                        decided_by=None,
                        decided_at=(submitted or now) if pk in in_county else None,
                    )
                    for pk, unit_id, _path, submitted in batch
                ]
            )
        county_schools = {unit_id for pk, unit_id, _p, _s in subs if pk in in_county}
        LevelList.objects.bulk_create(
            [
                LevelList(
                    campaign=campaign,
                    level=school_level,
                    unit_id=unit_id,
                    state=ListState.CONFIRMED,
                    confirmed_at=now,
                )
                for unit_id in sorted(county_schools)
            ]
        )
        # 2. County level: the county's packages, pending, in an open list.
        LevelEntry.objects.bulk_create(
            [
                LevelEntry(submission_id=pk, level=county_level, unit=county)
                for pk, _u, _p, _s in subs
                if pk in in_county
            ]
        )
        LevelList.objects.create(campaign=campaign, level=county_level, unit=county)
    counts["school_entries"] = len(subs)
    counts["county_schools_confirmed"] = len(county_schools)
    counts["county_entries"] = len(in_county)
    timings["entries_s"] = time.perf_counter() - t
    print(f"school entries {len(subs):,}, county {county.code} entries {len(in_county):,}")

    # 3. Quotas: the county (overall + per category), the cities, the province.
    t = time.perf_counter()
    cities = list(Unit.objects.filter(kind=UnitKind.CITY, path__under=province.path))
    quotas = [
        Quota(campaign=campaign, level=county_level, unit=county, allowed=300, set_by=county_admin)
    ]
    quotas += [
        Quota(
            campaign=campaign,
            level=county_level,
            unit=county,
            category=c,
            allowed=200 if i == 0 else 50,
            set_by=province_admin,
        )
        for i, c in enumerate(categories)
    ]
    quotas += [
        Quota(campaign=campaign, level=city_level, unit=c, allowed=1000, set_by=province_admin)
        for c in cities
    ]
    quotas += [
        Quota(
            campaign=campaign,
            level=province_level,
            unit=province,
            allowed=20_000,
            set_by=province_admin,
        )
    ]
    quotas += [
        Quota(
            campaign=campaign,
            level=province_level,
            unit=province,
            category=c,
            allowed=15_000 if i == 0 else 2_000,
            set_by=province_admin,
        )
        for i, c in enumerate(categories)
    ]
    Quota.objects.bulk_create(quotas)
    counts["quotas"] = len(quotas)
    timings["quotas_s"] = time.perf_counter() - t

    # 4. The big province list: recommended, confirmed.
    t = time.perf_counter()
    big_ids = list(
        Submission.objects.filter(campaign=campaign).order_by("id").values_list("pk", flat=True)
    )[: args.big_list]
    with transaction.atomic():
        for batch in _chunks(big_ids):
            LevelEntry.objects.bulk_create(
                [
                    LevelEntry(
                        submission_id=pk,
                        level=province_level,
                        unit=province,
                        state=EntryState.RECOMMENDED,
                        decided_by=province_admin,
                        decided_at=now,
                    )
                    for pk in batch
                ]
            )
            print(f"  province entries {batch[-1]:,}", end="\r", flush=True)
        big_list = LevelList.objects.create(
            campaign=campaign,
            level=province_level,
            unit=province,
            state=ListState.CONFIRMED,
            confirmed_at=now,
            confirmed_by=province_admin,
        )
    print()
    counts["big_list_entries"] = len(big_ids)
    timings["big_list_s"] = time.perf_counter() - t
    print(f"big confirmed list: {len(big_ids):,} entries in {timings['big_list_s']:.1f} s")

    # 5. Experts: people, grants on the province, areas covering the stages.
    t = time.perf_counter()
    password_hash = make_password(BENCH_PASSWORD)
    school_ids = list(
        Unit.objects.filter(kind=UnitKind.SCHOOL, path__under=province.path).values_list(
            "pk", flat=True
        )
    )
    stages = list(CourseNode.objects.filter(level=NodeLevel.STAGE).order_by("path"))
    names = [f"{EXPERT_PREFIX}{i:03d}" for i in range(1, args.experts + 1)] + [FEW_EXPERT]
    with transaction.atomic():
        experts = Person.objects.bulk_create(
            [
                Person(
                    username=name,
                    full_name=f"基准专家{i + 1}",
                    unit_id=school_ids[rng.randrange(len(school_ids))],
                    password=password_hash,
                    must_change_password=False,
                )
                for i, name in enumerate(names)
            ]
        )
        RoleGrant.objects.bulk_create(
            [RoleGrant(person=p, unit=province, role=Role.EXPERT) for p in experts]
        )
        profiles = ExpertProfile.objects.bulk_create([ExpertProfile(person=p) for p in experts])
        through = ExpertProfile.areas.through
        links = []
        for i, profile in enumerate(profiles):
            areas = {stages[i % len(stages)].pk}
            if i % 4 == 0:  # a quarter review two stages
                areas.add(stages[(i + 1) % len(stages)].pk)
            links += [through(expertprofile_id=profile.pk, coursenode_id=a) for a in areas]
        through.objects.bulk_create(links)
    panel, few = experts[: args.experts], experts[-1]
    counts["experts"] = len(panel)
    counts["expert_areas"] = len(links)
    timings["experts_s"] = time.perf_counter() - t

    # 6. The review round: reviews / 3 entries of the big list, 3 experts each, balanced.
    t = time.perf_counter()
    criteria: dict[int, list] = {}
    for c in Criterion.objects.filter(category__campaign=campaign).order_by("id"):
        criteria.setdefault(c.category_id, []).append(c)
    n_entries = -(-args.reviews // REVIEWS_PER_ENTRY)
    round_entries = list(
        LevelEntry.objects.filter(level=province_level, unit=province)
        .order_by("id")
        .values_list("pk", "submission__category_id")[:n_entries]
    )
    deadline = now + datetime.timedelta(days=30)
    with transaction.atomic():
        review_round = ReviewRound.objects.create(
            campaign=campaign,
            level=province_level,
            unit=province,
            name="基准省级评审",
            reviews_per_entry=REVIEWS_PER_ENTRY,
            deadline=deadline,
            state=RoundState.OPEN,
            created_by=province_admin,
        )
        ReviewRound.entries.through.objects.bulk_create(
            [
                ReviewRound.entries.through(reviewround_id=review_round.pk, levelentry_id=pk)
                for pk, _cat in round_entries
            ]
        )
        per_expert = -(-args.reviews // len(panel))
        RoundExpert.objects.bulk_create(
            [RoundExpert(round=review_round, expert=p, max_load=per_expert) for p in panel]
        )
        pairs = []  # (entry, category, expert): expert slots 3k, 3k+1, 3k+2 modulo the panel
        slot = 0
        for pk, cat in round_entries:
            for _ in range(REVIEWS_PER_ENTRY):
                if len(pairs) < args.reviews:
                    pairs.append((pk, cat, panel[slot % len(panel)].pk))
                    slot += 1
        n_scores = 0
        for batch in _chunks(pairs):
            assignments, plans = [], []
            for pk, cat, expert_id in batch:
                done = rng.random() < args.submitted_share
                points = []
                if done:
                    veto = rng.random() < 0.01
                    for c in criteria.get(cat, []):
                        if c.is_veto:
                            points.append((c.pk, 1 if veto else 0, True))
                            veto = False  # one violated item is enough
                        else:
                            low = max(0, c.points - max(2, c.points // 2))
                            points.append((c.pk, rng.randint(low, c.points), False))
                    vetoed = any(v == 1 for _c, v, is_veto in points if is_veto)
                else:
                    vetoed = False
                assignments.append(
                    Assignment(
                        round=review_round,
                        entry_id=pk,
                        expert_id=expert_id,
                        state=AssignmentState.SUBMITTED if done else AssignmentState.ASSIGNED,
                        total=sum(v for _c, v, is_veto in points if not is_veto) if done else None,
                        veto=vetoed,
                        veto_reason="基准：违反要求" if vetoed else "",
                        comment="基准评语" if done else "",
                        submitted_at=now if done else None,
                    )
                )
                plans.append(points)
            Assignment.objects.bulk_create(assignments)
            scores = [
                Score(assignment_id=a.pk, criterion_id=cid, points=v)
                for a, points in zip(assignments, plans, strict=True)
                for cid, v, _veto in points
            ]
            Score.objects.bulk_create(scores)
            n_scores += len(scores)
        # A second, small open round at the county level: bench_expert_few with 10 entries.
        small = ReviewRound.objects.create(
            campaign=campaign,
            level=county_level,
            unit=county,
            name="基准县级评审",
            deadline=deadline,
            state=RoundState.OPEN,
            created_by=county_admin,
        )
        few_entries = list(
            LevelEntry.objects.filter(level=county_level, unit=county)
            .order_by("id")
            .values_list("pk", flat=True)[:10]
        )
        small.entries.set(few_entries)
        RoundExpert.objects.create(round=small, expert=few, max_load=20)
        Assignment.objects.bulk_create(
            [Assignment(round=small, entry_id=pk, expert=few) for pk in few_entries]
        )
    counts["round_entries"] = len(round_entries)
    counts["assignments"] = len(pairs)
    counts["assignments_submitted"] = Assignment.objects.filter(
        round=review_round, state=AssignmentState.SUBMITTED
    ).count()
    counts["scores"] = n_scores
    counts["few_expert_assignments"] = len(few_entries)
    timings["review_s"] = time.perf_counter() - t
    print(
        f"round {review_round.pk}: {len(round_entries):,} entries, {len(pairs):,} assignments, "
        f"{n_scores:,} scores in {timings['review_s']:.1f} s"
    )
    return {
        "counts": counts,
        "timings": timings,
        "campaign_id": campaign.pk,
        "levels": {
            "school": school_level.pk,
            "county": county_level.pk,
            "city": city_level.pk,
            "province": province_level.pk,
        },
        "province_unit": province.pk,
        "county_unit": county.pk,
        "big_list": big_list.pk,
        "round": review_round.pk,
        "small_round": small.pk,
        "experts": [p.username for p in panel[:3]] + ["…"],
        "expert_100": panel[0].username,
        "expert_few": FEW_EXPERT,
        "per_expert": per_expert,
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    if not args.in_place:
        copy_source(args.source, args.data_dir, args.force)
    timings = {"copy_s": time.perf_counter() - started}
    meta = json.loads((args.data_dir / META_FILE).read_text())
    setup_django(args.data_dir)

    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import OperationalError

    from youke.selection.models import LevelEntry

    t = time.perf_counter()
    try:
        call_command("migrate", verbosity=0)
    except OperationalError as exc:
        sys.exit(
            f"migrate failed on the copy of {args.source} ({exc}): its schema predates the "
            "current migrations; regenerate it with generate_submissions.py --force (or pass "
            "--source with a fresh one)"
        )
    timings["migrate_s"] = time.perf_counter() - t
    if LevelEntry.objects.exists():
        sys.exit("the copied database already has level entries: use a fresh --source")
    info = build(args, random.Random(args.seed), meta)
    timings.update(info.pop("timings"))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("ANALYZE")  # as generate_submissions.py does after its load
    timings["total_s"] = time.perf_counter() - started
    out = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "source": str(args.source),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        **info,
        "password": BENCH_PASSWORD,
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    (args.data_dir / SELECTION_META).write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"counts: {json.dumps(info['counts'])}")
    print(f"total {timings['total_s']:.1f} s; wrote {args.data_dir / SELECTION_META}")


if __name__ == "__main__":
    sys.exit(main())
