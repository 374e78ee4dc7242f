"""Beat entries of this app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings."""

from celery.schedules import crontab


def beat_schedule() -> dict[str, dict]:
    return {
        "training-credit-workload": {
            "task": "training.credit_workload",
            "schedule": crontab(hour=2, minute=40),
        },
    }
