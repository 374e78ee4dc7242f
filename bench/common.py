"""Helpers shared by the bench scripts: Django set-up, constants, plain-text tables."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DEFAULT_DATA_DIR = OUT_DIR / "data"
META_FILE = "bench_meta.json"

# Known password of the generated admin accounts (bench data only, never a real install).
BENCH_PASSWORD = "Bench-Orgs-2026!"
ADMINS = {
    "province": "bench_province",
    "city": "bench_city",
    "county": "bench_county",
}


def setup_django(data_dir: Path) -> None:
    """Point youke at ``data_dir`` and start Django (must run before any Django import)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "youke.settings"
    os.environ["YOUKE_DATA_DIR"] = str(data_dir.resolve())
    src = str(REPO_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import django

    django.setup()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of ``values`` (pct in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table with left-aligned text and right-aligned numbers."""
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) if rows else False
        for i in range(len(headers))
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


HTTP_HEADERS = [
    "page",
    "url",
    "threads",
    "requests",
    "errors",
    "p50 ms",
    "p95 ms",
    "max ms",
    "req/s",
]
HTTP_KEYS = [
    "label",
    "url",
    "threads",
    "requests",
    "errors",
    "p50_ms",
    "p95_ms",
    "max_ms",
    "req_per_s",
]


def print_http_result(result: dict) -> None:
    """The HTTP section every benchmark prints: server shape, checks, notes, one row a run."""
    print(
        f"\n== HTTP (youke serve, workers {result['web_workers']}, "
        f"threads {result['web_threads']}) =="
    )
    for label, check in result["checks"].items():
        print(f"   {label}: {check}")
    for note in result.get("notes", []):
        print(f"   note: {note}")
    print(table(HTTP_HEADERS, [[r[k] for k in HTTP_KEYS] for r in result["runs"]]))


def stop_on_signal(signum, _frame) -> None:
    """SIGINT/SIGTERM unwind through the server context manager, so it is always stopped."""
    raise SystemExit(f"stopped by signal {signum}")
