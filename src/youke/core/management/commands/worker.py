"""`youke worker`: a Celery worker for background jobs (imports, exports, media)."""

import warnings

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务进程（Celery worker）。"

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument(
            "--beat",
            action="store_true",
            help="同时运行定时任务（如清理中断的上传）；多台机器时只在一台上开启",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="不显示启动横幅和每个任务的日志，只显示警告和错误（youke serve 内置的任务进程使用）",
        )

    def handle(self, *args, concurrency, beat, quiet, **options):
        from celery.exceptions import SecurityWarning

        from youke.celery import app

        settings.QUEUE_DIR.mkdir(parents=True, exist_ok=True)
        if quiet:
            # Celery warns when it runs as root. The embedded worker runs as whoever started
            # `youke serve` (often root in a container); the warning offers a --uid option
            # this command does not have, so it is noise there. `youke worker` keeps it.
            warnings.filterwarnings("ignore", category=SecurityWarning)
        app.worker_main(
            [
                *(["--quiet"] if quiet else []),  # celery's own option: no banner
                "worker",
                "--loglevel=WARNING" if quiet else "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *(
                    ["--beat", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"]
                    if beat
                    else []
                ),
            ]
        )
