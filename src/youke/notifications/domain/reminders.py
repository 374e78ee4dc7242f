"""Daily deadline reminders, three days ahead (R8).

Admins hear about a level whose effective deadline for their unit is three days away while
entries still wait for a decision; teachers hear about their drafts three days before the
teacher deadline. The dedupe key holds the day, so the job may run again the same day
(a worker restart, a manual run) without sending anything twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from youke.campaigns.domain.deadlines import effective_deadline
from youke.campaigns.enums import CampaignState
from youke.campaigns.models import Campaign, Level
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs.models import Person, Unit
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry
from youke.submissions.domain.packages import teacher_deadline_for
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

DAYS_AHEAD = 3


def _due(moment: datetime.datetime | None, target: datetime.date) -> bool:
    return moment is not None and timezone.localdate(moment) == target


def _at(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def admin_reminders(today: datetime.date) -> int:
    target = today + datetime.timedelta(days=DAYS_AHEAD)
    pairs = (
        LevelEntry.objects.filter(
            state=EntryState.PENDING, level__campaign__state=CampaignState.PUBLISHED
        )
        .values_list("level_id", "unit_id")
        .distinct()
    )
    pairs = list(pairs)
    levels = {
        lv.pk: lv
        for lv in Level.objects.filter(pk__in={p[0] for p in pairs}).select_related(
            "campaign__owner_unit"
        )
    }
    units = Unit.objects.in_bulk({p[1] for p in pairs})
    sent = 0
    for level_id, unit_id in sorted(pairs):
        level, unit = levels[level_id], units[unit_id]
        deadline = effective_deadline(level.campaign, level, unit)
        if not _due(deadline, target):
            continue
        pending = LevelEntry.objects.filter(
            level_id=level_id, unit_id=unit_id, state=EntryState.PENDING
        ).count()
        names = {
            "campaign": level.campaign.name,
            "level": level.name,
            "at": _at(deadline),
            "n": pending,
        }
        url = (
            reverse("manage_selection:inbox")
            + "?"
            + urlencode({"campaign": level.campaign_id, "unit": unit_id})
        )
        for person in unit_admins([unit_id]):
            created = notify(
                person,
                NotificationKind.DEADLINE_SOON,
                title=_("“%(level)s”将于 %(at)s 截止") % names,
                body=_(
                    "“%(campaign)s”的“%(level)s”将于 %(at)s 截止，还有 %(n)s 件作品待审。"
                    "请在截止前处理并确认推荐名单。"
                )
                % names,
                url=url,
                dedupe_key=f"deadline:level:{level_id}:{unit_id}:{today.isoformat()}",
            )
            sent += created is not None
    return sent


def teacher_reminders(today: datetime.date) -> int:
    target = today + datetime.timedelta(days=DAYS_AHEAD)
    drafts: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows = Submission.objects.filter(
        state=SubmissionState.DRAFT, campaign__state=CampaignState.PUBLISHED
    ).values_list("campaign_id", "unit_id", "teacher_id")
    for campaign_id, unit_id, teacher_id in rows:
        drafts[(campaign_id, unit_id)].append(teacher_id)
    campaigns = Campaign.objects.select_related("owner_unit").in_bulk({k[0] for k in drafts})
    units = Unit.objects.in_bulk({k[1] for k in drafts})
    sent = 0
    for (campaign_id, unit_id), teacher_ids in sorted(drafts.items()):
        campaign = campaigns[campaign_id]
        deadline = teacher_deadline_for(campaign, units[unit_id])
        if not _due(deadline, target):
            continue
        names = {"campaign": campaign.name, "at": _at(deadline)}
        for person in Person.objects.filter(pk__in=set(teacher_ids), is_active=True):
            created = notify(
                person,
                NotificationKind.DEADLINE_SOON,
                title=_("“%(campaign)s”教师申报将于 %(at)s 截止") % names,
                body=_(
                    "您在“%(campaign)s”中还有未提交的作品草稿，教师申报将于 %(at)s 截止。"
                    "请在截止前补齐材料并提交。"
                )
                % names,
                url=reverse("portal:my_submissions"),
                dedupe_key=f"deadline:teacher:{campaign_id}:{today.isoformat()}",
            )
            sent += created is not None
    return sent


def send_deadline_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    with transaction.atomic():
        return admin_reminders(today) + teacher_reminders(today)
