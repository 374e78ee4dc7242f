"""A long schemathesis run over the whole OpenAPI schema (issue 8, item 12).

Runs ``tests/api/test_schema_fuzz.py`` (one test per operation, five callers, the checks
not_a_server_error, status_code_conformance, content_type_conformance and
response_schema_conformance) with many more cases per operation than CI does, then prints
the count of operations and cases, the answers by status code and caller, the operations
that never got past 4xx, and every failure found.

    .venv/bin/python bench/fuzz_api.py                      # 500 cases per operation
    .venv/bin/python bench/fuzz_api.py --examples 2000 -k uploads
    .venv/bin/python bench/fuzz_api.py --examples 100 --mode all   # negative cases too
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youke_fuzz .venv/bin/python bench/fuzz_api.py

The database is the test database pytest-django creates (SQLite in memory, or
``test_<name>`` next to the PostgreSQL database of ``DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from common import OUT_DIR, REPO_DIR, table

TEST_FILE = "tests/api/test_schema_fuzz.py"
TEST_MODULE = "tests.api.test_schema_fuzz"


class Outcomes:
    """A pytest plugin that keeps each operation's outcome and failure text."""

    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: dict[str, str] = {}

    def pytest_runtest_logreport(self, report) -> None:
        # head_line is "test_api_answers_as_documented[GET /api/v1/units]"
        operation = report.head_line.partition("[")[2].rstrip("]") or report.nodeid
        if report.failed:
            self.failed[operation] = report.longreprtext
        elif report.when == "call" and report.passed:
            self.passed.append(operation)


def failure_lines(text: str) -> list[str]:
    """The check names, status lines and reproduction commands of one failure report."""
    keep = ("- ST", "Received:", "Documented:", "curl ", "Error", "error:")
    lines = []
    for raw in text.splitlines():
        line = raw.strip(" |+-")
        if any(marker in raw for marker in keep) and line and line not in lines:
            lines.append(line)
    return lines[:40]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500, help="cases per operation")
    parser.add_argument("-k", default="", help="pytest -k expression to pick operations")
    parser.add_argument(
        "--mode",
        choices=["positive", "all"],
        default="positive",
        help="all: also requests that break the schema (negative cases)",
    )
    args = parser.parse_args()

    os.chdir(REPO_DIR)
    sys.path.insert(0, str(REPO_DIR))
    os.environ["FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["FUZZ_MODE"] = args.mode
    os.environ.setdefault("YOUKE_DATA_DIR", str(OUT_DIR / "fuzz-data"))
    import pytest

    outcomes = Outcomes()
    pytest_args = [TEST_FILE, "-q", "-p", "no:cacheprovider", "--no-header", "-rN"]
    if args.k:
        pytest_args += ["-k", args.k]
    started = time.perf_counter()
    pytest.main(pytest_args, plugins=[outcomes])
    seconds = time.perf_counter() - started

    sent = sys.modules[TEST_MODULE].SENT
    operations = sorted({op for op, _caller, _status in sent} | set(outcomes.failed))
    by_status = Counter(status for _op, _caller, status in sent)
    by_caller: dict[str, Counter] = defaultdict(Counter)
    success: Counter = Counter()
    for operation, caller, status in sent:
        by_caller[caller][status // 100] += 1
        if status < 400:
            success[operation] += 1

    print()
    print(
        f"schemathesis fuzz run ({args.mode}): {args.examples} examples per operation, "
        f"{seconds:.0f} s"
    )
    print(
        f"operations: {len(operations)}  cases sent: {len(sent)}  failed operations: "
        f"{len(outcomes.failed)}"
    )
    print()
    print("answers by status code")
    print(table(["status", "cases"], [[code, n] for code, n in sorted(by_status.items())]))
    print()
    print("answers by caller")
    rows = [
        [caller, sum(counts.values()), counts[2], counts[4], counts[5]]
        for caller, counts in sorted(by_caller.items())
    ]
    print(table(["caller", "cases", "2xx", "4xx", "5xx"], rows))
    never = [op for op in operations if not success[op]]
    print()
    print(f"operations answered 2xx at least once: {len(operations) - len(never)}")
    if never:
        print("never past 4xx (every case refused):")
        for op in never:
            print(f"  {op}")
    print()
    if outcomes.failed:
        print("failures")
        for operation, text in sorted(outcomes.failed.items()):
            print(f"* {operation}")
            for line in failure_lines(text):
                print(f"    {line}")
    else:
        print("failures: none")
    out = Path(OUT_DIR) / "fuzz_api.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "\n".join(f"{op}\t{caller}\t{status}" for op, caller, status in sent) + "\n",
        encoding="utf-8",
    )
    print(f"every case (operation, caller, status): {out}")
    sys.exit(1 if outcomes.failed else 0)


if __name__ == "__main__":
    main()
