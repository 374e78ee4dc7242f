"""Load campaigns for a person: missing and not-yours both raise Http404 (no leak)."""

from django.http import Http404

from youke.campaigns import rules
from youke.campaigns.models import Campaign


def access_campaign(viewer, campaign_id: int, *, manage: bool = False) -> Campaign:
    campaign = (
        rules.campaigns_visible_to(viewer)
        .select_related("owner_unit")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None or (manage and not rules.can_manage_campaign(viewer, campaign)):
        raise Http404("campaign")
    return campaign
