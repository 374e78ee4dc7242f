"""Review results at speed (issue 14): the round results page, the expert queue, the results
API and the review-results export of one big review round, in-process.

Generates its data (unless ``--reuse``): a small org tree and ``--entries`` submissions through
bench/generate_submissions.py, then with ``bulk_create``: one open province review round with
those entries at the province level, ``--experts`` experts on its panel and ``--reviews``
submitted assignments (3 per entry while they last, so with fewer reviews than 3 × entries
the rest stay unscored), each with a Score per criterion; ~0.5 % vetoed. The aggregates are
then rebuilt once (``rebuild_review_summaries``, timed) as after an import.

Then it times, through Django's test client in this process (no network; query counts from
``CaptureQueriesContext``), each URL ``--requests`` times after one warm-up:

- results page 1 by rank, page 40 by mean, the disagreement filter, a title search;
- the expert queue of the first expert (page 1, and the submitted filter);
- the results API, every entry of the round (as before) and ``?page=1`` (500 entries);

plus the review-results export job run inline (wall time, rows, peak RSS growth), one score
submit on the big round (the cost of keeping the aggregates current), and the rebuild.

    .venv/bin/python bench/bench_review_results.py                    # 5,000 / 10 / 15,000
    .venv/bin/python bench/bench_review_results.py --big              # 100,000 / 200 / 20,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youke_bench_results \
        .venv/bin/python bench/bench_review_results.py --force
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import sys
import time
from pathlib import Path

from common import ADMINS, BENCH_PASSWORD, OUT_DIR, median, percentile, setup_django, table

DEFAULT_DIR = OUT_DIR / "review_results"
META = "review_results_meta.json"
EXPERT_PREFIX = "bench_reviewer_"
VETO_SHARE = 0.005


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--experts", type=int, default=10)
    parser.add_argument("--reviews", type=int, default=15_000)
    parser.add_argument("--big", action="store_true", help="100,000 entries, 200, 20,000")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per URL")
    parser.add_argument("--reuse", action="store_true", help="use the data already generated")
    parser.add_argument("--force", action="store_true", help="replace an existing data dir")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.big:
        args.entries, args.experts, args.reviews = 100_000, 200, 20_000
    if args.data_dir is None:
        args.data_dir = DEFAULT_DIR.with_name(DEFAULT_DIR.name + ("_big" if args.big else ""))
    return args


# --- data ------------------------------------------------------------------------------------


def generate(args) -> dict:
    import generate_submissions

    generate_submissions.main(
        [
            "--data-dir",
            str(args.data_dir),
            "--cities",
            "2",
            "--schools",
            "200",
            "--teachers",
            str(max(2_000, args.entries // 5)),
            "--submissions",
            str(args.entries),
            "--big-teachers",
            "50",
            "--materials",
            "0",
            "--seed",
            str(args.seed),
            *(["--force"] if args.force else []),
        ]
    )
    return build_round(args, random.Random(args.seed))


def build_round(args, rng: random.Random) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from youke.campaigns.models import Campaign, Criterion, Level
    from youke.orgs.enums import Role, UnitKind
    from youke.orgs.models import Person, RoleGrant, Unit
    from youke.selection.enums import AssignmentState, EntryState, RoundState
    from youke.selection.models import (
        Assignment,
        LevelEntry,
        ReviewRound,
        RoundExpert,
        Score,
    )
    from youke.submissions.models import Submission

    now = timezone.now()
    admin = Person.objects.get(username=ADMINS["province"])
    province = admin.unit
    campaign = Campaign.objects.order_by("id").first()
    level = Level.objects.filter(campaign=campaign, unit_kind=UnitKind.PROVINCE).order_by("order")[
        0
    ]
    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(category__campaign=campaign, is_veto=False):
        criteria.setdefault(criterion.category_id, []).append(criterion)
    schools = list(Unit.objects.filter(kind=UnitKind.SCHOOL).values_list("pk", flat=True))
    password = make_password(BENCH_PASSWORD)
    with transaction.atomic():
        subs = list(Submission.objects.order_by("id").values_list("id", "category_id"))
        entries = LevelEntry.objects.bulk_create(
            [
                LevelEntry(submission_id=pk, level=level, unit=province, state=EntryState.PENDING)
                for pk, _category in subs
            ],
            batch_size=5_000,
        )
        experts = Person.objects.bulk_create(
            [
                Person(
                    username=f"{EXPERT_PREFIX}{i:03d}",
                    full_name=f"评审专家{i:03d}",
                    unit_id=rng.choice(schools),
                    password=password,
                    must_change_password=False,
                )
                for i in range(args.experts)
            ]
        )
        RoleGrant.objects.bulk_create(
            [RoleGrant(person=p, unit=province, role=Role.EXPERT) for p in experts]
        )
        review_round = ReviewRound.objects.create(
            campaign=campaign,
            level=level,
            unit=province,
            name="基准省级评审",
            reviews_per_entry=3,
            deadline=now + datetime.timedelta(days=30),
            state=RoundState.OPEN,
            created_by=admin,
        )
        through = ReviewRound.entries.through
        through.objects.bulk_create(
            [through(reviewround_id=review_round.pk, levelentry_id=e.pk) for e in entries],
            batch_size=5_000,
        )
        RoundExpert.objects.bulk_create(
            [RoundExpert(round=review_round, expert=p, max_load=30_000) for p in experts]
        )
        category_of = dict(subs)
        made = 0
        for index, entry in enumerate(entries):
            if made >= args.reviews:
                break
            quality = rng.uniform(0.55, 0.95)
            panel = [experts[(index * 3 + k) % len(experts)] for k in range(3)]
            batch, points = [], []
            for person in panel[: args.reviews - made]:
                lean = rng.uniform(-0.12, 0.12)  # this review's leniency: some disagree
                scores = [
                    (
                        c,
                        round(
                            c.points * min(1.0, max(0.0, quality + lean + rng.uniform(-0.1, 0.1)))
                        ),
                    )
                    for c in criteria[category_of[entry.submission_id]]
                ]
                veto = rng.random() < VETO_SHARE
                batch.append(
                    Assignment(
                        round=review_round,
                        entry=entry,
                        expert=person,
                        state=AssignmentState.SUBMITTED,
                        total=sum(v for _c, v in scores),
                        veto=veto,
                        veto_reason="存在知识性错误" if veto else "",
                        comment="教学设计完整，环节清晰。",
                        submitted_at=now,
                    )
                )
                points.append(scores)
            Assignment.objects.bulk_create(batch)
            Score.objects.bulk_create(
                [
                    Score(assignment=a, criterion=c, points=v)
                    for a, scores in zip(batch, points, strict=True)
                    for c, v in scores
                ]
            )
            made += len(batch)
    return {
        "round_id": review_round.pk,
        "entries": len(entries),
        "experts": len(experts),
        "reviews": made,
        "expert_username": experts[0].username,
    }


# --- measuring -------------------------------------------------------------------------------


def timed_get(client, url: str, requests: int, check) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    detail = check(first)
    times = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        queries = len(ctx)
    return {
        "url": url,
        "p50_ms": median(times),
        "p95_ms": percentile(times, 95),
        "queries": queries,
        "kb": len(response.content) // 1024,
        "check": detail,
    }


def rows_in(response) -> str:
    """Rows of the page's first table body (results or queue), checked against the page."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return f"{body.count('<tr>') - body.count('colspan=')} rows"


def measure(args, meta: dict) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils.http import urlencode

    from youke.core.actor import Actor
    from youke.core.domain import jobs
    from youke.orgs.models import Person
    from youke.selection.domain.review import criteria_for, save_scores
    from youke.selection.domain.review_export import request_review_export
    from youke.selection.enums import AssignmentState
    from youke.selection.models import Assignment, ReviewRound

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    review_round = ReviewRound.objects.get(pk=meta["round_id"])
    out: dict = {"pages": []}

    start = time.perf_counter()
    call_command("rebuild_review_summaries", str(review_round.pk), verbosity=0)
    out["rebuild_s"] = time.perf_counter() - start

    admin = Person.objects.get(username=ADMINS["province"])
    expert = Person.objects.get(username=meta["expert_username"])

    # The export, inline as the worker runs it; peak RSS growth in MiB.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    job = request_review_export(Actor(admin), review_round)
    jobs.run(job.pk)
    job.refresh_from_db()
    out["export"] = {
        "state": job.state,
        "rows": job.result.get("rows"),
        "seconds": time.perf_counter() - start,
        "rss_growth_mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
        "bytes": job.output_file.size if job.output_file else 0,
    }

    base = f"/manage/reviews/rounds/{review_round.pk}/results/"
    # Two characters of the 100th entry's title: a search that finds a few rows.
    word = review_round.entries.order_by("id")[99].submission.title[:2]
    client = Client()
    client.force_login(admin)
    pages = [
        ("results p1 (rank)", base),
        ("results p40 (mean)", base + "?sort=mean&page=40"),
        ("results flagged", base + "?show=flagged"),
        ("results search", f"{base}?{urlencode({'q': word})}"),
        ("results API (all)", f"/api/v1/reviews/rounds/{review_round.pk}/results"),
        ("results API page 1", f"/api/v1/reviews/rounds/{review_round.pk}/results?page=1"),
    ]
    for label, url in pages:
        check = (lambda r: f"{len(r.json()['entries'])} entries") if "API" in label else rows_in
        out["pages"].append({"label": label, **timed_get(client, url, args.requests, check)})
    client.force_login(expert)
    for label, url in [
        ("expert queue p1", "/manage/reviews/queue/"),
        ("expert queue submitted p5", "/manage/reviews/queue/?state=submitted&page=5"),
    ]:
        out["pages"].append({"label": label, **timed_get(client, url, args.requests, rows_in)})

    # One submit on the big round: what keeping the aggregates current costs per review.
    entry_id = (
        review_round.entries.exclude(assignments__expert=expert)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    extra = Assignment.objects.create(
        round=review_round, entry_id=entry_id, expert=expert, state=AssignmentState.ASSIGNED
    )
    criteria = [c for c in criteria_for(extra) if not c.is_veto]
    start = time.perf_counter()
    save_scores(Actor(expert), extra, {c.pk: c.points - 1 for c in criteria}, submit=True)
    out["submit_ms"] = (time.perf_counter() - start) * 1000
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    meta_file = args.data_dir / META
    if args.reuse and not meta_file.exists():
        sys.exit(f"{meta_file} missing: run without --reuse first")
    if not args.reuse:
        t = time.perf_counter()
        if not args.force and (args.data_dir / "youke.sqlite3").exists():
            sys.exit(f"{args.data_dir} holds data: pass --reuse or --force")
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        # generate_submissions sets up Django itself.
        meta = generate(args)
        meta["generate_s"] = time.perf_counter() - t
        meta_file.write_text(json.dumps(meta, indent=2))
    else:
        setup_django(args.data_dir)
        meta = json.loads(meta_file.read_text())
    from django.db import connection

    print(
        f"database: {connection.vendor}; round {meta['round_id']}: {meta['entries']:,} entries, "
        f"{meta['experts']} experts, {meta['reviews']:,} submitted reviews"
    )
    out = measure(args, meta)
    print(f"\nrebuild_review_summaries: {out['rebuild_s']:.2f} s")
    print(f"one score submit on this round (aggregates kept current): {out['submit_ms']:.0f} ms")
    print(
        "\n"
        + table(
            ["page", "p50 ms", "p95 ms", "queries", "KiB", "check"],
            [
                [p["label"], p["p50_ms"], p["p95_ms"], p["queries"], p["kb"], p["check"]]
                for p in out["pages"]
            ],
        )
    )
    e = out["export"]
    print(
        f"\nreview export: {e['state']}, {e['rows']:,} rows, {e['seconds']:.2f} s, "
        f"{e['bytes'] // 1024:,} KiB, peak RSS growth {e['rss_growth_mib']:.1f} MiB"
    )
    result = args.data_dir / "review_results.json"
    result.write_text(json.dumps({"meta": meta, **out}, indent=2, default=str))
    print(f"\nwritten to {result}")


if __name__ == "__main__":
    main()
