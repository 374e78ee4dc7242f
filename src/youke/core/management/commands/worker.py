"""`youke worker`: a Celery worker for background jobs (imports, exports, media)."""

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

    def handle(self, *args, concurrency, beat, **options):
        from youke.celery import app

        settings.QUEUE_DIR.mkdir(parents=True, exist_ok=True)
        app.worker_main(
            [
                "worker",
                "--loglevel=INFO",
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
