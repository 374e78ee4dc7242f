from celery import shared_task

from youke.core.domain import jobs


@shared_task(name="core.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    jobs.run(job_id)
