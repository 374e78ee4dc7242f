"""Beat entries of this app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings."""

from celery.schedules import crontab


def beat_schedule() -> dict[str, dict]:
    return {
        # Once a day before work starts; the dedupe key holds the day, so a rerun sends nothing.
        "programmes-task-reminders": {
            "task": "programmes.remind_due_tasks",
            "schedule": crontab(hour=7, minute=0),
        },
    }
