"""Who may see and run campaigns.

A campaign is for the owner unit's whole subtree: everyone who belongs to or works in a unit
under it sees it once published (a county teacher sees the city's campaign). Admins also see
drafts and campaigns of units under them. Managing needs an admin covering the owner unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from youke.campaigns.enums import CampaignState
from youke.orgs import rules as org_rules
from youke.orgs.enums import REGION_KINDS, Role, UnitKind

if TYPE_CHECKING:
    from youke.campaigns.models import Campaign
    from youke.orgs.models import Person, Unit

STEP = 4  # treebeard steplen of orgs.Unit and catalog.CourseNode


def ancestor_paths(path: str) -> list[str]:
    """The materialized paths of a node and all its ancestors."""
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def member_paths(person: Person) -> set[str]:
    """Ancestor-or-self paths of every unit the person belongs to or holds a role on."""
    cached = getattr(person, "campaign_member_paths_cache", None)
    if cached is None:
        paths = {person.unit.path} if person.unit_id else set()
        # The request's grants, already loaded (roles on deactivated units give nothing).
        paths |= {grant.unit.path for grant in org_rules.active_grants(person)}
        cached = {prefix for path in paths for prefix in ancestor_paths(path)}
        person.campaign_member_paths_cache = cached
    return cached


def campaigns_visible_to(person: Person) -> QuerySet[Campaign]:
    from youke.campaigns.models import Campaign

    if not person.is_authenticated or not person.is_active:
        return Campaign.objects.none()
    if person.is_platform_admin:
        return Campaign.objects.all()
    condition = Q(owner_unit__path__in=member_paths(person)) & ~Q(state=CampaignState.DRAFT)
    condition |= org_rules.subtree_q(org_rules.admin_paths(person), "owner_unit__path")
    return Campaign.objects.filter(condition)


def can_view_campaign(person: Person, campaign: Campaign) -> bool:
    if not person.is_authenticated or not person.is_active:
        return False
    if org_rules.covers(person, campaign.owner_unit):
        return True
    return campaign.state != CampaignState.DRAFT and campaign.owner_unit.path in member_paths(
        person
    )


def can_create_campaign(person: Person, owner_unit: Unit) -> bool:
    return owner_unit.kind in REGION_KINDS and org_rules.covers(person, owner_unit)


def can_manage_campaign(person: Person, campaign: Campaign) -> bool:
    return person.is_authenticated and org_rules.covers(person, campaign.owner_unit)


def can_set_unit_deadline(person: Person, campaign: Campaign, unit: Unit) -> bool:
    """An admin of ``unit`` (inside the campaign's subtree) tightens deadlines for it."""
    return (
        can_view_campaign(person, campaign)
        and unit.path.startswith(campaign.owner_unit.path)
        and org_rules.covers(person, unit)
    )


def can_import_past_awards(person: Person) -> bool:
    """Past awards close nodes for every campaign, so only city level and above load them."""
    if not person.is_authenticated:
        return False
    if person.is_platform_admin:
        return True
    kinds = (UnitKind.MINISTRY, UnitKind.PROVINCE, UnitKind.CITY)
    return person.grants.filter(role=Role.UNIT_ADMIN, unit__kind__in=kinds).exists()
