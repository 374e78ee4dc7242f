"""Scheduled bulletins: weekly during a campaign, monthly otherwise.

A schedule is checked like a bulletin when it is set up; the daily beat job
(``monitoring.publish_scheduled``) composes and publishes, in the name of the admin who
set it up, every schedule whose date has come, then moves the date on by one period in the
same transaction (the schedule's row lock), so a rerun of the job publishes nothing twice.
A schedule whose owner no longer administers the unit stops instead of publishing.
"""

from __future__ import annotations

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.monitoring.domain import bulletins
from youke.monitoring.enums import Frequency
from youke.monitoring.models import BulletinSchedule
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit

log = logging.getLogger(__name__)


def period_of(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period a bulletin published on ``day`` reports on (ending the day before)."""
    step = relativedelta(weeks=1) if frequency == Frequency.WEEKLY else relativedelta(months=1)
    return day - step, day - datetime.timedelta(days=1)


def schedules_visible_to(person: Person) -> QuerySet[BulletinSchedule]:
    return org_rules.scoped(BulletinSchedule.objects.all(), person, "issuing_unit__path")


@transaction.atomic
def create_schedule(
    actor: Actor,
    *,
    unit: Unit,
    campaign: Campaign,
    frequency: str,
    starts_on: datetime.date,
    **fields,
) -> BulletinSchedule:
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("schedule")
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("请选择每周或每月发布。")]})
    start, end = period_of(frequency, starts_on)
    keys = bulletins.clean_fields(
        campaign, unit, {**fields, "period_start": start, "period_end": end}
    )
    schedule = BulletinSchedule.objects.create(
        issuing_unit=unit,
        campaign=campaign,
        frequency=frequency,
        title=fields["title"].strip(),
        doc_prefix=fields.get("doc_prefix", "").strip(),
        indicators=keys,
        intro=fields.get("intro", ""),
        closing=fields.get("closing", ""),
        is_public=bool(fields.get("is_public")),
        next_run=starts_on,
        created_by=actor.person,
    )
    record(actor, AuditAction.CREATE, schedule, unit=unit, after={"frequency": frequency})
    return schedule


@transaction.atomic
def stop_schedule(actor: Actor, schedule: BulletinSchedule) -> None:
    schedule = BulletinSchedule.objects.select_for_update().get(pk=schedule.pk)
    if actor.person is None or not org_rules.covers(actor.person, schedule.issuing_unit):
        raise PermissionDenied("schedule")
    schedule.is_active = False
    schedule.save(update_fields=["is_active"])
    record(actor, AuditAction.UPDATE, schedule, unit=schedule.issuing_unit, after={"active": False})


def publish_due(today: datetime.date | None = None) -> int:
    """Publish every due schedule once; returns how many bulletins were published."""
    today = today or timezone.localdate()
    published = 0
    due = BulletinSchedule.objects.filter(is_active=True, next_run__lte=today).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        try:
            published += _publish_one(pk, today)
        except ValidationError as exc:  # e.g. no figures yet: try again at the next run
            log.warning("scheduled bulletin %s not published: %s", pk, exc.messages)
    return published


@transaction.atomic
def _publish_one(pk: int, today: datetime.date) -> int:
    schedule = (
        BulletinSchedule.objects.select_for_update()
        .select_related("issuing_unit", "campaign__owner_unit", "created_by")
        .get(pk=pk)
    )
    if not schedule.is_active or schedule.next_run > today:
        return 0  # another run took it
    owner = schedule.created_by
    if not owner.is_active or not org_rules.covers(owner, schedule.issuing_unit):
        schedule.is_active = False
        schedule.save(update_fields=["is_active"])
        return 0
    start, end = period_of(schedule.frequency, today)
    actor = Actor(owner)
    draft = bulletins.compose(
        actor,
        unit=schedule.issuing_unit,
        campaign=schedule.campaign,
        title=schedule.title,
        doc_prefix=schedule.doc_prefix,
        period_start=start,
        period_end=end,
        indicators=schedule.indicators,
        intro=schedule.intro,
        closing=schedule.closing,
        is_public=schedule.is_public,
    )
    schedule.last_bulletin = bulletins.publish(actor, draft)
    step = (
        relativedelta(weeks=1)
        if schedule.frequency == Frequency.WEEKLY
        else relativedelta(months=1)
    )
    while schedule.next_run <= today:
        schedule.next_run += step
    schedule.save(update_fields=["last_bulletin", "next_run"])
    return 1
