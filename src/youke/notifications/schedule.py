"""Beat entries of this app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings."""

from celery.schedules import crontab


def beat_schedule() -> dict[str, dict]:
    return {
        # Early morning local time, so the reminder is waiting when people start work.
        "notifications-deadline-reminders": {
            "task": "notifications.deadline_reminders",
            "schedule": crontab(hour=7, minute=0),
        },
    }
