"""三个课堂 workload → training hours (issue 12 item 10): crediting a city's ended term.

Reuses ``bench_classrooms.generate`` (a city with 10 counties, 500 groups, two host teachers
and two assistants per group, a full term of sessions), treats every session as held, sets
the city's hour rules (主讲 1 h per period, capped at 60 per term; 辅助 0.5 h) and measures
``ledger.credit_workload_term`` at the term's end: the first run (one ledger line per
teacher and kind, each with its ``UnitYearTotal`` update and audit row), a re-run that
changes nothing, and a recount after the rule changes (every line reversed and rebooked).

    .venv/bin/python bench/bench_workload_hours.py            # 500 groups
    .venv/bin/python bench/bench_workload_hours.py --quick    # 50 groups
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import time
from pathlib import Path

from common import OUT_DIR, setup_django, table


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="50 groups")
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "workload_hours")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.quick:
        args.groups = 50
    shutil.rmtree(args.data_dir, ignore_errors=True)
    setup_django(args.data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench_classrooms import generate
    from youke.classrooms.domain import sessions
    from youke.classrooms.enums import WorkKind
    from youke.classrooms.models import ClassSession
    from youke.core.actor import Actor
    from youke.training.domain import ledger, workload_rules
    from youke.training.models import TrainingCredit, UnitYearTotal

    call_command("migrate", verbosity=0)
    term, groups, _teachers, city_admin, _county_admin, _county = generate(args.groups)
    sessions.generate_sessions(groups, now=timezone.make_aware(dt.datetime(2026, 8, 1)))
    print(f"{ClassSession.objects.count():,} sessions on {connection.vendor}")
    workload_rules.set_rules(
        Actor(city_admin),
        term.unit,
        {WorkKind.HOST_PERIOD: ("1", "60"), WorkKind.ASSISTED_SESSION: ("0.5", "")},
    )
    after = timezone.make_aware(dt.datetime(2027, 2, 1, 3))

    def run():
        started = time.perf_counter()
        done = ledger.credit_workload_term(Actor.system(), term, now=after)
        return time.perf_counter() - started, done

    first_s, first = run()
    again_s, again = run()
    workload_rules.set_rules(Actor(city_admin), term.unit, {WorkKind.ASSISTED_SESSION: ("0.6", "")})
    recount_s, recount = run()
    totals = sum(t.hours for t in UnitYearTotal.objects.all())
    ledger_sum = sum(TrainingCredit.objects.values_list("hours", flat=True))
    print(
        table(
            ["run", "lines", "time"],
            [
                ["first credit", f"{first.credited:,} new", f"{first_s:.2f} s"],
                ["re-run, nothing changed", f"{again.unchanged:,} unchanged", f"{again_s:.2f} s"],
                [
                    "recount after a rule change",
                    f"{recount.recounted:,} rebooked, {recount.unchanged:,} unchanged",
                    f"{recount_s:.2f} s",
                ],
                ["UnitYearTotal = ledger", f"{totals} = {ledger_sum}", ""],
            ],
        )
    )


if __name__ == "__main__":
    main()
