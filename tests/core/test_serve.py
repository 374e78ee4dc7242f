"""`youke serve` as a person runs it: a real process tree, stopped by SIGTERM or Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120  # a loaded 2-core machine; only a failure waits this long
STOP_TIMEOUT = 60
# Settings of a production install that would point the child at shared services.
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "YOUKE_CACHE_URL",
    "YOUKE_S3_BUCKET",
    "YOUKE_JOBS_EAGER",
    "YOUKE_PORT",
    "YOUKE_SITE_URL",
)


def one_machine_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env["YOUKE_DATA_DIR"] = str(data_dir)
    env["YOUKE_WEB_WORKERS"] = "2"
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) from /proc, or None when the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw.rpartition(")")[2].split()  # the command name may contain spaces
    return fields[0], int(fields[1]), int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every process below ``root``: pid → start time (so a reused pid is not mistaken)."""
    if _has_psutil():
        import psutil

        return {
            p.pid: stat[2]
            for p in psutil.Process(root).children(recursive=True)
            if (stat := _stat(p.pid)) is not None
        }
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if (stat := _stat(child)) is not None:
                found[child] = stat[2]
                todo.append(child)
    return found


def _has_psutil() -> bool:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


def alive(pid: int, started: int) -> bool:
    stat = _stat(pid)
    # A zombie has released everything (sockets included); only its exit status is left.
    return stat is not None and stat[2] == started and stat[0] != "Z"


def wait_for_health(port: int, server: subprocess.Popen) -> dict:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, "youke serve exited before it served"
        url = f"http://127.0.0.1:{port}/api/v1/health"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
        time.sleep(0.5)
    raise AssertionError("youke serve did not answer /api/v1/health")


def port_can_be_bound(port: int) -> bool:
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as any server does
        try:
            listener.bind(("127.0.0.1", port))
            listener.listen()
        except OSError:
            return False
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def wait_for_children(root: int, timeout: float = 60) -> tuple[dict[int, int], list[bytes]]:
    """The process tree once every child is up: the health check can answer before Celery
    has forked its pool and beat on a loaded machine."""
    deadline = time.monotonic() + timeout
    while True:
        tree = descendants(root)
        commands = []
        for pid in tree:
            try:
                commands.append(Path(f"/proc/{pid}/cmdline").read_bytes())
            except OSError:
                continue
        gunicorn = sum(b"gunicorn" in c for c in commands)
        celery = sum(b"worker\x00--beat" in c for c in commands)
        if (gunicorn, celery) == (3, 4) or time.monotonic() > deadline:
            return tree, commands
        time.sleep(0.5)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_every_child_and_frees_the_port(tmp_path, stop_signal):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    stray = [ROOT / "control", ROOT / "src" / "youke" / "var"]
    existed = {path: path.exists() for path in stray}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "youke.cli", "serve", "--port", str(port)],
        cwd=cwd,
        env=one_machine_env(tmp_path / "data"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = wait_for_health(port, server)
        tree, commands = wait_for_children(server.pid)
    finally:
        server.send_signal(stop_signal)
        out, err = server.communicate(timeout=STOP_TIMEOUT)

    assert health == {"database": "ok", "storage": "ok", "queue": "ok", "status": "ok"}
    # gunicorn master + 2 workers, Celery main + 2 pool processes + beat.
    assert sum(b"gunicorn" in c for c in commands) == 3
    assert sum(b"worker\x00--beat" in c for c in commands) == 4
    assert [pid for pid, started in tree.items() if alive(pid, started)] == []
    assert port_can_be_bound(port)
    assert server.returncode == 0, err
    assert out.splitlines() == [
        f"优课已启动：http://127.0.0.1:{port}/  （Ctrl+C 停止）",
        "优课已停止。",
    ]
    assert err == ""
    # Nothing written outside the data folder: not the current directory, not the source tree.
    assert list(cwd.iterdir()) == []
    assert {path: path.exists() for path in stray} == existed
    assert (tmp_path / "data" / "queue" / "control").is_dir()


def test_serve_refuses_a_busy_port_and_names_the_fix(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "youke.cli", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=one_machine_env(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=STOP_TIMEOUT,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"CommandError: 无法监听 127.0.0.1:{port}（Address already in use）：端口可能已被其他程序"
        "（或另一个 youke serve）占用。请先停止它，或换一个端口：youke serve --port 8001，"
        "make demo PORT=8001。\n"
    )
