from celery import shared_task

from youke.collections.domain import reminders


@shared_task(name="collections.remind_due", acks_late=True)
def remind_due() -> None:
    """Daily (beat): remind the units still missing, ``remind_days`` before each deadline."""
    reminders.remind_due()
