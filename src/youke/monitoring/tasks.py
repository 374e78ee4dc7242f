from celery import shared_task

from youke.campaigns.models import Campaign
from youke.monitoring.domain import figures, schedules


@shared_task(name="monitoring.refresh_units", acks_late=True)
def refresh_units(campaign_id: int, unit_ids: list[int]) -> None:
    campaign = Campaign.objects.select_related("owner_unit").filter(pk=campaign_id).first()
    if campaign is not None:
        figures.refresh_units(campaign, unit_ids)


@shared_task(name="monitoring.refresh_all", acks_late=True)
def refresh_all() -> None:
    """On the schedule: every campaign that is running (or has figures) from scratch."""
    figures.refresh_running_campaigns()


@shared_task(name="monitoring.publish_scheduled", acks_late=True)
def publish_scheduled() -> None:
    """Daily (beat): scheduled bulletins whose date has come."""
    schedules.publish_due()
