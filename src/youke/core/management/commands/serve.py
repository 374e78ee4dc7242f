"""`youke serve`: gunicorn with whitenoise static files, plus a job worker when no broker
server is configured (the default one-machine install)."""

import contextlib
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行生产级 Web 服务（gunicorn）；未配置消息队列时同时启动后台任务进程。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.CONFIG["PORT"])
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="不启动内置的后台任务进程")

    def handle(self, *args, port, host, no_worker, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        worker = None
        if settings.BROKERLESS_QUEUE and not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "youke.cli", "worker", "--beat"])
        self.stdout.write(f"优课已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "youke.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(settings.CONFIG["WEB_WORKERS"]),
            "--threads",
            str(settings.CONFIG["WEB_THREADS"]),
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ]
        try:
            with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is the normal way to stop
                subprocess.run(web, check=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
