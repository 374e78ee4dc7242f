"""`youke worker`: a Celery worker for background jobs (imports, exports, media)."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务进程（Celery worker）。"

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, concurrency, **options):
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
            ]
        )
