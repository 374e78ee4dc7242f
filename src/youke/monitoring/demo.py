"""Demo monitoring: figures for the demo campaigns, the city's interim targets for its
一师一优课 campaign, and one published (and public) bulletin of the city.

Called from ``youke demo`` after the selection and certificate demos; does nothing once a
bulletin exists. The interim targets are set through ``set_campaign_target`` as an admin
would: early in the campaign the city steers by stage targets (阶段目标), while the
template keeps the full targets of seed 003 (90 %, 2 per teacher, 40 % / 30 %), which the
registry page shows beside them. With the demo's packages, 南屏区 meets both interim targets
and is commended, 东湖区 and 西岭县 are named behind.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from youke.campaigns.enums import CampaignState, TemplateKey
from youke.campaigns.models import Campaign
from youke.core.actor import Actor
from youke.monitoring.domain import bulletins, figures, registry, targets
from youke.monitoring.models import Bulletin, Indicator
from youke.orgs.enums import Role
from youke.orgs.models import Person

INTERIM_TARGETS = (("participation", Decimal(12)), ("lessons_per_teacher", Decimal("0.12")))
BULLETIN_INDICATORS = ["participation", "lessons_per_teacher", "on_time_rate"]


def build_monitoring() -> dict[str, int]:
    if Bulletin.objects.exists():
        return {}
    registry.ensure_defaults()
    units = 0
    for campaign in Campaign.objects.filter(state=CampaignState.PUBLISHED).select_related(
        "owner_unit"
    ):
        units += figures.refresh_campaign(campaign)
    campaign = (
        Campaign.objects.filter(
            state=CampaignState.PUBLISHED, template_key=TemplateKey.ONE_TEACHER_ONE_LESSON
        )
        .select_related("owner_unit")
        .first()
    )
    if campaign is None:
        return {"monitoring_units": units}
    admin = (
        Person.objects.filter(
            grants__unit=campaign.owner_unit, grants__role=Role.UNIT_ADMIN, is_active=True
        )
        .order_by("id")
        .first()
    )
    if admin is None:
        return {"monitoring_units": units}
    actor = Actor(admin)
    for key, value in INTERIM_TARGETS:
        targets.set_campaign_target(actor, campaign, Indicator.objects.get(key=key), "", value)
    today = timezone.localdate()
    draft = bulletins.compose(
        actor,
        unit=campaign.owner_unit,
        campaign=campaign,
        title="关于一师一优课晒课活动第一阶段进展情况的通报",
        doc_prefix=f"{campaign.owner_unit.name[:2]}教电通",
        period_start=today - datetime.timedelta(days=14),
        period_end=today,
        indicators=BULLETIN_INDICATORS,
        intro=(
            "为推进“一师一优课、一课一名师”晒课活动，现将各县（区）第一阶段晒课进展情况通报如下。"
        ),
        closing=(
            "一、未达到阶段目标的县（区）要逐校排查尚未晒课的教师，明确责任人和完成时间。\n"
            "二、各县（区）要在教师截止时间前完成本级审核，确保按时提交。"
        ),
        is_public=True,
    )
    bulletins.publish(actor, draft)
    return {"monitoring_units": units, "bulletins": 1}
