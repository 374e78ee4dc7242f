from celery import shared_task

from youke.classrooms.domain import duty


@shared_task(name="classrooms.duty_reminders", acks_late=True)
def duty_reminders() -> None:
    """Daily (celery beat): masters short of the semester's duty in its last two weeks."""
    duty.send_duty_reminders()
