"""An admin's dashboard at any level: a to-do list computed from data, the level's next deadline.

Every line is one grouped query (or two), whatever the number of campaigns or child units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns import rules as campaign_rules
from youke.campaigns.enums import CampaignState, LevelKey
from youke.campaigns.models import Level, UnitDeadline
from youke.core.enums import JobState
from youke.core.models import Job
from youke.orgs.enums import CHILD_KINDS, ContactRole, UnitKind
from youke.orgs.models import Unit
from youke.selection.enums import EntryState, ListState, ObjectionState
from youke.selection.models import LevelEntry, LevelList, Objection, Quota


@dataclass
class Todo:
    key: str  # what kind of work, for tests and styling
    count: int
    text: str
    url: str


@dataclass
class NextDeadline:
    campaign_name: str
    level_name: str
    at: datetime.datetime


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _inbox_lines(unit: Unit) -> list[Todo]:
    rows = (
        LevelEntry.objects.filter(unit=unit, level__campaign__state=CampaignState.PUBLISHED)
        .values("level__campaign_id", "level__campaign__name", "level_id", "level__name")
        .annotate(
            pending=Count("id", filter=Q(state=EntryState.PENDING)),
            recommended=Count("id", filter=Q(state=EntryState.RECOMMENDED)),
        )
        .order_by("level__campaign_id", "level_id")
    )
    rows = list(rows)
    confirmed = set(
        LevelList.objects.filter(
            unit=unit, state=ListState.CONFIRMED, level_id__in=[r["level_id"] for r in rows]
        ).values_list("level_id", flat=True)
    )
    todo = []
    for row in rows:
        names = {"campaign": row["level__campaign__name"], "level": row["level__name"]}
        link = _url(
            "manage_selection:inbox",
            campaign=row["level__campaign_id"],
            unit=unit.pk,
            level=row["level_id"],
        )
        if row["pending"]:
            todo.append(
                Todo(
                    "inbox",
                    row["pending"],
                    _("《%(campaign)s》%(level)s：%(n)s 个作品等待您推荐或退回。")
                    % {**names, "n": row["pending"]},
                    link,
                )
            )
        if row["recommended"] and row["level_id"] not in confirmed:
            todo.append(
                Todo(
                    "list",
                    row["recommended"],
                    _("《%(campaign)s》%(level)s：推荐名单（已推荐 %(n)s 个）尚未确认上报。")
                    % {**names, "n": row["recommended"]},
                    link,
                )
            )
    return todo


def _objection_lines(unit: Unit) -> list[Todo]:
    rows = (
        Objection.objects.filter(publicity__unit=unit, state=ObjectionState.OPEN)
        .values("publicity_id", "publicity__title")
        .annotate(n=Count("id"))
        .order_by("publicity_id")
    )
    return [
        Todo(
            "objection",
            row["n"],
            _("公示“%(title)s”有 %(n)s 条异议待处理。")
            % {"title": row["publicity__title"], "n": row["n"]},
            reverse("manage_publicity:publicity_detail", args=[row["publicity_id"]]),
        )
        for row in rows
    ]


def _sheet_line(unit: Unit) -> list[Todo]:
    n = (
        LevelList.objects.filter(unit=unit, state=ListState.CONFIRMED)
        .filter(sheet_confirmations__isnull=True)
        .count()
    )
    if not n:
        return []
    text = _("%(n)s 份已确认名单的推荐汇总表尚未生成并确认。") % {"n": n}
    return [Todo("sheet", n, text, reverse("manage_publicity:sheet_list"))]


def _contact_line(unit: Unit) -> list[Todo]:
    units = Unit.objects.filter(is_active=True, path__under=unit.path).exclude(
        kind=UnitKind.TEACHING_POINT
    )
    n = units.exclude(Q(contacts__role=ContactRole.CONTACT)).count()
    if not n:
        return []
    text = _("%(n)s 个单位的联系表缺少联系人，请补全（上级下发通知时需要）。") % {"n": n}
    return [Todo("contact", n, text, reverse("manage:unit_list") + "?missing_contact=1")]


def _quota_lines(person, unit: Unit) -> list[Todo]:
    kinds = CHILD_KINDS.get(unit.kind, frozenset())
    if not kinds:
        return []
    # A publicity step recommends nothing, so it has no quota to allocate.
    levels = list(
        Level.objects.filter(
            unit_kind__in=kinds,
            campaign__in=campaign_rules.campaigns_visible_to(person).filter(
                state=CampaignState.PUBLISHED
            ),
        )
        .exclude(key=LevelKey.PUBLICITY)
        .select_related("campaign")
        .order_by("campaign_id", "order")
    )
    if not levels:
        return []
    children = list(
        Unit.objects.filter(
            path__under=unit.path, depth=unit.depth + 1, kind__in=kinds, is_active=True
        ).values_list("pk", "kind")
    )
    allocated = set(
        Quota.objects.filter(level__in=levels, unit_id__in=[pk for pk, _kind in children])
        .values_list("level_id", "unit_id")
        .distinct()
    )
    todo = []
    for level in levels:
        missing = sum(
            1
            for pk, kind in children
            if kind == level.unit_kind and (level.pk, pk) not in allocated
        )
        if missing:
            todo.append(
                Todo(
                    "quota",
                    missing,
                    _("《%(campaign)s》%(level)s：%(n)s 个下级单位尚未分配名额。")
                    % {"campaign": level.campaign.name, "level": level.name, "n": missing},
                    _url(
                        "manage_selection:quotas",
                        campaign=level.campaign_id,
                        unit=unit.pk,
                        level=level.pk,
                    ),
                )
            )
    return todo


def _job_line(person) -> list[Todo]:
    n = Job.objects.filter(
        Q(state=JobState.FAILED) | Q(state=JobState.SUCCEEDED, result__failed__gt=0),
        created_by=person,
    ).count()
    if not n:
        return []
    text = _("有 %(n)s 个导入任务失败或含错误行，请查看错误报告并修正后重新导入。") % {"n": n}
    return [Todo("job", n, text, reverse("manage:import_list"))]


def todo_list(person, unit: Unit) -> list[Todo]:
    return [
        *_inbox_lines(unit),
        *_objection_lines(unit),
        *_sheet_line(unit),
        *_quota_lines(person, unit),
        *_contact_line(unit),
        *_job_line(person),
    ]


def next_deadline(person, unit: Unit, now: datetime.datetime | None = None) -> NextDeadline | None:
    """The earliest deadline still ahead at the unit's own level, tightened from above (R8)."""
    now = now or timezone.now()
    levels = list(
        Level.objects.filter(
            unit_kind=unit.kind,
            campaign__in=campaign_rules.campaigns_visible_to(person).filter(
                state=CampaignState.PUBLISHED
            ),
        ).select_related("campaign")
    )
    tighter = dict(
        UnitDeadline.objects.filter(
            level__in=levels, unit__path__in=campaign_rules.ancestor_paths(unit.path)
        )
        .values_list("level_id")
        .annotate(earliest=Min("deadline"))
        .order_by()
    )
    upcoming = []
    for level in levels:
        at = min(level.deadline, tighter.get(level.pk, level.deadline))
        if at >= now:
            upcoming.append(NextDeadline(level.campaign.name, level.name, at))
    return min(upcoming, key=lambda d: d.at, default=None)
