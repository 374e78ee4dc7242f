"""Loading monitoring objects for a viewer: 404 for missing and not-yours alike."""

from __future__ import annotations

from django.http import Http404

from youke.campaigns.models import Campaign
from youke.monitoring.domain.bulletins import bulletins_visible_to
from youke.monitoring.domain.reading import monitored_campaigns
from youke.monitoring.models import Bulletin
from youke.orgs import rules as org_rules
from youke.orgs.models import Person, Unit


def access_bulletin(viewer: Person, bulletin_id: int) -> Bulletin:
    bulletin = (
        bulletins_visible_to(viewer)
        .select_related("issuing_unit", "campaign")
        .filter(pk=bulletin_id)
        .first()
    )
    if bulletin is None:
        raise Http404("bulletin")
    return bulletin


def access_figures_unit(viewer: Person, unit_id: int) -> Unit:
    """A unit whose figures the viewer may read: one in their admin subtrees."""
    unit = org_rules.scoped(Unit.objects.all(), viewer).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("unit")
    return unit


def access_monitored_campaign(viewer: Person, campaign_id: int) -> Campaign:
    campaign = (
        monitored_campaigns(viewer).select_related("owner_unit").filter(pk=campaign_id).first()
    )
    if campaign is None:
        raise Http404("campaign")
    return campaign
