"""Thin Celery wrappers: fingerprint a checked material, re-check a package."""

from celery import shared_task
from django.db import transaction


@shared_task(
    name="originality.fingerprint_material",
    acks_late=True,
    time_limit=3 * 3600,
    soft_time_limit=3 * 3600 - 60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def fingerprint_material(material_id: int) -> None:
    from youke.originality.domain.results import fingerprint_material as run

    # The index grew: packages this one matched may now have a stronger (or new) result.
    for submission_id in run(material_id):
        queue_check(submission_id)


@shared_task(name="originality.check_submission", acks_late=True, time_limit=1800)
def check_submission(submission_id: int) -> None:
    from youke.originality.domain.results import check_submission as run
    from youke.submissions.models import Submission

    if Submission.objects.filter(pk=submission_id).exists():
        run(submission_id)


def queue_fingerprint(material_id: int) -> None:
    transaction.on_commit(lambda: fingerprint_material.delay(material_id), robust=True)


def queue_check(submission_id: int) -> None:
    transaction.on_commit(lambda: check_submission.delay(submission_id), robust=True)
