"""Editing a campaign's structure row by row: categories, materials and their file rules,
rubrics, node rules, award grades and training hours.

Every change checks the manager, locks the campaign row (so two admins editing the same
rubric cannot both pass the total check), validates with a Chinese message that names the
field and the fix, and is written to the audit log. A published campaign must stay
publishable after every change; a draft may pass through incomplete states (a rubric being
rebuilt) and is checked as a whole when it is published.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from youke.campaigns import rules
from youke.campaigns.domain.campaigns import _check_rule_value, check_settings
from youke.campaigns.domain.templates import DATA_DIR, _create_categories, load_template
from youke.campaigns.enums import (
    AwardLevel,
    CampaignState,
    CriterionGroup,
    LevelKey,
    MaterialKind,
    Severity,
    TrainingEvent,
    VideoRuleKey,
)
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
    rules_for_stage,
)
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied

MB = 1024 * 1024
VIDEO_EXTENSIONS = ("mp4", "mov", "m4v")
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx")
KNOWN_EXTENSIONS = VIDEO_EXTENSIONS + DOCUMENT_EXTENSIONS
MAX_PERIODS = 3  # R1a: a lesson spans at most three periods
MAX_TRAINING_HOURS = 200
PRESETS_FILE = DATA_DIR / "category_presets.json"

CATEGORY_FIELDS = ("name", "description", "is_micro_lesson", "max_periods")
MATERIAL_FIELDS = (
    "name",
    "kind",
    "allowed_extensions",
    "max_bytes",
    "required",
    "required_from_level",
    "per_period",
    "accepts_link",
)
CRITERION_FIELDS = ("group", "name", "points", "is_veto")
NODE_RULE_FIELDS = (
    "node_close_award_level",
    "node_close_award_threshold",
    "promote_unawarded_nodes",
)
GRADE_FIELDS = ("level", "name", "proportion", "count")

# Rules that bound one measure from both sides: the lower bound may not exceed the upper one.
RULE_PAIRS = (
    (VideoRuleKey.MIN_VIDEO_BITRATE, VideoRuleKey.MAX_VIDEO_BITRATE),
    (VideoRuleKey.MIN_DURATION_SECONDS, VideoRuleKey.MAX_DURATION_SECONDS),
)


# --- shared plumbing -----------------------------------------------------------------------


def _lock(actor: Actor, campaign: Campaign) -> Campaign:
    """The campaign, locked for this transaction, after the permission and state checks."""
    if not rules.can_manage_campaign(actor.person, campaign):
        raise PermissionDenied("campaign")
    locked = Campaign.objects.select_for_update().select_related("owner_unit").get(pk=campaign.pk)
    if locked.state == CampaignState.CLOSED:
        raise ValidationError(_("活动已结束，不能修改设置。如需修改，请先重新开放活动。"))
    return locked


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def check_structure(campaign: Campaign) -> dict[str, list[str]]:
    """What a campaign needs beyond ``check_settings`` before teachers can use it: at least
    one category, and in each category a material and a rubric worth points."""
    errors: dict[str, list[str]] = defaultdict(list)
    categories = list(
        Category.objects.filter(campaign=campaign).annotate(
            material_count=models.Count("materials", distinct=True),
            scored_count=models.Count(
                "criteria", filter=models.Q(criteria__is_veto=False), distinct=True
            ),
        )
    )
    if not categories:
        errors[NON_FIELD_ERRORS].append(_("活动还没有类别，请至少添加一个类别。"))
    for category in categories:
        if not category.material_count:
            errors[NON_FIELD_ERRORS].append(
                _("类别“%(name)s”还没有材料，请至少添加一项材料。") % {"name": category.name}
            )
        if not category.scored_count:
            errors[NON_FIELD_ERRORS].append(
                _("类别“%(name)s”还没有计分的评价指标，请添加指标使合计为 100 分。")
                % {"name": category.name}
            )
    return dict(errors)


def publish_errors(campaign: Campaign) -> dict[str, list[str]]:
    """Everything that would stop ``campaign`` from being published, as saved now."""
    errors = check_settings(
        campaign,
        list(Level.objects.filter(campaign=campaign)),
        list(UploadWindow.objects.filter(campaign=campaign)),
        list(Criterion.objects.filter(category__campaign=campaign).select_related("category")),
        list(VideoRule.objects.filter(requirement__category__campaign=campaign)),
    )
    for key, messages in check_structure(campaign).items():
        errors.setdefault(key, []).extend(messages)
    return errors


def _finish(
    actor: Actor,
    campaign: Campaign,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Keep a published campaign publishable, then log the change."""
    _check_still_publishable(campaign)
    record(actor, action, obj, unit=campaign.owner_unit, before=before, after=after)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _name_error(value: str, label: str, max_length: int) -> str:
    if not value:
        return _("请填写“%(label)s”。") % {"label": label}
    if len(value) > max_length:
        return _("“%(label)s”最多 %(n)s 个字，请缩短。") % {"label": label, "n": max_length}
    return ""


def _next_code(existing: set[str], prefix: str) -> str:
    """Codes are internal ASCII keys; admins name things, the platform numbers them."""
    n = len(existing) + 1
    while f"{prefix}_{n}" in existing:
        n += 1
    return f"{prefix}_{n}"


def _next_order(queryset) -> int:
    top = queryset.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


# --- categories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    description: str
    data: dict


@cache
def _presets_data() -> dict:
    return json.loads(PRESETS_FILE.read_text(encoding="utf-8"))


def category_presets() -> list[Preset]:
    """The shipped library of categories an admin can add without code (人工智能教育, 阅读…)."""
    return [
        Preset(key=p["code"], name=p["name"], description=p.get("description", ""), data=p)
        for p in _presets_data()["categories"]
    ]


def _check_category(
    campaign: Campaign, category: Category, *, exclude_pk: int | None = None
) -> dict:
    errors: dict[str, list[str]] = defaultdict(list)
    problem = _name_error(category.name, _("类别名称"), 64)
    if problem:
        errors["name"].append(problem)
    elif (
        Category.objects.filter(campaign=campaign, name=category.name).exclude(pk=exclude_pk)
    ).exists():
        errors["name"].append(
            _("本活动已有名为“%(name)s”的类别，请换一个名称。") % {"name": category.name}
        )
    if not 1 <= category.max_periods <= MAX_PERIODS:
        errors["max_periods"].append(
            _("“最多课时数”应为 1 至 %(n)s 之间的整数，请修改。") % {"n": MAX_PERIODS}
        )
    return errors


@transaction.atomic
def add_category_from_preset(actor: Actor, campaign: Campaign, preset_key: str) -> Category:
    """Copy a preset category (materials, video rules, checklist, rubric) into a campaign.

    Video specs and veto items come from the campaign's own template where it has them, so
    an added category checks videos the same way as the rest of the campaign.
    """
    campaign = _lock(actor, campaign)
    preset = next((p for p in category_presets() if p.key == preset_key), None)
    if preset is None:
        raise ValidationError({"preset": _("没有这个类别模板，请从列表中选择。")})
    if Category.objects.filter(campaign=campaign, code=preset.key).exists() or (
        Category.objects.filter(campaign=campaign, name=preset.name).exists()
    ):
        raise ValidationError(
            {
                "preset": _(
                    "本活动已有“%(name)s”类别，不能重复添加；如需修改，请打开该类别的设置。"
                )
                % {"name": preset.name}
            }
        )
    library, template = _presets_data(), load_template(campaign.template_key)
    order = _next_order(Category.objects.filter(campaign=campaign))
    _create_categories(
        campaign,
        {
            "categories": [preset.data],
            "video_specs": {**library.get("video_specs", {}), **template.get("video_specs", {})},
            "veto_criteria": template.get("veto_criteria") or library.get("veto_criteria", []),
        },
    )
    category = Category.objects.get(campaign=campaign, code=preset.key)
    category.order = order
    category.save(update_fields=["order"])
    after = snapshot(category, CATEGORY_FIELDS)
    after.update(
        preset=preset.key,
        materials=list(category.materials.values_list("name", flat=True)),
        criteria=list(category.criteria.values_list("name", flat=True)),
    )
    _finish(actor, campaign, AuditAction.CREATE, category, after=after)
    return category


@transaction.atomic
def add_category(
    actor: Actor,
    campaign: Campaign,
    *,
    name: str,
    description: str = "",
    is_micro_lesson: bool = True,
    max_periods: int = 1,
) -> Category:
    """An empty category; materials and a rubric are added afterwards (a draft only, since
    a published campaign may not hold a category teachers cannot use)."""
    campaign = _lock(actor, campaign)
    category = Category(
        campaign=campaign,
        name=_text(name),
        description=_text(description),
        is_micro_lesson=is_micro_lesson,
        max_periods=max_periods,
    )
    _raise(_check_category(campaign, category))
    existing = set(Category.objects.filter(campaign=campaign).values_list("code", flat=True))
    category.code = _next_code(existing, "category")
    category.order = _next_order(Category.objects.filter(campaign=campaign))
    category.save()
    _finish(
        actor, campaign, AuditAction.CREATE, category, after=snapshot(category, CATEGORY_FIELDS)
    )
    return category


@transaction.atomic
def update_category(actor: Actor, category: Category, **fields) -> Category:
    campaign = _lock(actor, category.campaign)
    category = Category.objects.select_for_update().get(pk=category.pk)
    before = snapshot(category, CATEGORY_FIELDS)
    for name, value in fields.items():
        if name not in CATEGORY_FIELDS:
            raise ValueError(name)
        setattr(category, name, _text(value) if isinstance(value, str) else value)
    errors = _check_category(campaign, category, exclude_pk=category.pk)
    longest = category.submissions.aggregate(top=Max("periods"))["top"] or 0
    if "max_periods" not in errors and longest > category.max_periods:
        errors["max_periods"].append(
            _("已有申报包含 %(n)s 个课时，“最多课时数”不能少于 %(n)s，请修改。") % {"n": longest}
        )
    _raise(errors)
    category.save(update_fields=list(CATEGORY_FIELDS))
    after = snapshot(category, CATEGORY_FIELDS)
    if after != before:
        _finish(actor, campaign, AuditAction.UPDATE, category, before=before, after=after)
    return category


@transaction.atomic
def remove_category(actor: Actor, category: Category) -> None:
    campaign = _lock(actor, category.campaign)
    count = category.submissions.count()
    refusal = ValidationError(
        _(
            "类别“%(name)s”已有 %(n)s 份申报，不能删除。如本类别不再征集，请保留它，"
            "把其中的材料改为选交，并在类别说明中注明。"
        )
        % {"name": category.name, "n": count}
    )
    if count:
        raise refusal
    before = snapshot(category, CATEGORY_FIELDS)
    before["code"] = category.code
    # Log against the row while it still has its pk; a refusal below rolls the log back too.
    _finish_removal(actor, campaign, category, before)
    try:
        # Through the queryset, so a refusal below leaves the caller's instance usable.
        Category.objects.filter(pk=category.pk).delete()
    except ProtectedError as exc:  # a submission arrived after the count
        raise refusal from exc
    _check_still_publishable(campaign)


def _finish_removal(actor: Actor, campaign: Campaign, obj: models.Model, before: dict) -> None:
    record(actor, AuditAction.DELETE, obj, unit=campaign.owner_unit, before=before)


def _check_still_publishable(campaign: Campaign) -> None:
    """Refuse a change that leaves a published campaign unpublishable (rolls back)."""
    if campaign.state == CampaignState.PUBLISHED:
        errors = publish_errors(campaign)
        if errors:
            # The messages describe the campaign after the change; say why it is refused.
            messages = [m for ms in errors.values() for m in ms]
            raise ValidationError(
                [_("活动已发布，修改后的设置必须完整有效，本次修改未保存。"), *messages]
            )


# --- materials -----------------------------------------------------------------------------


def parse_extensions(value: str) -> list[str]:
    """'MP4, .mov、pdf' -> ['mp4', 'mov', 'pdf'] (order kept, duplicates dropped)."""
    seen: list[str] = []
    for part in re.split(r"[\s,，、;；]+", value or ""):
        part = part.strip().lstrip(".").lower()
        if part and part not in seen:
            seen.append(part)
    return seen


def material_size_limit(campaign: Campaign) -> int:
    return min(campaign.max_upload_bytes, settings.UPLOAD_MAX_BYTES)


def _check_material(campaign: Campaign, material: MaterialRequirement, extensions: list[str]):
    errors: dict[str, list[str]] = defaultdict(list)
    problem = _name_error(material.name, _("材料名称"), 64)
    if problem:
        errors["name"].append(problem)
    elif (
        MaterialRequirement.objects.filter(category=material.category_id, name=material.name)
        .exclude(pk=material.pk)
        .exists()
    ):
        errors["name"].append(
            _("本类别已有名为“%(name)s”的材料，请换一个名称。") % {"name": material.name}
        )
    if material.kind not in MaterialKind.values:
        errors["kind"].append(_("请选择材料类型（视频或文档）。"))
    allowed = VIDEO_EXTENSIONS if material.kind == MaterialKind.VIDEO else DOCUMENT_EXTENSIONS
    unknown = [e for e in extensions if e not in KNOWN_EXTENSIONS]
    wrong_kind = [e for e in extensions if e in KNOWN_EXTENSIONS and e not in allowed]
    if not extensions:
        errors["allowed_extensions"].append(
            _("请填写“允许的文件类型”，例如 %(example)s。") % {"example": ",".join(allowed)}
        )
    elif unknown:
        errors["allowed_extensions"].append(
            _("“允许的文件类型”中的 %(bad)s 不受支持，只能从 %(known)s 中选择，请修改。")
            % {"bad": "、".join(unknown), "known": ",".join(KNOWN_EXTENSIONS)}
        )
    elif wrong_kind and material.kind in MaterialKind.values:
        errors["allowed_extensions"].append(
            _("%(kind)s材料只能使用 %(allowed)s 类型，%(bad)s 不行，请修改。")
            % {
                "kind": MaterialKind(material.kind).label,
                "allowed": ",".join(allowed),
                "bad": "、".join(wrong_kind),
            }
        )
    limit = material_size_limit(campaign)
    if not 0 < material.max_bytes <= limit:
        errors["max_bytes"].append(
            _(
                "“大小上限”应为 1 至 %(limit)s MB（不超过本活动单个文件上限 %(campaign)s MB "
                "和平台上限 %(platform)s MB），请修改。"
            )
            % {
                "limit": limit // MB,
                "campaign": campaign.max_upload_bytes // MB,
                "platform": settings.UPLOAD_MAX_BYTES // MB,
            }
        )
    level = material.required_from_level
    if level:
        if material.required:
            errors["required_from_level"].append(
                _("必交材料不需要“自该级别起必交”。请取消“必交”，或把此项留空。")
            )
        elif (
            level not in LevelKey.values
            or not Level.objects.filter(campaign=campaign, key=level).exists()
        ):
            errors["required_from_level"].append(
                _("本活动没有这一级别，请从列表中选择“自该级别起必交”的级别。")
            )
    if material.accepts_link and material.kind == MaterialKind.VIDEO:
        # A linked video escapes the spec check, the rendition and the blind cut.
        errors["accepts_link"].append(
            _("视频材料须上传文件以便检查规格，不能以链接提交。请取消“可提交资源链接”。")
        )
    if material.per_period and material.category.max_periods < 2:
        errors["per_period"].append(
            _("类别“%(name)s”每件作品只有 1 个课时，不需要“每课时一份”。请取消该项或增加课时数。")
            % {"name": material.category.name}
        )
    return errors


def _apply_material(material: MaterialRequirement, fields: dict) -> list[str]:
    extensions = None
    for name, value in fields.items():
        if name not in MATERIAL_FIELDS:
            raise ValueError(name)
        if name == "allowed_extensions":
            extensions = parse_extensions(value)
            value = ",".join(extensions)
        elif isinstance(value, str):
            value = value.strip()
        setattr(material, name, value)
    return extensions if extensions is not None else material.extensions


@transaction.atomic
def add_material(actor: Actor, category: Category, **fields) -> MaterialRequirement:
    campaign = _lock(actor, category.campaign)
    material = MaterialRequirement(category=category, required=True, max_bytes=0)
    extensions = _apply_material(material, fields)
    _raise(_check_material(campaign, material, extensions))
    existing = set(category.materials.values_list("code", flat=True))
    material.code = _next_code(existing, "material")
    material.order = _next_order(category.materials.all())
    material.save()
    after = snapshot(material, MATERIAL_FIELDS)
    after["category"] = category.name
    _finish(actor, campaign, AuditAction.CREATE, material, after=after)
    return material


@transaction.atomic
def update_material(actor: Actor, material: MaterialRequirement, **fields):
    """Change a material's name and file rules; its kind is fixed once created (files of
    the old kind may already be attached and checked)."""
    campaign = _lock(actor, material.category.campaign)
    material = (
        MaterialRequirement.objects.select_for_update()
        .select_related("category")
        .get(pk=material.pk)
    )
    if "kind" in fields and fields["kind"] != material.kind:
        raise ValueError("kind")
    before = snapshot(material, MATERIAL_FIELDS)
    extensions = _apply_material(material, fields)
    _raise(_check_material(campaign, material, extensions))
    material.save(update_fields=list(MATERIAL_FIELDS))
    after = snapshot(material, MATERIAL_FIELDS)
    if after != before:
        _finish(actor, campaign, AuditAction.UPDATE, material, before=before, after=after)
    return material


@transaction.atomic
def remove_material(actor: Actor, material: MaterialRequirement) -> None:
    campaign = _lock(actor, material.category.campaign)
    count = material.materials.count() + material.links.count()
    refusal = ValidationError(
        _("“%(name)s”已有 %(n)s 份教师上传的文件，不能删除。如不再需要，可以取消“必交”改为选交。")
        % {"name": material.name, "n": count}
    )
    if count:
        raise refusal
    before = snapshot(material, MATERIAL_FIELDS)
    before.update(
        category=material.category.name,
        video_rules=[str(r) for r in material.video_rules.all()],
        checklist=list(material.checklist.values_list("text", flat=True)),
    )
    _finish_removal(actor, campaign, material, before)
    try:
        # Through the queryset, so a refusal below leaves the caller's instance usable.
        MaterialRequirement.objects.filter(pk=material.pk).delete()
    except ProtectedError as exc:
        raise refusal from exc
    _check_still_publishable(campaign)


# --- video rules and checklist -------------------------------------------------------------


def _check_rule(material: MaterialRequirement, rule: VideoRule) -> dict:
    errors: dict[str, list[str]] = defaultdict(list)
    if material.kind != MaterialKind.VIDEO:
        errors["rule"].append(
            _("“%(name)s”是文档材料，不能设置视频规则。") % {"name": material.name}
        )
        return errors
    if rule.rule not in VideoRuleKey.values:
        errors["rule"].append(_("请从列表中选择视频规则。"))
        return errors
    if rule.severity not in Severity.values:
        errors["severity"].append(_("请选择不符合时“不通过”还是“警告”。"))
    problem = _check_rule_value(rule)
    if problem:
        errors["value"].append(problem)
        return errors
    others = list(material.video_rules.exclude(pk=rule.pk).select_related("stage"))
    # The candidate can change the range of its own stage, or (without a stage) of every
    # stage that does not set both bounds itself: check each range it takes part in.
    stages = {rule.stage_id: rule.stage} if rule.stage_id else {None: None}
    if not rule.stage_id:
        stages.update({r.stage_id: r.stage for r in others if r.stage_id})
    for stage_id, stage in stages.items():
        effective = rules_for_stage([*others, rule], stage_id)
        values = {r.rule: r.value.strip() for r in effective}
        for low, high in RULE_PAIRS:
            if rule.rule not in (low, high) or low not in values or high not in values:
                continue
            try:
                wrong = Decimal(values[low]) >= Decimal(values[high])
            except ArithmeticError:
                continue  # a malformed sibling is reported when that rule is edited
            if wrong:
                message = _("“%(low)s”（%(lv)s）应小于“%(high)s”（%(hv)s），请修改。") % {
                    "low": VideoRuleKey(low).label,
                    "lv": values[low],
                    "high": VideoRuleKey(high).label,
                    "hv": values[high],
                }
                if stage is not None:
                    message = _("%(stage)s：%(message)s") % {
                        "stage": stage.name,
                        "message": message,
                    }
                errors["value"].append(message)
    return errors


@transaction.atomic
def add_video_rule(
    actor: Actor,
    material: MaterialRequirement,
    *,
    rule: str,
    value: str,
    severity: str,
    stage: CourseNode | None = None,
) -> VideoRule:
    """Add a rule for all stages, or (``stage``, a 学段 root) for packages under one stage."""
    campaign = _lock(actor, material.category.campaign)
    if stage is not None and (stage.level != NodeLevel.STAGE or not stage.is_root()):
        _raise({"stage": [_("适用学段应是课程目录中的学段（如小学、初中），请从列表中选择。")]})
    row = VideoRule(
        requirement=material, rule=rule, value=_text(value), severity=severity, stage=stage
    )
    errors = _check_rule(material, row)
    if not errors and material.video_rules.filter(rule=rule, stage=stage).exists():
        if stage is None:
            message = _("“%(name)s”已有“%(rule)s”规则，请直接修改该规则的要求值。")
        else:
            message = _("“%(name)s”已有%(stage)s的“%(rule)s”规则，请直接修改该规则的要求值。")
        errors["rule"].append(
            message
            % {
                "name": material.name,
                "rule": VideoRuleKey(rule).label,
                "stage": stage.name if stage else "",
            }
        )
    _raise(errors)
    row.save()
    after = {"material": material.name, "rule": rule, "value": row.value, "severity": severity}
    if stage is not None:
        after["stage"] = stage.name
    _finish(actor, campaign, AuditAction.CREATE, row, after=after)
    return row


@transaction.atomic
def update_video_rule(actor: Actor, rule: VideoRule, *, value: str, severity: str) -> VideoRule:
    material = rule.requirement
    campaign = _lock(actor, material.category.campaign)
    rule = VideoRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, ("value", "severity"))
    rule.value, rule.severity = _text(value), severity
    _raise(_check_rule(material, rule))
    rule.save(update_fields=["value", "severity"])
    after = snapshot(rule, ("value", "severity"))
    if after != before:
        _finish(actor, campaign, AuditAction.UPDATE, rule, before=before, after=after)
    return rule


@transaction.atomic
def remove_video_rule(actor: Actor, rule: VideoRule) -> None:
    campaign = _lock(actor, rule.requirement.category.campaign)
    before = {"material": rule.requirement.name, **snapshot(rule, ("rule", "value", "severity"))}
    if rule.stage_id:
        before["stage"] = rule.stage.name
    _finish_removal(actor, campaign, rule, before)
    rule.delete()


@transaction.atomic
def add_checklist_item(actor: Actor, material: MaterialRequirement, text: str) -> ChecklistItem:
    campaign = _lock(actor, material.category.campaign)
    text = _text(text)
    problem = _name_error(text, _("检查项"), 200)
    if not problem and material.checklist.filter(text=text).exists():
        problem = _("“%(name)s”已有这一检查项，不需要重复添加。") % {"name": material.name}
    if problem:
        raise ValidationError({"text": [problem]})
    item = ChecklistItem.objects.create(requirement=material, text=text)
    _finish(
        actor, campaign, AuditAction.CREATE, item, after={"material": material.name, "text": text}
    )
    return item


@transaction.atomic
def remove_checklist_item(actor: Actor, item: ChecklistItem) -> None:
    campaign = _lock(actor, item.requirement.category.campaign)
    _finish_removal(actor, campaign, item, {"material": item.requirement.name, "text": item.text})
    item.delete()


# --- rubric --------------------------------------------------------------------------------


def _check_criterion(criterion: Criterion, prefix: str) -> dict:
    errors: dict[str, list[str]] = defaultdict(list)
    problem = _name_error(criterion.name, _("评价指标"), 100)
    if problem:
        errors[f"{prefix}name"].append(problem)
    if criterion.group not in CriterionGroup.values:
        errors[f"{prefix}group"].append(_("请选择一级指标。"))
    if not 0 <= criterion.points <= 100:
        errors[f"{prefix}points"].append(
            _("“%(name)s”的分值应为 0 至 100 之间的整数，请修改。") % {"name": criterion.name}
        )
    if criterion.is_veto and criterion.points:
        errors[f"{prefix}points"].append(
            _("“%(name)s”是一票否决项，不计分。请把分值改为 0，或取消“一票否决”。")
            % {"name": criterion.name}
        )
    if criterion.group == CriterionGroup.VETO and not criterion.is_veto:
        errors[f"{prefix}is_veto"].append(
            _("“%(name)s”的一级指标是“一票否决”，请勾选“一票否决”或改选其他一级指标。")
            % {"name": criterion.name}
        )
    return errors


def rubric_total(criteria) -> int:
    return sum(0 if c.is_veto else c.points for c in criteria)


@transaction.atomic
def update_rubric(
    actor: Actor,
    category: Category,
    *,
    changes: dict[int, dict] | None = None,
    added: list[dict] = (),
    removed: list[int] = (),
) -> list[Criterion]:
    """Edit, add and remove a category's criteria in one step, so points can be moved from
    one criterion to another without passing through a total other than 100.

    Errors are keyed ``criterion_<pk>_<field>`` for existing rows and ``new_<i>_<field>``
    for added ones. A draft may be saved with any total; publishing checks it.
    """
    campaign = _lock(actor, category.campaign)
    rows = {c.pk: c for c in Criterion.objects.filter(category=category).select_related("category")}
    before = {c.name: snapshot(c, CRITERION_FIELDS) for c in rows.values()}
    errors: dict[str, list[str]] = defaultdict(list)
    changed: list[Criterion] = []
    for pk, fields in (changes or {}).items():
        criterion = rows.get(pk)
        if criterion is None or pk in removed:
            continue
        old = snapshot(criterion, CRITERION_FIELDS)
        for name, value in fields.items():
            if name not in CRITERION_FIELDS:
                raise ValueError(name)
            setattr(criterion, name, _text(value) if isinstance(value, str) else value)
        for key, messages in _check_criterion(criterion, f"criterion_{pk}_").items():
            errors[key].extend(messages)
        if snapshot(criterion, CRITERION_FIELDS) != old:
            changed.append(criterion)
    order = _next_order(Criterion.objects.filter(category=category))
    new_rows = []
    for i, fields in enumerate(added):
        criterion = Criterion(category=category, order=order + i)
        for name, value in fields.items():
            if name not in CRITERION_FIELDS:
                raise ValueError(name)
            setattr(criterion, name, _text(value) if isinstance(value, str) else value)
        for key, messages in _check_criterion(criterion, f"new_{i}_").items():
            errors[key].extend(messages)
        new_rows.append(criterion)
    gone = [rows[pk] for pk in removed if pk in rows]
    kept = [c for pk, c in rows.items() if pk not in removed] + new_rows
    seen: set[str] = set()
    for criterion in kept:
        if criterion.name and criterion.name in seen:
            errors[NON_FIELD_ERRORS].append(
                _("评价指标“%(name)s”重复，请修改其中一项的名称。") % {"name": criterion.name}
            )
        seen.add(criterion.name)
    _raise(errors)
    Criterion.objects.bulk_update(changed, list(CRITERION_FIELDS))
    Criterion.objects.filter(pk__in=[c.pk for c in gone]).delete()
    Criterion.objects.bulk_create(new_rows)
    if changed or gone or new_rows:
        after = {c.name: snapshot(c, CRITERION_FIELDS) for c in kept}
        after["total"] = rubric_total(kept)
        _finish(
            actor,
            campaign,
            AuditAction.UPDATE,
            category,
            before={"criteria": before},
            after={"criteria": after},
        )
    return list(Criterion.objects.filter(category=category))


# --- node rules, award grades, training hours ----------------------------------------------


@transaction.atomic
def update_node_rules(
    actor: Actor,
    campaign: Campaign,
    *,
    award_level: str,
    threshold: int,
    promote_unawarded: bool,
) -> Campaign:
    campaign = _lock(actor, campaign)
    errors: dict[str, list[str]] = defaultdict(list)
    if award_level and award_level not in AwardLevel.values:
        errors["node_close_award_level"].append(_("请从列表中选择关闭节点的获奖级别。"))
    if not 1 <= threshold <= 999:
        errors["node_close_award_threshold"].append(
            _("“关闭节点的获奖数量”应为 1 至 999 之间的整数；“超过 5 堂即关闭”请填 6。")
        )
    _raise(errors)
    before = snapshot(campaign, NODE_RULE_FIELDS)
    campaign.node_close_award_level = award_level
    campaign.node_close_award_threshold = threshold
    campaign.promote_unawarded_nodes = promote_unawarded
    campaign.save(update_fields=[*NODE_RULE_FIELDS, "updated_at"])
    after = snapshot(campaign, NODE_RULE_FIELDS)
    if after != before:
        _finish(actor, campaign, AuditAction.UPDATE, campaign, before=before, after=after)
    return campaign


def _check_grade(campaign: Campaign, grade: AwardGrade) -> dict:
    errors: dict[str, list[str]] = defaultdict(list)
    if grade.level_id is None or grade.level.campaign_id != campaign.pk:
        errors["level"].append(_("请从列表中选择奖项所属的级别。"))
        return errors
    problem = _name_error(grade.name, _("奖项"), 32)
    if problem:
        errors["name"].append(problem)
    elif (
        AwardGrade.objects.filter(level=grade.level, name=grade.name).exclude(pk=grade.pk)
    ).exists():
        errors["name"].append(
            _("“%(level)s”已有奖项“%(name)s”，请换一个名称。")
            % {"level": grade.level.name, "name": grade.name}
        )
    if grade.proportion is not None and grade.count is not None:
        errors["proportion"].append(_("“比例”和“名额”只能填一项，请清空其中一项。"))
    if grade.proportion is not None:
        if not Decimal("0") < grade.proportion <= Decimal("1"):
            errors["proportion"].append(_("“比例”应大于 0% 且不超过 100%，请修改。"))
        else:
            others = AwardGrade.objects.filter(level=grade.level, proportion__isnull=False)
            total = grade.proportion + sum(
                (g.proportion for g in others.exclude(pk=grade.pk)), Decimal("0")
            )
            if total > 1:
                errors["proportion"].append(
                    _("“%(level)s”各奖项比例合计 %(total)s%%，超过 100%%。请调低比例。")
                    % {"level": grade.level.name, "total": percent(total)}
                )
    if grade.count is not None and grade.count < 1:
        errors["count"].append(_("“名额”应为正整数，请修改；不限名额请留空。"))
    return errors


def percent(fraction: Decimal) -> str:
    """0.125 -> '12.5', 0.100 -> '10' (how admins write proportions)."""
    text = f"{fraction * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _apply_grade(grade: AwardGrade, fields: dict) -> None:
    for name, value in fields.items():
        if name not in GRADE_FIELDS:
            raise ValueError(name)
        setattr(grade, name, _text(value) if isinstance(value, str) else value)
    if grade.proportion is not None:
        grade.proportion = Decimal(grade.proportion)


def _grade_log(grade: AwardGrade) -> dict:
    return {
        "level": grade.level.name,
        "name": grade.name,
        "proportion": None if grade.proportion is None else str(grade.proportion),
        "count": grade.count,
    }


@transaction.atomic
def add_award_grade(actor: Actor, campaign: Campaign, **fields) -> AwardGrade:
    """``proportion`` is a fraction (0.1 for 10%); leave both it and ``count`` empty when a
    higher authority decides the number."""
    campaign = _lock(actor, campaign)
    grade = AwardGrade(campaign=campaign)
    _apply_grade(grade, fields)
    _raise(_check_grade(campaign, grade))
    grade.order = _next_order(AwardGrade.objects.filter(level=grade.level))
    grade.save()
    _finish(actor, campaign, AuditAction.CREATE, grade, after=_grade_log(grade))
    return grade


@transaction.atomic
def update_award_grade(actor: Actor, grade: AwardGrade, **fields) -> AwardGrade:
    campaign = _lock(actor, grade.campaign)
    grade = AwardGrade.objects.select_for_update().select_related("level").get(pk=grade.pk)
    before = _grade_log(grade)
    _apply_grade(grade, fields)
    _raise(_check_grade(campaign, grade))
    grade.save()
    after = _grade_log(grade)
    if after != before:
        _finish(actor, campaign, AuditAction.UPDATE, grade, before=before, after=after)
    return grade


@transaction.atomic
def remove_award_grade(actor: Actor, grade: AwardGrade) -> None:
    campaign = _lock(actor, grade.campaign)
    _finish_removal(actor, campaign, grade, _grade_log(grade))
    grade.delete()


@transaction.atomic
def set_training_hours(
    actor: Actor, campaign: Campaign, *, event: str, hours: int
) -> TrainingHourRule:
    """Add or change the hours credited for an event (one rule per event)."""
    campaign = _lock(actor, campaign)
    errors: dict[str, list[str]] = defaultdict(list)
    if event not in TrainingEvent.values:
        errors["event"].append(_("请从列表中选择学时事项。"))
    if not 1 <= hours <= MAX_TRAINING_HOURS:
        errors["hours"].append(
            _("“学时”应为 1 至 %(n)s 之间的整数，请修改；不计学时请删除该规则。")
            % {"n": MAX_TRAINING_HOURS}
        )
    _raise(errors)
    rule = TrainingHourRule.objects.filter(campaign=campaign, event=event).first()
    if rule is None:
        rule = TrainingHourRule.objects.create(campaign=campaign, event=event, hours=hours)
        _finish(actor, campaign, AuditAction.CREATE, rule, after={"event": event, "hours": hours})
    elif rule.hours != hours:
        before = {"event": event, "hours": rule.hours}
        rule.hours = hours
        rule.save(update_fields=["hours"])
        _finish(
            actor,
            campaign,
            AuditAction.UPDATE,
            rule,
            before=before,
            after={"event": event, "hours": hours},
        )
    return rule


@transaction.atomic
def remove_training_hours(actor: Actor, rule: TrainingHourRule) -> None:
    campaign = _lock(actor, rule.campaign)
    _finish_removal(actor, campaign, rule, {"event": rule.event, "hours": rule.hours})
    rule.delete()
