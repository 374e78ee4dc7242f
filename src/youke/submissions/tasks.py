from celery import shared_task

from youke.submissions.domain import blind_copies, checks


# Hard limits: a hostile file must never hold a worker (the probe has its own timeout).
@shared_task(
    name="submissions.check_material",
    acks_late=True,
    time_limit=900,
    soft_time_limit=840,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def check_material(material_id: int) -> None:
    checks.run_check(material_id)


@shared_task(
    name="submissions.render_material",
    acks_late=True,
    time_limit=4 * 3600,
    soft_time_limit=4 * 3600 - 60,
)
def render_material(material_id: int) -> None:
    checks.run_rendition(material_id)


@shared_task(
    name="submissions.make_blind_copies",
    acks_late=True,
    time_limit=4 * 3600,
    soft_time_limit=4 * 3600 - 60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def make_blind_copies(material_id: int) -> None:
    blind_copies.make_blind_copies(material_id)
