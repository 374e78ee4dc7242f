from django.conf import settings

from youke.celery import app


def test_upload_cleanup_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["cleanup-abandoned-uploads"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 3600.0
