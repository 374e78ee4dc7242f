"""Editing a campaign's settings (validated as a whole) and moving it between states."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns import rules
from youke.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState, VideoDue, VideoRuleKey
from youke.campaigns.models import Campaign, Criterion, Level, UploadWindow, VideoRule
from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied

GIB = 1024**3
RUBRIC_TOTAL = 100
# Rules that may carry a hard floor under their target (``media.processing.spec.FLOOR_RULES``).
FLOOR_RULES = {
    VideoRuleKey.MIN_WIDTH,
    VideoRuleKey.MIN_HEIGHT,
    VideoRuleKey.EXACT_WIDTH,
    VideoRuleKey.EXACT_HEIGHT,
    VideoRuleKey.MIN_VIDEO_BITRATE,
}
CAMPAIGN_FIELDS = (
    "name",
    "opens_at",
    "closes_at",
    "max_upload_bytes",
    "node_close_award_level",
    "node_close_award_threshold",
    "promote_unawarded_nodes",
    "blind_cut_seconds",
    "video_due",
    "filming_days",
)
BLIND_CUT_MAX_SECONDS = 60
NUMERIC_RULES = {
    VideoRuleKey.MIN_WIDTH,
    VideoRuleKey.MIN_HEIGHT,
    VideoRuleKey.EXACT_WIDTH,
    VideoRuleKey.EXACT_HEIGHT,
    VideoRuleKey.FRAME_RATE,
    VideoRuleKey.MIN_VIDEO_BITRATE,
    VideoRuleKey.MAX_VIDEO_BITRATE,
    VideoRuleKey.MIN_AUDIO_BITRATE,
    VideoRuleKey.MIN_DURATION_SECONDS,
    VideoRuleKey.MAX_DURATION_SECONDS,
}


def upload_hard_limit() -> int:
    """The platform-wide ceiling a campaign may not exceed (storage and proxy limits)."""
    return settings.UPLOAD_MAX_BYTES


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def check_settings(
    campaign: Campaign,
    levels: list[Level],
    windows: list[UploadWindow],
    criteria: list[Criterion],
    video_rules: list[VideoRule] = (),
) -> dict[str, list[str]]:
    """Every problem of a (possibly unsaved) configuration, keyed by form field name."""
    errors: dict[str, list[str]] = defaultdict(list)
    if not campaign.name.strip():
        errors["name"].append(_("活动名称不能为空，请填写。"))
    if campaign.closes_at <= campaign.opens_at:
        errors["closes_at"].append(_("结束时间必须晚于开始时间，请调整。"))
    limit = upload_hard_limit()
    if not 0 < campaign.max_upload_bytes <= limit:
        errors["max_upload_bytes"].append(
            _("单个文件上限应大于 0 且不超过平台上限 %(mb)s MB，请调整。")
            % {"mb": limit // 1024**2}
        )
    cut = campaign.blind_cut_seconds
    if cut is None or not 0 <= cut <= BLIND_CUT_MAX_SECONDS:
        errors["blind_cut_seconds"].append(
            _("匿名评审剪去的片头应在 0 到 %(max)s 秒之间，请调整。")
            % {"max": BLIND_CUT_MAX_SECONDS}
        )
    if campaign.video_due == VideoDue.AFTER_SCREENING:
        if not any(level.has_trial_lecture for level in levels):
            errors["video_due"].append(
                _(
                    "“初选通过后拍摄提交”需要一个含试讲的初选级别，本活动没有：请改为随作品一并提交。"
                )
            )
        if not 1 <= campaign.filming_days <= 90:
            errors["filming_days"].append(_("拍摄期限应为 1 到 90 天，请调整。"))
    previous = None
    for level in sorted(levels, key=lambda lv: lv.order):
        if previous is not None and level.deadline <= previous.deadline:
            errors[f"level_{level.pk}"].append(
                _(
                    "“%(name)s”的截止时间（%(at)s）必须晚于上一级“%(prev)s”的截止时间"
                    "（%(prev_at)s）。请按遴选顺序调整截止时间。"
                )
                % {
                    "name": level.name,
                    "at": _fmt(level.deadline),
                    "prev": previous.name,
                    "prev_at": _fmt(previous.deadline),
                }
            )
        if not campaign.opens_at < level.deadline <= campaign.closes_at:
            errors[f"level_{level.pk}"].append(
                _("“%(name)s”的截止时间必须在活动时间 %(start)s 至 %(end)s 之内，请调整。")
                % {
                    "name": level.name,
                    "start": _fmt(campaign.opens_at),
                    "end": _fmt(campaign.closes_at),
                }
            )
        previous = level
    first_day = timezone.localtime(campaign.opens_at).date()
    last_day = timezone.localtime(campaign.closes_at).date()
    for window in windows:
        if window.opens_on > window.closes_on:
            errors[f"window_{window.pk}_opens"].append(
                _("上传时间段“%(label)s”的开始日期晚于结束日期，请调整。") % {"label": window.label}
            )
        elif window.opens_on < first_day or window.closes_on > last_day:
            errors[f"window_{window.pk}_opens"].append(
                _(
                    "上传时间段“%(label)s”（%(start)s 至 %(end)s）必须在活动时间 %(first)s 至 "
                    "%(last)s 之内。请调整时间段或活动时间。"
                )
                % {
                    "label": window.label,
                    "start": window.opens_on,
                    "end": window.closes_on,
                    "first": first_day,
                    "last": last_day,
                }
            )
    totals: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for criterion in criteria:
        totals[criterion.category_id] += 0 if criterion.is_veto else criterion.points
        names[criterion.category_id] = criterion.category.name
    for category_id, total in totals.items():
        if total != RUBRIC_TOTAL:
            errors[NON_FIELD_ERRORS].append(
                _("类别“%(name)s”的评价指标合计 %(total)s 分，应为 %(want)s 分。请调整各项分值。")
                % {"name": names[category_id], "total": total, "want": RUBRIC_TOTAL}
            )
    for rule in video_rules:
        problem = _check_rule_value(rule)
        if problem:
            errors[f"rule_{rule.pk}"].append(problem)
    return dict(errors)


def _check_rule_value(rule: VideoRule) -> str:
    value = rule.value.strip()
    if rule.rule in NUMERIC_RULES and not re.fullmatch(r"\d+(\.\d+)?", value):
        return _("“%(rule)s”应填写正数，例如 25，请修改。") % {"rule": rule.get_rule_display()}
    if rule.rule == VideoRuleKey.ASPECT_RATIO and not re.fullmatch(r"\d+:\d+", value):
        return _("画面比例应写成“宽:高”，例如 16:9，请修改。")
    if not value:
        return _("“%(rule)s”不能为空，请填写。") % {"rule": rule.get_rule_display()}
    floor = rule.floor.strip()
    if floor:
        if rule.rule not in FLOOR_RULES:
            return _("“%(rule)s”不能设置最低要求，只有分辨率和视频码率可以：请清空最低要求。") % {
                "rule": rule.get_rule_display()
            }
        if not re.fullmatch(r"\d+(\.\d+)?", floor):
            return _("“%(rule)s”的最低要求应填写正数，例如 1280，请修改。") % {
                "rule": rule.get_rule_display()
            }
        if float(floor) > float(value):
            return _("“%(rule)s”的最低要求 %(floor)s 高于要求值 %(value)s：请调低最低要求。") % {
                "rule": rule.get_rule_display(),
                "floor": floor,
                "value": value,
            }
    return ""


def _load(campaign: Campaign):
    levels = list(Level.objects.filter(campaign=campaign))
    windows = list(UploadWindow.objects.filter(campaign=campaign))
    criteria = list(
        Criterion.objects.filter(category__campaign=campaign).select_related("category")
    )
    video_rules = list(
        VideoRule.objects.filter(requirement__category__campaign=campaign).select_related(
            "requirement__category", "stage"
        )
    )
    return levels, windows, criteria, video_rules


def validate_campaign(campaign: Campaign) -> None:
    from youke.campaigns.domain.settings import check_structure  # imports this module

    errors = check_settings(campaign, *_load(campaign))
    for key, messages in check_structure(campaign).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _changes(rows, values: dict, attrs: tuple[str, ...]) -> list:
    """Apply {pk: value or tuple} to rows in memory; return the rows that changed."""
    changed = []
    for row in rows:
        if row.pk not in values:
            continue
        new = values[row.pk] if isinstance(values[row.pk], tuple) else (values[row.pk],)
        if tuple(getattr(row, a) for a in attrs) != new:
            for attr, value in zip(attrs, new, strict=True):
                setattr(row, attr, value)
            changed.append(row)
    return changed


@transaction.atomic
def update_campaign(
    actor: Actor,
    campaign: Campaign,
    *,
    fields: dict | None = None,
    level_deadlines: dict[int, datetime.datetime] | None = None,
    windows: dict[int, tuple[datetime.date, datetime.date]] | None = None,
    criterion_points: dict[int, int] | None = None,
    video_rules: dict[int, tuple[str, str, str]] | None = None,
) -> Campaign:
    """Change settings and child rows together; nothing is saved unless everything is valid."""
    if not rules.can_manage_campaign(actor.person, campaign):
        raise PermissionDenied("campaign")
    campaign = Campaign.objects.select_for_update().select_related("owner_unit").get(pk=campaign.pk)
    if campaign.state == CampaignState.CLOSED:
        raise ValidationError(_("活动已结束，不能修改设置。如需修改，请先重新开放活动。"))
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name, value in (fields or {}).items():
        if name not in CAMPAIGN_FIELDS:
            raise ValueError(name)
        setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    levels, window_rows, criteria, rule_rows = _load(campaign)
    changed = {
        "levels": _changes(levels, level_deadlines or {}, ("deadline",)),
        "windows": _changes(window_rows, windows or {}, ("opens_on", "closes_on")),
        "criteria": _changes(criteria, criterion_points or {}, ("points",)),
        "rules": _changes(rule_rows, video_rules or {}, ("value", "severity", "floor")),
    }
    errors = check_settings(campaign, levels, window_rows, criteria, rule_rows)
    if errors:
        raise ValidationError(errors)
    campaign.save(update_fields=[*CAMPAIGN_FIELDS, "updated_at"])
    Level.objects.bulk_update(changed["levels"], ["deadline"])
    UploadWindow.objects.bulk_update(changed["windows"], ["opens_on", "closes_on"])
    Criterion.objects.bulk_update(changed["criteria"], ["points"])
    VideoRule.objects.bulk_update(changed["rules"], ["value", "severity", "floor"])
    after = snapshot(campaign, CAMPAIGN_FIELDS)
    after["changed"] = {key: [str(row) for row in rows] for key, rows in changed.items() if rows}
    record(
        actor, AuditAction.UPDATE, campaign, unit=campaign.owner_unit, before=before, after=after
    )
    return campaign


def set_campaign_state(
    campaign: Campaign, new_state: str, *, actor: Actor, reason: str = ""
) -> Campaign:
    """The only writer of ``Campaign.state``; publishing re-validates the whole setup."""
    if not rules.can_manage_campaign(actor.person, campaign):
        raise PermissionDenied("campaign")
    with transaction.atomic():
        locked = (
            Campaign.objects.select_for_update().select_related("owner_unit").get(pk=campaign.pk)
        )
        old = locked.state
        if new_state not in CAMPAIGN_TRANSITIONS[old]:
            raise ValidationError(
                _("活动当前为“%(old)s”，不能变为“%(new)s”。")
                % {"old": CampaignState(old).label, "new": CampaignState(new_state).label}
            )
        if new_state == CampaignState.PUBLISHED:
            validate_campaign(locked)
        locked.state = new_state
        locked.save(update_fields=["state", "updated_at"])
        campaign.state = new_state  # callers keep using their instance
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.owner_unit,
            before={"state": old},
            after={"state": new_state},
            reason=reason,
        )
    return locked
