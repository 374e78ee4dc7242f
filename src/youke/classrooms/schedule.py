"""Beat entries of this app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings."""

from celery.schedules import crontab


def beat_schedule() -> dict[str, dict]:
    return {
        "classrooms-duty-reminders": {
            "task": "classrooms.duty_reminders",
            "schedule": crontab(hour=7, minute=30),
        },
    }
