"""Several youke processes on shared services, started and stopped by a test or a benchmark.

``Cluster`` brings up, on loopback ports picked free: a moto S3 server (a real HTTP
S3-compatible server in its own process), a fresh PostgreSQL database, a Redis database number
of its own (flushed at start and end, nothing else touched), web processes (``youke serve
--no-worker``, gunicorn) and Celery workers (``youke worker``). Every process gets the same
environment, the one a multi-machine deployment would give: keys from the environment, media
in the bucket, jobs and cache on Redis. Nothing here reaches into the processes: they are
driven over HTTP and observed through the database, the bucket and their logs.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 7
PG_URL = "postgres://postgres@127.0.0.1:5432"
BUCKET = "youke-media"
# Short enough that a job of a killed worker comes back within the test; production's
# default (YOUKE_BROKER_VISIBILITY_TIMEOUT) is 5 hours.
VISIBILITY_TIMEOUT = 8
UPLOAD_LEASE_SECONDS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_command(*words: str) -> bytes:
    """One RESP command to the shared Redis (no client library needed for PING/FLUSHDB)."""
    payload = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as conn:
        conn.sendall(f"*2\r\n$6\r\nSELECT\r\n${len(str(REDIS_DB))}\r\n{REDIS_DB}\r\n".encode())
        conn.recv(64)
        conn.sendall(payload.encode())
        return conn.recv(256)


def unavailable() -> str:
    """Why the cluster cannot run here, or "" when Redis, PostgreSQL and moto are all there."""
    try:
        if not _redis_command("PING").startswith(b"+PONG"):
            return f"Redis at {REDIS_HOST}:{REDIS_PORT} does not answer PING"
    except OSError as exc:
        return f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} ({exc})"
    try:
        import psycopg

        psycopg.connect(f"{PG_URL}/postgres", connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL is not reachable at {PG_URL} ({exc.__class__.__name__})"
    if not (BIN / "moto_server").exists():
        return "moto_server is not installed (the dev group's moto[server])"
    return ""


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (gunicorn workers, Celery pool children), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class Proc:
    name: str
    command: list[str]
    log: Path
    port: int | None = None
    popen: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tree(self) -> list[int]:
        return [self.popen.pid, *_descendants(self.popen.pid)] if self.popen else []

    def kill(self) -> None:
        """SIGKILL the whole process tree at once, as a lost machine would end it."""
        for pid in self.tree():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.popen:
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    """The services and processes; use as a context manager (everything is torn down)."""

    workdir: Path
    webs: int = 2
    workers: int = 2
    database: str = field(default_factory=lambda: f"youke_multiproc_{secrets.token_hex(4)}")
    extra_env: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, Proc] = field(default_factory=dict)

    # --- set-up ------------------------------------------------------------------------------

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    @property
    def s3_url(self) -> str:
        return self.procs["s3"].url

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        _redis_command("FLUSHDB")
        _psql(f'CREATE DATABASE "{self.database}"')
        s3 = self._proc("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", "{port}"])
        s3.port = free_port()
        s3.command = [part.replace("{port}", str(s3.port)) for part in s3.command]
        self._launch(s3)
        self._wait_http(s3, "/")
        from cryptography.fernet import Fernet

        broker = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("YOUKE_", "DJANGO_"))},
            "DATABASE_URL": f"{PG_URL}/{self.database}",
            "CELERY_BROKER_URL": broker,
            "YOUKE_CACHE_URL": broker,
            "YOUKE_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "YOUKE_S3_BUCKET": BUCKET,
            "YOUKE_S3_ENDPOINT_URL": self.s3_url,
            "YOUKE_S3_ACCESS_KEY": "testing",
            "YOUKE_S3_SECRET_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "YOUKE_DATA_DIR": str(self.data_dir),
            "YOUKE_SECRET_KEY": secrets.token_urlsafe(50),
            "YOUKE_FIELD_KEY": Fernet.generate_key().decode(),
            "YOUKE_JOBS_EAGER": "false",
            "YOUKE_WEB_WORKERS": "1",  # one gunicorn worker (4 threads) per web process
            # A killed web process holds its upload for this long (production: 60 s).
            "YOUKE_UPLOAD_LEASE_SECONDS": str(UPLOAD_LEASE_SECONDS),
            "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
            "DJANGO_SETTINGS_MODULE": "youke.settings",
            **self.extra_env,
        }
        self._s3().create_bucket(Bucket=BUCKET)
        self.manage("migrate", "--no-input", "--verbosity", "0")
        # All four start at once; the second web waits for the first one's static files.
        webs = [self.start_web(f"web{i}", wait=False) for i in range(1, self.webs + 1)]
        workers = [self.start_worker(f"worker{i}", wait=False) for i in range(1, self.workers + 1)]
        for proc in webs:
            self._wait_http(proc, "/api/v1/health", timeout=240)
        for proc in workers:
            self._wait_worker(proc)

    def _proc(self, name: str, command: list[str], port: int | None = None) -> Proc:
        proc = Proc(name, command, self.workdir / f"{name}.log", port)
        self.procs[name] = proc
        return proc

    def process_data_dir(self, name: str) -> Path:
        """Each web process and worker has a data folder of its own: nothing local is shared."""
        return self.data_dir / name

    def _launch(self, proc: Proc) -> None:
        env = None
        if self.env:
            env = {**self.env, "YOUKE_DATA_DIR": str(self.process_data_dir(proc.name))}
        with open(proc.log, "ab") as log:
            proc.popen = subprocess.Popen(
                proc.command,
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _wait_http(self, proc: Proc, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.popen.poll() is not None:
                raise RuntimeError(f"{proc.name} exited:\n{proc.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(proc.url + path, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # answering at all is enough
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{proc.name} did not answer in {timeout}s:\n{proc.log_text()[-3000:]}")

    def start_web(self, name: str, port: int | None = None, *, wait: bool = True) -> Proc:
        port = port or free_port()
        command = [str(BIN / "youke"), "serve", "--no-worker", "--port", str(port)]
        proc = self._proc(name, command, port)
        self._launch(proc)
        if wait:
            self._wait_http(proc, "/api/v1/health", timeout=240)
        return proc

    def start_worker(self, name: str, *, wait: bool = True) -> Proc:
        # `youke worker` through tests/integration/worker.py, which adds the pause hook.
        command = [sys.executable, "-m", "tests.integration.worker", "--concurrency", "1"]
        proc = self._proc(name, command)
        self._launch(proc)
        if wait:
            self._wait_worker(proc)
        return proc

    def _wait_worker(self, proc: Proc, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while "ready." not in proc.log_text():
            if proc.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{proc.name} did not start:\n{proc.log_text()[-3000:]}")
            time.sleep(0.2)

    def restart(self, name: str) -> float:
        """Start a killed process again under the same name (and port); seconds it took."""
        started = time.perf_counter()
        old = self.procs.pop(name)
        if old.port:
            self.start_web(name, old.port)
        else:
            self.start_worker(name)
        return time.perf_counter() - started

    # --- tools -------------------------------------------------------------------------------

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "youke"), *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"youke {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, module: str, *args: str) -> dict:
        """Run ``python -m module`` against the cluster's settings; its last line is JSON."""
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "youke.settings"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"{module} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )

    def bucket_keys(self) -> dict[str, int]:
        """Every object in the bucket: key → size."""
        keys: dict[str, int] = {}
        for page in self._s3().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            for item in page.get("Contents", []):
                keys[item["Key"]] = item["Size"]
        return keys

    def bucket_object(self, key: str) -> bytes:
        return self._s3().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def local_media_files(self) -> list[Path]:
        """Files in any process's media folder (there should be none: all is in the bucket)."""
        if not self.data_dir.exists():
            return []
        return sorted(
            p for media in self.data_dir.glob("*/media") for p in media.rglob("*") if p.is_file()
        )

    # --- tear-down ---------------------------------------------------------------------------

    def close(self) -> None:
        for proc in reversed(list(self.procs.values())):
            with contextlib.suppress(Exception):
                proc.stop()
        for proc in self.procs.values():  # whatever a graceful stop left behind
            if proc.popen is not None and proc.popen.poll() is None:
                with contextlib.suppress(Exception):
                    proc.kill()
        with contextlib.suppress(Exception):
            _psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        with contextlib.suppress(OSError):
            _redis_command("FLUSHDB")
