from celery import shared_task
from django.utils import timezone

from youke.programmes.domain import reminders


@shared_task(name="programmes.remind_due_tasks", acks_late=True)
def remind_due_tasks() -> int:
    """Daily (beat): remind the responsible units of tasks overdue or due within 7 days."""
    return reminders.remind_due_tasks(timezone.localdate())
