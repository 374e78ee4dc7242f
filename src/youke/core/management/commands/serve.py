"""`youke serve`: gunicorn with whitenoise static files, plus a job worker when no broker
server is configured (the default one-machine install).

This process supervises its children: each runs in its own process group, so Ctrl-C in a
terminal reaches only this process, which stops the children in order (gunicorn master and
its workers, the Celery worker, its pool and beat) and finally kills whatever is left of
their groups, so the port is free again when `youke serve` returns.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youke.core.collected_static import collect_static

# Gunicorn finishes running requests within GRACEFUL_TIMEOUT; the Celery worker finishes its
# running task (warm shutdown). After STOP_GRACE whatever is still alive is killed; jobs are
# acknowledged late and idempotent, so a killed job runs again.
GRACEFUL_TIMEOUT = 20
STOP_GRACE = 30
READY_TIMEOUT = 60
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM if `youke serve` itself is killed (SIGKILL, OOM)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class StopRequest:
    """Set by SIGTERM/SIGINT: the first asks for a graceful stop, the second for a kill."""

    count: int = 0

    def __call__(self, signum, frame) -> None:
        self.count += 1

    @property
    def requested(self) -> bool:
        return self.count > 0

    @property
    def forced(self) -> bool:
        return self.count > 1


class Command(BaseCommand):
    help = "运行生产级 Web 服务（gunicorn）；未配置消息队列时同时启动后台任务进程。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.CONFIG["PORT"])
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="不启动内置的后台任务进程")
        parser.add_argument(
            "--access-log",
            action="store_true",
            help="每个请求输出一行访问日志（反向代理通常已记录）",
        )

    def handle(self, *args, port, host, no_worker, access_log, **options):
        bind_host = f"[{host}]" if ":" in host else host
        _check_port_free(host, port)
        collect_static()  # once per change of the sources, however many processes start
        call_command("createcachetable", verbosity=0)

        stop = StopRequest()
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        children: list[subprocess.Popen] = []
        try:
            if settings.BROKERLESS_QUEUE and not no_worker:
                # The worker prints only warnings and errors (to stderr); its stdout carries
                # nothing but Celery's "Warm shutdown" note.
                children.append(
                    _spawn(
                        [sys.executable, "-m", "youke.cli", "worker", "--beat", "--quiet"],
                        stdout=subprocess.DEVNULL,
                    )
                )
            children.append(_spawn(_gunicorn(bind_host, port, access_log)))
            if _wait_until_listening(host, port, children, stop):
                self.stdout.write(
                    _("优课已启动：%(url)s  （Ctrl+C 停止）") % {"url": _local_url(host, port)}
                )
                if os.environ.get("YOUKE_SITE_URL"):  # behind a reverse proxy
                    self.stdout.write(_("对外地址：%(url)s") % {"url": settings.SITE_URL})
            crashed = _supervise(children, stop)
        finally:
            _stop(children, stop)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if crashed is not None:
            raise CommandError(
                _("进程意外退出（退出码 %(code)s），服务已停止；请查看上面的错误信息。")
                % {"code": crashed}
            )
        self.stdout.write(_("优课已停止。"))


def _gunicorn(bind_host: str, port: int, access_log: bool) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "youke.wsgi:application",
        "--bind",
        f"{bind_host}:{port}",
        "--workers",
        str(settings.CONFIG["WEB_WORKERS"]),
        "--threads",
        str(settings.CONFIG["WEB_THREADS"]),
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT),
        # Start-up and shutdown chatter stays out of the log; errors still show.
        "--log-level",
        "warning",
        # The control socket (gunicornc) would be ~/.gunicorn/gunicorn.ctl, shared by every
        # instance on the machine; youke does not use it.
        "--no-control-socket",
        *(["--access-logfile", "-"] if access_log else []),
    ]


def _spawn(command: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        start_new_session=True,  # own process group: killpg reaches all its descendants
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        **kwargs,
    )


# Where a browser on this machine reaches a server bound to every address.
LOOPBACK_FOR_WILDCARD = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


def _connect_host(host: str) -> str:
    return LOOPBACK_FOR_WILDCARD.get(host, host)


def _local_url(host: str, port: int) -> str:
    shown = _connect_host(host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _(
                    "无法监听 %(host)s:%(port)s（%(error)s）：端口可能已被其他程序（或另一个 "
                    "youke serve）占用。请先停止它，或换一个端口：youke serve --port 8001，"
                    "make demo PORT=8001。"
                )
                % {"host": host, "port": port, "error": exc.strerror}
            ) from exc


def _wait_until_listening(host, port, children, stop) -> bool:
    target = _connect_host(host)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and not stop.requested:
        if any(child.poll() is not None for child in children):
            return False
        with contextlib.suppress(OSError), socket.create_connection((target, port), 0.5):
            return True
        time.sleep(0.2)
    return False


def _supervise(children: list[subprocess.Popen], stop: StopRequest) -> int | None:
    """Wait for a stop signal; returns the exit code of a child that ended on its own."""
    while not stop.requested:
        for child in children:
            code = child.poll()
            if code is not None:
                return code
        time.sleep(0.2)
    return None


def _stop(children: list[subprocess.Popen], stop: StopRequest) -> None:
    """SIGTERM each leader (gunicorn master, Celery main) so it stops its own children
    gracefully; after the grace period (or a second Ctrl-C) SIGKILL; then empty each
    process group so no orphan keeps the port or the queue."""
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    while time.monotonic() < deadline and not stop.forced:
        if all(child.poll() is not None for child in children):
            break
        time.sleep(0.1)
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
