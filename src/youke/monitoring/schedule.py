"""Beat entries of this app, merged into ``CELERY_BEAT_SCHEDULE`` by the settings."""

from celery.schedules import crontab


def beat_schedule() -> dict[str, dict]:
    return {
        # The deltas keep figures current between runs; the full run catches withdrawals,
        # moved teachers and new units, and writes the day's progress point.
        "monitoring-refresh-all": {"task": "monitoring.refresh_all", "schedule": 900.0},
        # After the night's figures, before people start work.
        "monitoring-scheduled-bulletins": {
            "task": "monitoring.publish_scheduled",
            "schedule": crontab(hour=6, minute=30),
        },
    }
