from celery import shared_task

from youke.library.domain import usage


@shared_task(name="library.flush_counters")
def flush_counters() -> int:
    return usage.flush()
