"""Background jobs with progress: create, run, report.

A job kind registers one handler; the Celery task ``core.run_job`` loads the job and calls
it. Handlers report progress through ``JobProgress`` and return a JSON-safe result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.enums import JOB_TRANSITIONS, JobState
from youke.core.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job, "JobProgress"], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A failure whose message is shown to the user as it is."""


class IllegalJobTransition(Exception):
    """A state change the job table does not allow."""


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return decorator


class JobProgress:
    """Throttled progress writes: at most one UPDATE per ``every`` items."""

    def __init__(self, job: Job, every: int = 500) -> None:
        self.job = job
        self.every = every
        self._last = -every

    def set_total(self, total: int) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total)

    def advance(self, done: int, message: str = "") -> None:
        self.job.done = done
        if done - self._last >= self.every or done == self.job.total:
            self._last = done
            fields = {"done": done}
            if message:
                fields["message"] = message
            Job.objects.filter(pk=self.job.pk).update(**fields)


def set_job_state(job: Job, new_state: str, *, message: str = "", result=None) -> Job:
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if new_state not in JOB_TRANSITIONS[locked.state]:
            raise IllegalJobTransition(f"{locked.state} -> {new_state}")
        locked.state = new_state
        fields = ["state"]
        now = timezone.now()
        if new_state == JobState.RUNNING:
            locked.started_at = now
            locked.attempts += 1
            locked.done = 0
            fields += ["started_at", "attempts", "done"]
        if new_state in (JobState.SUCCEEDED, JobState.FAILED):
            locked.finished_at = now
            fields.append("finished_at")
        if message:
            locked.message = message
            fields.append("message")
        if result is not None:
            locked.result = result
            fields.append("result")
        locked.save(update_fields=fields)
    return locked


def create_job(
    actor: Actor, kind: str, *, unit=None, upload=None, params=None, enqueue: bool = True
) -> Job:
    """Create a queued job and send it to the queue once the transaction commits.

    ``enqueue=False`` is for callers that run the job inline themselves (shell commands).
    """
    if kind not in _HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job(kind=kind, created_by=actor.person, unit=unit, params=params or {})
    if upload is not None:
        job.input_name = upload.name[:255]
        job.input_file.save(f"{kind}.bin", upload, save=False)
    job.save()
    if enqueue:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from youke.core.tasks import run_job

    run_job.delay(job_id)


def run(job_id: int) -> None:
    """Run one job to a final state; safe to call again after a crash."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("job %s vanished before it ran", job_id)
        return
    if job.is_finished:
        return
    job = set_job_state(job, JobState.RUNNING, message=_("处理中…"))
    handler = _HANDLERS[job.kind]
    try:
        result = handler(job, JobProgress(job))
    except JobError as exc:
        set_job_state(job, JobState.FAILED, message=str(exc))
        return
    except Exception:
        logger.exception("job %s failed", job_id)
        set_job_state(
            job,
            JobState.FAILED,
            message=_("处理时发生内部错误，已记录。请稍后重试；如仍失败，请联系平台管理员。"),
        )
        return
    set_job_state(job, JobState.SUCCEEDED, message=result.pop("message", ""), result=result)
