from celery import shared_task

from youke.classrooms.domain import duty


@shared_task(name="classrooms.duty_reminders", acks_late=True)
def duty_reminders() -> None:
    """Daily (celery beat): masters short of the semester's duty in its last two weeks."""
    duty.send_duty_reminders()


# A 1 GB lesson is about 20 minutes of 1080p: the rendition fits well inside the limit.
@shared_task(
    name="classrooms.process_replay", acks_late=True, time_limit=4 * 3600, soft_time_limit=14340
)
def process_replay(upload_id: str) -> None:
    """Probe a session's or lesson's replay, save poster and rendition, queue its HLS ladder."""
    from youke.classrooms.domain import replays

    replays.process_replay(upload_id)
