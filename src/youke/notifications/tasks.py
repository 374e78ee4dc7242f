from celery import shared_task

from youke.notifications.domain import outbox, reminders


@shared_task(
    name="notifications.send_outbox",
    acks_late=True,
    autoretry_for=(outbox.SendFailed,),
    retry_backoff=True,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_outbox(outbox_id: int) -> None:
    outbox.send_one(outbox_id)


@shared_task(name="notifications.deadline_reminders", acks_late=True)
def deadline_reminders() -> None:
    """Daily (celery beat): deadlines in three days for admins and teachers with drafts."""
    reminders.send_deadline_reminders()
