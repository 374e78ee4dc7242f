"""Time and peak memory of `youke backup`, `youke restore` and `youke restore --verify`.

Each command runs in its own process (as an operator would run it), so the peak resident
memory is that process's own (``os.wait4``). Data sets:

- ``demo``: ``youke migrate`` + ``youke demo`` into a fresh data dir;
- ``subs``: an existing data dir made by ``bench/generate_submissions.py`` (100,000
  packages by default; ``--subs-dir`` points at it, skipped when it does not exist).

Each is backed up into ``bench/out/backup/<set>/archive``, restored into a fresh data dir
(SQLite, or the empty PostgreSQL database named by ``--target-database-url``) after
``youke migrate``, then verified there.

    .venv/bin/python bench/bench_backup.py                       # demo (+ subs if generated)
    .venv/bin/python bench/generate_submissions.py && .venv/bin/python bench/bench_backup.py
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import OUT_DIR, REPO_DIR, table

YOUKE = [sys.executable, "-m", "youke.cli"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one youke command; stops on failure."""
    started = time.perf_counter()
    process = subprocess.Popen(
        YOUKE + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"youke {' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["YOUKE_DATA_DIR"] = str(data_dir.resolve())
    env["PYTHONPATH"] = str(REPO_DIR / "src")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def measure(name: str, source_env: dict, work: Path, target_url: str) -> list[list[object]]:
    archive = work / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    rows = []
    seconds, peak = run(["backup", str(archive)], source_env)
    manifest = json.loads((archive / "manifest.json").read_text())
    row_count = sum(entry["rows"] for entry in manifest["models"])
    size = sum(entry["size"] for entry in manifest["files"])
    db_bytes = sum((archive / entry["path"]).stat().st_size for entry in manifest["models"])
    rows.append([name, "backup", row_count, len(manifest["files"]), seconds, peak])
    target = work / "target"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    target_env = environment(target, target_url)
    run(["migrate", "-v0"], target_env)
    seconds, peak = run(["restore", str(archive)], target_env)
    rows.append([name, "restore (incl. verify)", row_count, len(manifest["files"]), seconds, peak])
    seconds, peak = run(["restore", "--verify", str(archive)], target_env)
    rows.append([name, "restore --verify", row_count, len(manifest["files"]), seconds, peak])
    print(
        f"{name}: {row_count:,} rows ({db_bytes / 2**20:.1f} MiB of JSONL), "
        f"{len(manifest['files']):,} files ({size / 2**20:.1f} MiB)"
    )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=OUT_DIR / "backup")
    parser.add_argument("--subs-dir", type=Path, default=OUT_DIR / "subs")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument(
        "--target-database-url",
        default="",
        help="an empty PostgreSQL database to restore into (default SQLite in the target dir)",
    )
    args = parser.parse_args(argv)
    results: list[list[object]] = []
    if not args.skip_demo:
        demo = args.work / "demo"
        shutil.rmtree(demo, ignore_errors=True)
        (demo / "source").mkdir(parents=True)
        demo_env = environment(demo / "source")
        run(["migrate", "-v0"], demo_env)
        run(["demo"], demo_env)
        results += measure("demo", demo_env, demo, args.target_database_url)
    if (args.subs_dir / "youke.sqlite3").exists():
        subs_env = environment(args.subs_dir)
        results += measure("subs", subs_env, args.work / "subs", args.target_database_url)
    else:
        print(f"no generated data in {args.subs_dir}: run bench/generate_submissions.py first")
    print()
    print(table(["data set", "command", "rows", "files", "seconds", "peak MiB"], results))


if __name__ == "__main__":
    main()
