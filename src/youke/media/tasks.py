from celery import shared_task

from youke.media.domain.uploads import abandon_after, cleanup_abandoned_uploads


@shared_task(name="media.cleanup_uploads", acks_late=True)
def cleanup_uploads() -> None:
    """Hourly (celery beat): abort uploads nobody continued, free their stored parts."""
    cleanup_abandoned_uploads(older_than=abandon_after())


# A 1 GB lesson is about 20 minutes of 1080p: well inside the limit on two cores.
@shared_task(
    name="media.build_hls",
    acks_late=True,
    time_limit=4 * 3600,
    soft_time_limit=4 * 3600 - 60,
)
def build_hls(asset_id: int) -> None:
    """The HLS ladder of a checked video, after its progressive rendition (idempotent)."""
    from youke.media.domain.ladder import ensure_ladder

    ensure_ladder(asset_id)
