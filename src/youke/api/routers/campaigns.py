"""Campaigns (遴选活动): the caller's visible campaigns, their settings and node status."""

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Query, Router

from youke.api.common import access_catalog_node, actor, paginated, viewer, with_parent_pk
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_campaigns import (
    CampaignDetailOut,
    CampaignFilters,
    CampaignNodeFilters,
    CampaignNodeOut,
    CampaignOut,
    CampaignStateIn,
)
from youke.campaigns import rules
from youke.campaigns.access import access_campaign
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.deadlines import deadlines_for
from youke.campaigns.domain.nodes import node_statuses
from youke.campaigns.enums import CampaignState
from youke.campaigns.models import Campaign, Category, MaterialRequirement
from youke.catalog import rules as catalog_rules
from youke.catalog.domain.nodes import search_nodes

router = Router(tags=["campaigns"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _detail(request, campaign: Campaign) -> Campaign:
    """Load everything the detail shows in a fixed number of queries."""
    materials = MaterialRequirement.objects.select_related("category__campaign").prefetch_related(
        "video_rules__stage", "checklist"
    )
    categories = Category.objects.prefetch_related(
        Prefetch("materials", queryset=materials), "criteria"
    )
    campaign = (
        Campaign.objects.select_related("owner_unit")
        .prefetch_related(Prefetch("categories", queryset=categories), "windows__nodes")
        .get(pk=campaign.pk)
    )
    unit = viewer(request).unit
    rows = []
    if unit is not None:
        pairs = deadlines_for(campaign, unit)
    else:  # accounts without a unit (rare platform accounts) get the campaign's own deadlines
        pairs = [(level, level.deadline) for level in campaign.levels.order_by("order")]
    for level, moment in pairs:
        level.effective_deadline = moment
        rows.append(level)
    campaign.level_rows = rows
    return campaign


@router.get("/campaigns", response=list[CampaignOut], operation_id="list_campaigns")
@paginated
def list_campaigns(request, filters: Query[CampaignFilters]):
    """Published campaigns of the caller's unit chain, plus drafts of units they administer."""
    campaigns = rules.campaigns_visible_to(viewer(request))
    if filters.state:
        campaigns = campaigns.filter(state=filters.state)
    if filters.year is not None:
        campaigns = campaigns.filter(year=filters.year)
    if filters.template:
        campaigns = campaigns.filter(template_key=filters.template)
    return campaigns.select_related("owner_unit").order_by("-year", "-opens_at", "-id")


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, 404: ErrorOut},
    operation_id="get_campaign",
)
def get_campaign(request, campaign_id: int):
    """Categories with their materials and rubric, levels with the caller's deadlines, windows."""
    return _detail(request, access_campaign(viewer(request), campaign_id))


class _NodesWithStatus:
    """A node queryset whose status is computed only for the page the paginator slices.

    ``node_statuses`` costs three queries for any number of nodes, so a page costs the same
    whether it holds one node or two hundred.
    """

    def __init__(self, campaign: Campaign, nodes) -> None:
        self.campaign = campaign
        self.nodes = nodes

    def __len__(self) -> int:
        return self.nodes.count()

    def __getitem__(self, key: slice) -> list:
        page = list(self.nodes[key])
        statuses = node_statuses(self.campaign, page, today=timezone.localdate())
        for node in page:
            node.status = statuses[node.pk]
        return page


@router.get(
    "/campaigns/{campaign_id}/nodes",
    response={200: list[CampaignNodeOut], 404: ErrorOut},
    operation_id="list_campaign_nodes",
)
@paginated
def list_campaign_nodes(request, campaign_id: int, filters: Query[CampaignNodeFilters]):
    """Catalog nodes with this campaign's status, in catalog order.

    Closed nodes carry the reason (admin closure, R4 awards, R9 upload window); the teacher's
    page lists open and promoted nodes first, which a client does by sorting on ``open`` and
    ``promoted``.
    """
    campaign = access_campaign(viewer(request), campaign_id)
    nodes = catalog_rules.nodes_visible_to(viewer(request))
    if filters.parent_id is not None:
        parent = access_catalog_node(viewer(request), filters.parent_id)
        nodes = nodes.filter(path__under=parent.path, depth=parent.depth + 1)
    elif not filters.q:
        nodes = nodes.filter(depth=1)
    if filters.q:
        nodes = search_nodes(nodes, filters.q)
    return _NodesWithStatus(campaign, with_parent_pk(nodes.order_by("path")))


def _set_state(request, campaign_id: int, state: str, payload: CampaignStateIn) -> Campaign:
    campaign = access_campaign(viewer(request), campaign_id, manage=True)
    set_campaign_state(campaign, state, actor=actor(request), reason=payload.reason.strip())
    return access_campaign(viewer(request), campaign_id)


@router.post(
    "/campaigns/{campaign_id}/publish",
    response={200: CampaignOut, **WRITE_ERRORS},
    operation_id="publish_campaign",
)
def publish_campaign(request, campaign_id: int, payload: CampaignStateIn):
    """Open the campaign to its subtree (also reopens a closed one); the setup is re-validated."""
    return _set_state(request, campaign_id, CampaignState.PUBLISHED, payload)


@router.post(
    "/campaigns/{campaign_id}/close",
    response={200: CampaignOut, **WRITE_ERRORS},
    operation_id="close_campaign",
)
def close_campaign(request, campaign_id: int, payload: CampaignStateIn):
    return _set_state(request, campaign_id, CampaignState.CLOSED, payload)
