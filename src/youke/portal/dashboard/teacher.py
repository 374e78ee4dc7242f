"""The teacher's dashboard: campaigns open to them, their packages, what was sent back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from youke.campaigns import rules as campaign_rules
from youke.campaigns.enums import CampaignState
from youke.campaigns.models import Campaign, Level, UnitDeadline
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

SHOWN_PACKAGES = 10


@dataclass
class OpenCampaign:
    campaign: Campaign
    deadline: datetime.datetime | None


@dataclass
class PackageRow:
    submission: Submission
    status: str  # the state of its latest level entry, or of the package itself
    deadline: datetime.datetime | None  # what the teacher must do next is due then
    returned_reason: str


def teacher_deadlines(campaign_ids: list[int], unit) -> dict[int, datetime.datetime]:
    """Per campaign, the teacher's deadline for ``unit`` (first level, tightened above): 2 queries.

    The batched twin of ``packages.teacher_deadline_for``.
    """
    first: dict[int, Level] = {}
    for level in Level.objects.filter(campaign_id__in=campaign_ids).order_by(
        "campaign_id", "order"
    ):
        first.setdefault(level.campaign_id, level)
    deadlines = {cid: level.deadline for cid, level in first.items()}
    if unit is None or not first:
        return deadlines
    tighter = (
        UnitDeadline.objects.filter(
            level__in=[level.pk for level in first.values()],
            unit__path__in=campaign_rules.ancestor_paths(unit.path),
        )
        .values_list("campaign_id")
        .annotate(earliest=Min("deadline"))
        .order_by()
    )
    for campaign_id, earliest in tighter:
        if earliest < deadlines[campaign_id]:
            deadlines[campaign_id] = earliest
    return deadlines


def _published(person, now: datetime.datetime) -> list[Campaign]:
    return list(
        campaign_rules.campaigns_visible_to(person)
        .filter(state=CampaignState.PUBLISHED, opens_at__lte=now, closes_at__gte=now)
        .select_related("owner_unit")
        .order_by("-opens_at", "id")
    )


def open_campaigns(person, now: datetime.datetime | None = None) -> list[OpenCampaign]:
    """Campaigns running in the person's region, with the teachers' deadline for their unit."""
    now = now or timezone.now()
    published = _published(person, now)
    deadlines = teacher_deadlines([c.pk for c in published], person.unit)
    return [OpenCampaign(c, deadlines.get(c.pk)) for c in published]


def build(person, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    published = _published(person, now)
    packages = list(
        Submission.objects.filter(teacher=person)
        .select_related("campaign", "category")
        .order_by("-updated_at", "-id")[:SHOWN_PACKAGES]
    )
    deadlines = teacher_deadlines(
        sorted({c.pk for c in published} | {s.campaign_id for s in packages}), person.unit
    )
    open_campaigns = [
        OpenCampaign(c, deadlines.get(c.pk))
        for c in published
        if deadlines.get(c.pk) is None or deadlines[c.pk] >= now
    ]
    latest: dict[int, LevelEntry] = {}
    for entry in (
        LevelEntry.objects.filter(submission__in=packages)
        .select_related("unit")
        .order_by("level__order", "id")
    ):
        latest[entry.submission_id] = entry
    rows = []
    for sub in packages:
        entry = latest.get(sub.pk)
        returned = entry is not None and entry.state == EntryState.RETURNED
        if entry is None or returned:
            status = sub.get_state_display() if entry is None else entry.get_state_display()
        else:
            status = f"{entry.unit.name}：{entry.get_state_display()}"
        needs_work = sub.state == SubmissionState.DRAFT or returned
        deadline = deadlines.get(sub.campaign_id) if needs_work else None
        rows.append(PackageRow(sub, status, deadline, entry.reason if returned else ""))
    return {
        "open_campaigns": open_campaigns,
        "packages": rows,
        "returned": [row for row in rows if row.returned_reason],
        "package_total": Submission.objects.filter(teacher=person).count(),
    }
