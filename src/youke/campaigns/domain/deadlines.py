"""Deadlines per level (R8) and the tighter internal deadlines lower units set for themselves."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns import rules
from youke.campaigns.enums import KIND_ORDER, CampaignState
from youke.campaigns.models import Campaign, Level, UnitDeadline
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit


def teacher_deadline(campaign: Campaign) -> datetime.datetime | None:
    """Teachers submit by the first level's deadline (R8)."""
    first = Level.objects.filter(campaign=campaign).order_by("order").first()
    return first.deadline if first else None


def _limit(
    campaign: Campaign, level: Level, paths: list[str]
) -> tuple[datetime.datetime, str | None]:
    """The tightest deadline among the level's own and unit deadlines on ``paths``, and the
    unit that set it (None: the level's own deadline, set by the campaign's owner unit)."""
    row = (
        UnitDeadline.objects.filter(campaign=campaign, level=level, unit__path__in=paths)
        .order_by("deadline")
        .values_list("deadline", "unit__name")
        .first()
    )
    if row is not None and row[0] < level.deadline:
        return row[0], row[1]
    return level.deadline, None


def effective_deadline(campaign: Campaign, level: Level, unit: Unit) -> datetime.datetime:
    """The deadline that applies to ``unit``: the tightest set by it or any unit above it."""
    return _limit(campaign, level, rules.ancestor_paths(unit.path))[0]


def first_level_deadline(campaign: Campaign, unit: Unit) -> datetime.datetime | None:
    """``effective_deadline`` of the campaign's first level (the teachers'), in one query."""
    tightest = UnitDeadline.objects.filter(
        campaign=campaign, level=OuterRef("pk"), unit__path__in=rules.ancestor_paths(unit.path)
    ).order_by("deadline")
    row = (
        Level.objects.filter(campaign=campaign)
        .order_by("order")
        .annotate(tightest=Subquery(tightest.values("deadline")[:1]))
        .values_list("deadline", "tightest")
        .first()
    )
    if row is None:
        return None
    own, tightest = row
    return tightest if tightest is not None and tightest < own else own


@transaction.atomic
def set_unit_deadline(
    actor: Actor, campaign: Campaign, level: Level, unit: Unit, deadline: datetime.datetime
) -> UnitDeadline:
    if (
        not rules.can_set_unit_deadline(actor.person, campaign, unit)
        or level.campaign_id != campaign.pk
    ):
        raise PermissionDenied("unit deadline")
    if campaign.state == CampaignState.CLOSED:
        raise ValidationError(_("活动已结束，不能再设置截止时间。"))
    if KIND_ORDER.index(level.unit_kind) < KIND_ORDER.index(unit.kind):
        raise ValidationError(
            {
                "level": _("“%(level)s”由上级单位负责，%(unit)s 不能为它设置内部截止时间。")
                % {"level": level.name, "unit": unit.name}
            }
        )
    # Only units strictly above count: a unit may loosen its own earlier internal deadline.
    limit, source = _limit(campaign, level, rules.ancestor_paths(unit.path)[:-1])
    if deadline > limit:
        raise ValidationError(
            {
                "deadline": _(
                    "内部截止时间不能晚于%(source)s规定的“%(level)s”截止时间 %(limit)s。"
                    "请选择不晚于该时间的时间。"
                )
                % {
                    "source": source or campaign.owner_unit.name,
                    "level": level.name,
                    "limit": timezone.localtime(limit).strftime("%Y-%m-%d %H:%M"),
                }
            }
        )
    existing = UnitDeadline.objects.filter(campaign=campaign, level=level, unit=unit).first()
    before = {"deadline": str(existing.deadline)} if existing else None
    row, _created = UnitDeadline.objects.update_or_create(
        campaign=campaign,
        level=level,
        unit=unit,
        defaults={"deadline": deadline, "set_by": actor.person},
    )
    record(
        actor,
        AuditAction.UPDATE if existing else AuditAction.CREATE,
        row,
        unit=unit,
        before=before,
        after={"deadline": str(deadline), "level": level.key, "campaign": campaign.pk},
    )
    return row


def deadlines_for(campaign: Campaign, unit: Unit) -> list[tuple[Level, datetime.datetime]]:
    """Each level with the deadline that applies to ``unit``, in two queries."""
    levels = list(Level.objects.filter(campaign=campaign).order_by("order"))
    tightest: dict[int, datetime.datetime] = {}
    for level_id, moment in UnitDeadline.objects.filter(
        campaign=campaign, unit__path__in=rules.ancestor_paths(unit.path)
    ).values_list("level_id", "deadline"):
        tightest[level_id] = min(moment, tightest.get(level_id, moment))
    return [(lv, min(lv.deadline, tightest.get(lv.pk, lv.deadline))) for lv in levels]
