from celery import shared_task

from youke.media.domain.uploads import abandon_after, cleanup_abandoned_uploads


@shared_task(name="media.cleanup_uploads", acks_late=True)
def cleanup_uploads() -> None:
    """Hourly (celery beat): abort uploads nobody continued, free their partial files."""
    cleanup_abandoned_uploads(older_than=abandon_after())
