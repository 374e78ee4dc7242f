"""Campaign templates shipped as JSON data (templates_data/) and creation from them.

Adding a category, a material or a rubric to a template is an edit of the JSON file; no code
knows category codes (R1a).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns import rules
from youke.campaigns.enums import KIND_ORDER, CriterionGroup, LevelKey, TemplateKey, VideoDue
from youke.campaigns.models import (
    AwardGrade,
    Campaign,
    Category,
    ChecklistItem,
    Criterion,
    Level,
    MaterialRequirement,
    TrainingHourRule,
    UploadWindow,
    VideoRule,
)
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied

DATA_DIR = Path(__file__).resolve().parent.parent / "templates_data"


@cache
def load_template(key: str) -> dict:
    if key not in TemplateKey.values:
        raise ValidationError({"template_key": _("活动模板不存在，请从列表中选择。")})
    return json.loads((DATA_DIR / f"{key}.json").read_text(encoding="utf-8"))


def _at(year: int, month_day_time: str) -> datetime.datetime:
    """'09-15T18:00' in the campaign year, in the site's time zone."""
    moment = datetime.datetime.strptime(f"{year}-{month_day_time}", "%Y-%m-%dT%H:%M")
    return timezone.make_aware(moment)


def _on(year: int, month_day: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{year}-{month_day}")


def _stage_rules(material: MaterialRequirement, spec: dict, stages: dict) -> list[VideoRule]:
    """A spec's per-stage rules ({"小学": [[rule, value, severity], …]}) for the catalog's
    stages of those names; a stage missing from the catalog keeps the all-stage rules."""
    return [
        VideoRule(
            requirement=material, rule=row[0], value=row[1], severity=row[2], stage=stages[name]
        )
        for name, rows in spec.get("stage_rules", {}).items()
        if name in stages
        for row in rows
    ]


def _create_categories(campaign: Campaign, data: dict) -> None:
    specs = data.get("video_specs", {})
    names = {n for s in specs.values() for n in s.get("stage_rules", {})}
    stages = {
        s.name: s for s in CourseNode.objects.filter(level=NodeLevel.STAGE, depth=1, name__in=names)
    }
    vetoes = data.get("veto_criteria", [])
    for c_order, cat in enumerate(data["categories"]):
        category = Category.objects.create(
            campaign=campaign,
            code=cat["code"],
            name=cat["name"],
            description=cat.get("description", ""),
            is_micro_lesson=cat.get("is_micro_lesson", True),
            max_periods=cat.get("max_periods", 1),
            order=c_order,
        )
        rules_rows, checklist_rows = [], []
        for m_order, mat in enumerate(cat["materials"]):
            spec = specs.get(mat.get("video_spec", ""), {})
            material = MaterialRequirement.objects.create(
                category=category,
                code=mat["code"],
                name=mat["name"],
                kind=mat["kind"],
                required=mat.get("required", True),
                required_from_level=mat.get("required_from_level", ""),
                per_period=mat.get("per_period", False),
                accepts_link=mat.get("accepts_link", False),
                allowed_extensions=mat["extensions"],
                max_bytes=mat.get("max_bytes", campaign.max_upload_bytes),
                order=m_order,
            )
            # [rule, value, severity] or [rule, value, severity, floor]
            rules_rows += [
                VideoRule(
                    requirement=material,
                    rule=row[0],
                    value=row[1],
                    severity=row[2],
                    floor=row[3] if len(row) > 3 else "",
                )
                for row in spec.get("rules", [])
            ]
            rules_rows += _stage_rules(material, spec, stages)
            checklist_rows += [
                ChecklistItem(requirement=material, text=text) for text in spec.get("checklist", [])
            ]
        VideoRule.objects.bulk_create(rules_rows)
        ChecklistItem.objects.bulk_create(checklist_rows)
        criteria = [
            Criterion(category=category, group=group, name=name, points=points, order=i)
            for i, (group, name, points) in enumerate(cat["criteria"])
        ]
        criteria += [
            Criterion(
                category=category,
                group=CriterionGroup.VETO,
                name=name,
                points=0,
                is_veto=True,
                order=len(criteria) + i,
            )
            for i, name in enumerate(vetoes)
        ]
        Criterion.objects.bulk_create(criteria)


def _create_levels(campaign: Campaign, data: dict) -> dict[str, Level]:
    """Levels at or below the owner unit's kind; publicity belongs to the owner itself."""
    owner_rank = KIND_ORDER.index(campaign.owner_unit.kind)
    levels: dict[str, Level] = {}
    for spec in data["levels"]:
        kind = spec["unit_kind"]
        if spec["key"] == LevelKey.PUBLICITY:
            kind = campaign.owner_unit.kind
        elif KIND_ORDER.index(kind) < owner_rank:
            continue
        levels[spec["key"]] = Level.objects.create(
            campaign=campaign,
            order=len(levels) + 1,
            key=spec["key"],
            name=spec["name"],
            unit_kind=kind,
            deadline=_at(campaign.year, spec["deadline"]),
            has_trial_lecture=spec.get("has_trial_lecture", False),
        )
    return levels


def window_nodes(spec: dict) -> list[CourseNode]:
    """Catalog nodes a window covers: stages by name, or their volumes by name prefix."""
    stages = list(CourseNode.objects.filter(level=NodeLevel.STAGE, name__in=spec["stages"]))
    prefixes = spec.get("volume_prefixes", [])
    if not prefixes or not stages:
        return stages
    under = Q()
    for stage in stages:
        under |= Q(path__under=stage.path)
    named = Q()
    for prefix in prefixes:
        named |= Q(name__startswith=prefix)
    return list(CourseNode.objects.filter(under, named, level=NodeLevel.VOLUME))


def _create_windows(campaign: Campaign, data: dict) -> None:
    for order, spec in enumerate(data.get("windows", [])):
        window = UploadWindow.objects.create(
            campaign=campaign,
            label=spec["label"],
            opens_on=_on(campaign.year, spec["opens_on"]),
            closes_on=_on(campaign.year, spec["closes_on"]),
            order=order,
        )
        window.nodes.set(window_nodes(spec))


@transaction.atomic
def create_campaign_from_template(
    actor: Actor, owner_unit, template_key: str, *, name: str, year: int
) -> Campaign:
    if not rules.can_create_campaign(actor.person, owner_unit):
        raise PermissionDenied("create campaign")
    data = load_template(template_key)
    name = (name or "").strip() or f"{year}年{data['name']}"
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度应为 2000 至 2100 之间的四位数字，请修改。")})
    node_rules = data["node_rules"]
    campaign = Campaign.objects.create(
        name=name[:100],
        template_key=template_key,
        year=year,
        owner_unit=owner_unit,
        opens_at=_at(year, data["opens"]),
        closes_at=_at(year, data["closes"]),
        max_upload_bytes=data["max_upload_bytes"],
        node_close_award_level=node_rules["award_level"],
        node_close_award_threshold=node_rules["threshold"],
        promote_unawarded_nodes=node_rules["promote_unawarded_nodes"],
        video_due=data.get("video_due", VideoDue.AT_SUBMISSION),
        filming_days=data.get("filming_days", 14),
        created_by=actor.person,
    )
    _create_categories(campaign, data)
    levels = _create_levels(campaign, data)
    _create_windows(campaign, data)
    AwardGrade.objects.bulk_create(
        AwardGrade(
            campaign=campaign,
            level=levels[spec["level"]],
            name=spec["name"],
            proportion=Decimal(spec["proportion"]) if spec.get("proportion") else None,
            count=spec.get("count"),
            order=i,
        )
        for i, spec in enumerate(data.get("award_grades", []))
        if spec["level"] in levels
    )
    TrainingHourRule.objects.bulk_create(
        TrainingHourRule(campaign=campaign, event=spec["event"], hours=spec["hours"])
        for spec in data.get("training_hours", [])
    )
    record(
        actor,
        AuditAction.CREATE,
        campaign,
        unit=owner_unit,
        after={"template_key": template_key, "name": campaign.name, "year": year},
    )
    return campaign
