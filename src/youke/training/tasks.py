from celery import shared_task


@shared_task(name="training.credit_workload", acks_late=True)
def credit_workload() -> int:
    """Daily (celery beat): 三个课堂 workload hours of the terms that ended recently."""
    from youke.core.actor import Actor
    from youke.training.domain import ledger

    return ledger.credit_ended_terms(Actor.system())
