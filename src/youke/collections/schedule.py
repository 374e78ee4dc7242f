"""Beat entries of this app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings."""

from celery.schedules import crontab


def beat_schedule() -> dict[str, dict]:
    return {
        # Morning, so the reminder is read the same working day.
        "collections-remind-due": {
            "task": "collections.remind_due",
            "schedule": crontab(hour=8, minute=0),
        },
    }
