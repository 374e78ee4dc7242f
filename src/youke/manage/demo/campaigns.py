"""Two running demo campaigns: the province's 精品课 and one city's 一师一优课.

Both are created from the shipped templates, then their dates are moved around today (the
templates carry calendar dates of the campaign year, which would leave a demo loaded in
another month looking finished or not yet started), and published through
``set_campaign_state`` so the same validation as for a real campaign runs. A few admin
closures and past awards make node status (R4) show closed nodes with their reasons.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.deadlines import set_unit_deadline
from youke.campaigns.domain.nodes import close_node
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.enums import AwardLevel, CampaignState, TemplateKey
from youke.campaigns.models import Campaign, Level, PastAward, UploadWindow
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.manage.demo.names import NameBook
from youke.manage.demo.province import PROVINCE_CODE
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit

OPENED_DAYS_AGO = 30
CLOSES_IN_DAYS = 200
# Days from today to the teachers' deadline (the first level), then between later levels.
TEACHER_DEADLINE_IN = {TemplateKey.QUALITY_COURSE: 20, TemplateKey.ONE_TEACHER_ONE_LESSON: 28}
LEVEL_GAP_DAYS = 15
# The demo teacher's county asks its schools for entries a few days before the campaign does.
COUNTY_DEADLINE_EARLIER_DAYS = 5

MINISTRY_AWARD_LESSONS_PER_STAGE = 3
# 一师一优课 closes a lesson holding this many provincial-or-higher awards (template: 6).
CROWDED_LESSON_AWARDS = 6
MINOR_AWARD_LESSONS = 12

AWARD_SOURCES = {
    AwardLevel.MINISTRY: ("国家中小学智慧教育平台 部级精品课", "“一师一优课、一课一名师”部级优课"),
    AwardLevel.PROVINCE: ("示范省“一师一优课”省级优课", "示范省基础教育精品课 省级"),
    AwardLevel.CITY: ("青山市优质课评比", "云水市“一师一优课”市级优课"),
}
OTHER_SCHOOLS = (
    "江南省实验小学",
    "江北市第一中学",
    "海州市外国语学校",
    "北川县实验中学",
    "东林市第二中学",
    "南溪区实验小学",
)


@dataclass
class DemoCampaigns:
    created: list[Campaign] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names of campaigns already there
    closures: int = 0
    past_awards: int = 0


def build_campaigns(rng: random.Random, teacher_username: str) -> DemoCampaigns:
    """Create whichever of the two demo campaigns does not exist yet."""
    result = DemoCampaigns()
    province = Unit.objects.filter(code=PROVINCE_CODE).first()
    if province is None or not CourseNode.objects.filter(level=NodeLevel.LESSON).exists():
        return result
    city = province.get_children().filter(kind=UnitKind.CITY).order_by("path").first()
    year = timezone.localdate().year
    plans = [(province, TemplateKey.QUALITY_COURSE, f"{year}年示范省基础教育精品课遴选")]
    if city is not None:
        plans.append(
            (
                city,
                TemplateKey.ONE_TEACHER_ONE_LESSON,
                f"{year}年{city.name}“一师一优课、一课一名师”晒课活动",
            )
        )
    for owner, template_key, name in plans:
        # Any campaign of this template by the demo unit counts: the name carries the year,
        # and a demo loaded last December must not get a second set in January.
        existing = Campaign.objects.filter(owner_unit=owner, template_key=template_key).first()
        if existing is not None:
            result.skipped.append(existing.name)
            continue
        actor = _admin_actor(owner)
        if actor is None:
            continue
        campaign = create_campaign_from_template(actor, owner, template_key, name=name, year=year)
        _move_dates_around_today(campaign)
        set_campaign_state(campaign, CampaignState.PUBLISHED, actor=actor)
        campaign.refresh_from_db()
        result.created.append(campaign)
    if result.created:
        _tighten_county_deadline(result.created, teacher_username)
        result.closures = _close_some_nodes(rng, result.created)
        result.past_awards = _add_past_awards(rng)
    return result


def _admin_actor(unit: Unit) -> Actor | None:
    grant = (
        RoleGrant.objects.filter(unit=unit, role=Role.UNIT_ADMIN, person__is_active=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if grant is not None:
        return Actor(grant.person)
    admin = Person.objects.filter(is_platform_admin=True, is_active=True).order_by("pk").first()
    return Actor(admin) if admin is not None else None


def _at(today: datetime.date, days: int, hour: int, minute: int = 0) -> datetime.datetime:
    moment = datetime.datetime.combine(
        today + datetime.timedelta(days), datetime.time(hour, minute)
    )
    return timezone.make_aware(moment)


def _move_dates_around_today(campaign: Campaign) -> None:
    today = timezone.localdate()
    first = TEACHER_DEADLINE_IN[campaign.template_key]
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=_at(today, -OPENED_DAYS_AGO, 0), closes_at=_at(today, CLOSES_IN_DAYS, 23, 59)
    )
    levels = list(Level.objects.filter(campaign=campaign).order_by("order"))
    for index, level in enumerate(levels):
        level.deadline = _at(today, first + LEVEL_GAP_DAYS * index, 18)
    Level.objects.bulk_update(levels, ["deadline"])
    # Staggered like the template (older pupils' windows close first), all covering today.
    windows = list(UploadWindow.objects.filter(campaign=campaign).order_by("order", "pk"))
    for index, window in enumerate(windows):
        window.opens_on = today - datetime.timedelta(OPENED_DAYS_AGO - 3 * index)
        window.closes_on = today + datetime.timedelta(first - 6 + 3 * index)
    UploadWindow.objects.bulk_update(windows, ["opens_on", "closes_on"])
    campaign.refresh_from_db()


def _tighten_county_deadline(campaigns: list[Campaign], teacher_username: str) -> None:
    """R8: the demo teacher's county wants its schools' entries a few days early."""
    teacher = Person.objects.filter(username=teacher_username).select_related("unit").first()
    if teacher is None:
        return
    county = teacher.unit.get_parent()
    actor = _admin_actor(county) if county is not None else None
    if actor is None or county.kind != UnitKind.COUNTY:
        return
    campaign = campaigns[0]
    level = Level.objects.filter(campaign=campaign).order_by("order").first()
    deadline = level.deadline - datetime.timedelta(days=COUNTY_DEADLINE_EARLIER_DAYS)
    set_unit_deadline(actor, campaign, level, county, deadline)


_CLOSURE_REASONS = {
    TemplateKey.QUALITY_COURSE: (
        (NodeLevel.UNIT, "本单元已列入省级统一录制计划，本次活动不再征集。"),
        (NodeLevel.LESSON, "该课教材内容今年秋季起调整，暂停申报，待新教材发行后再开放。"),
        (NodeLevel.LESSON, "该课已确定为省级示范课例，由省电教馆统一组织录制。"),
    ),
    TemplateKey.ONE_TEACHER_ONE_LESSON: (
        (NodeLevel.VOLUME, "本市学校尚未启用该册教材，暂不开放晒课。"),
        (NodeLevel.LESSON, "该课题本市已征集课例较多，今年暂停晒课，请选择其他课题。"),
    ),
}


def _close_some_nodes(rng: random.Random, campaigns: list[Campaign]) -> int:
    stages = list(CourseNode.objects.filter(level=NodeLevel.STAGE).order_by("path"))
    closed = 0
    for campaign in campaigns:
        actor = _admin_actor(campaign.owner_unit)
        for index, (level, reason) in enumerate(_CLOSURE_REASONS[campaign.template_key]):
            # Spread over the stages so every teacher can meet a closed node.
            stage = stages[index % len(stages)] if stages else None
            nodes = CourseNode.objects.filter(level=level)
            if stage is not None:
                nodes = nodes.filter(path__under=stage.path)
            paths = list(nodes.order_by("path").values_list("path", flat=True))
            if not paths:
                continue
            node = CourseNode.objects.get(path=rng.choice(paths))
            close_node(actor, campaign, node, reason=reason)
            closed += 1
    return closed


def _add_past_awards(rng: random.Random) -> int:
    """Ministry awards close lessons in 精品课 (one is enough); one crowded lesson closes in
    一师一优课 (six provincial or higher); minor awards only stop a lesson being promoted."""
    book = NameBook(rng)
    year = timezone.localdate().year
    lessons_by_stage: dict[str, list[CourseNode]] = {}
    for node in CourseNode.objects.filter(level=NodeLevel.LESSON).order_by("path"):
        lessons_by_stage.setdefault(node.path[: CourseNode.steplen], []).append(node)
    picked: list[tuple[CourseNode, str, int]] = []  # (lesson, level, how many awards)
    pool = []
    for lessons in lessons_by_stage.values():
        chosen = rng.sample(lessons, min(len(lessons), MINISTRY_AWARD_LESSONS_PER_STAGE + 5))
        picked += [(n, AwardLevel.MINISTRY, 1) for n in chosen[:MINISTRY_AWARD_LESSONS_PER_STAGE]]
        pool += chosen[MINISTRY_AWARD_LESSONS_PER_STAGE:]
    if pool:
        rng.shuffle(pool)
        picked.append((pool[0], AwardLevel.PROVINCE, CROWDED_LESSON_AWARDS))
        picked += [
            (node, rng.choice((AwardLevel.PROVINCE, AwardLevel.CITY)), rng.randint(1, 2))
            for node in pool[1 : 1 + MINOR_AWARD_LESSONS]
        ]
    rows = []
    for node, level, count in picked:
        for _ in range(count):
            rows.append(
                PastAward(
                    node=node,
                    level=level,
                    year=year - rng.randint(1, 4),
                    title=node.name,
                    teacher_name=book.person()[0],
                    unit_name=rng.choice(OTHER_SCHOOLS),
                    source=rng.choice(AWARD_SOURCES[level]),
                )
            )
    # An earlier import may hold the same award: R4 must not count it twice.
    PastAward.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
