"""R5/R6/R7 and the screening gate as campaign-dependent checks.

The rules are functions of the campaign so later campaign settings can switch them without
touching the workflow code. Every check here must run after the unit's list row is locked
(``lists.lock_list``), so the counts cannot change underneath it (R18).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from youke.campaigns.enums import TemplateKey
from youke.campaigns.models import Campaign, Level, MaterialRequirement
from youke.selection.domain import filming, gates
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry, Quota, ScreeningRecord
from youke.submissions.enums import CheckState
from youke.submissions.models import Material, MaterialLink


def node_key_field(campaign: Campaign) -> str:
    """The submission field "one per node" groups by (R5).

    精品课: the course node. 一师一优课: grade × subject × edition × lesson, which is exactly the
    lesson node a package is filed under, so the node again.
    """
    return "node_id"


def one_per_teacher(campaign: Campaign) -> bool:
    """R6 applies to 一师一优课: at most one recommended lesson per teacher per campaign."""
    return campaign.template_key == TemplateKey.ONE_TEACHER_ONE_LESSON


def _recommended(entry: LevelEntry):
    return LevelEntry.objects.filter(level_id=entry.level_id, state=EntryState.RECOMMENDED).exclude(
        pk=entry.pk
    )


def quota_problems(entry: LevelEntry) -> list[str]:
    """A recommendation must fit every quota on the entry's unit: overall and its category."""
    problems = []
    quotas = Quota.objects.filter(level_id=entry.level_id, unit_id=entry.unit_id).filter(
        Q(category__isnull=True) | Q(category_id=entry.submission.category_id)
    )
    for quota in quotas.select_related("category"):
        used = _recommended(entry).filter(unit_id=entry.unit_id)
        if quota.category_id:
            used = used.filter(submission__category_id=quota.category_id)
        count = used.count()
        if count >= quota.allowed:
            problems.append(
                _(
                    "%(scope)s名额已用完：已推荐 %(used)s 件，名额 %(allowed)s 件。"
                    "请先取消其他推荐，或请上级单位调整名额。"
                )
                % {
                    "scope": quota.category.name if quota.category else _("本级"),
                    "used": count,
                    "allowed": quota.allowed,
                }
            )
    return problems


def rule_problems(entry: LevelEntry, campaign: Campaign) -> list[str]:
    """R5 and R6 conflicts with other recommended entries (overridable with a reason)."""
    problems = []
    key = node_key_field(campaign)
    same_node = (
        _recommended(entry)
        .filter(unit_id=entry.unit_id, **{f"submission__{key}": getattr(entry.submission, key)})
        .select_related("submission")
        .first()
    )
    if same_node is not None:
        problems.append(
            _(
                "同一课程节点已推荐《%(title)s》（每个节点原则上推荐一件）。"
                "请取消其中一件，或填写特批理由。"
            )
            % {"title": same_node.submission.title}
        )
    if one_per_teacher(campaign):
        same_teacher = (
            _recommended(entry)
            .filter(submission__teacher_id=entry.submission.teacher_id)
            .select_related("submission")
            .first()
        )
        if same_teacher is not None:
            problems.append(
                _(
                    "该教师已有《%(title)s》被推荐（每位教师限推荐一件）。请取消其中一件，或填写特批理由。"
                )
                % {"title": same_teacher.submission.title}
            )
    return problems


def screening_problems(entry: LevelEntry) -> list[str]:
    """At a level with trial lectures, only entries that passed screening may go up (R8)."""
    if not entry.level.has_trial_lecture:
        return []
    record = ScreeningRecord.objects.filter(entry=entry).first()
    if record is None:
        return [_("《%(title)s》还没有初选记录：请先登记技术审核和试讲结果。") % _title(entry)]
    if not record.passed:
        return [_("《%(title)s》技术审核或试讲未通过，不能推荐。") % _title(entry)]
    return []


def material_problems(campaign: Campaign, entries: list[LevelEntry]) -> list[str]:
    """A material required from a level on (一师一优课: the classroom recording from city level)
    must be in the package, checked and not failed, before an entry is sent into that level.

    Entries are recommended at their level and go to the next one; three queries for a list.
    """
    if not entries:
        return []
    levels = {lv.key: lv for lv in Level.objects.filter(campaign=campaign)}
    level = entries[0].level
    upper = min(
        (lv for lv in levels.values() if lv.order > level.order),
        key=lambda lv: lv.order,
        default=None,
    )
    if upper is None:
        return []
    needed = [
        r
        for r in MaterialRequirement.objects.filter(category__campaign=campaign).exclude(
            required_from_level=""
        )
        if r.required_from_level in levels and levels[r.required_from_level].order <= upper.order
    ]
    if not needed:
        return []
    have = set(
        Material.objects.filter(
            submission_id__in=[e.submission_id for e in entries],
            requirement__in=needed,
            check_state__in=(CheckState.PASSED, CheckState.WARNED),
        ).values_list("submission_id", "requirement_id", "period")
    )
    # A saved resource link counts as the material being given (seed 003).
    have |= set(
        MaterialLink.objects.filter(
            submission_id__in=[e.submission_id for e in entries], requirement__in=needed
        ).values_list("submission_id", "requirement_id", "period")
    )
    problems = []
    for entry in entries:
        submission = entry.submission
        for requirement in needed:
            if requirement.category_id != submission.category_id:
                continue
            periods = submission.periods if requirement.per_period else 1
            if all((submission.pk, requirement.pk, p) in have for p in range(1, periods + 1)):
                continue
            problems.append(
                _(
                    "《%(title)s》没有通过检查的%(material)s：报送“%(level)s”及以上须提交%(material)s。"
                    "请改为不推荐，或请教师补交后由学校重新报送。"
                )
                % {
                    "title": submission.title,
                    "material": requirement.name,
                    "level": levels[requirement.required_from_level].name,
                }
            )
    return problems


def _title(entry: LevelEntry) -> dict:
    return {"title": entry.submission.title}


def list_problems(campaign: Campaign, entries: list[LevelEntry], quotas: list[Quota]) -> list[str]:
    """Re-check a whole list of recommended entries before it is confirmed (R18)."""
    problems = []
    for quota in quotas:
        used = sum(
            1
            for e in entries
            if not quota.category_id or e.submission.category_id == quota.category_id
        )
        if used > quota.allowed:
            problems.append(
                _("超出名额：已推荐 %(used)s 件，名额 %(allowed)s 件。请取消 %(extra)s 件推荐。")
                % {"used": used, "allowed": quota.allowed, "extra": used - quota.allowed}
            )
    groups: list[tuple[str, dict]] = [
        (_("同一课程节点"), _group(entries, node_key_field(campaign)))
    ]
    if one_per_teacher(campaign):
        groups.append((_("同一教师"), _group(entries, "teacher_id")))
    for label, grouped in groups:
        for members in grouped.values():
            # The first recommendation needs no reason; every further one needs an override.
            if sum(1 for e in members if not e.override_reason) > 1:
                problems.append(
                    _(
                        "%(what)s推荐了多件且没有特批理由：%(titles)s。请取消多余的推荐或填写特批理由。"
                    )
                    % {
                        "what": label,
                        "titles": "、".join(f"《{e.submission.title}》" for e in members),
                    }
                )
    for entry in entries:
        problems += screening_problems(entry)
    problems += material_problems(campaign, entries)
    problems += filming.waiting_problems(campaign, entries)
    problems += gates.gate_problems(campaign, entries)
    return problems


def _group(entries: list[LevelEntry], field: str) -> dict:
    grouped: dict = defaultdict(list)
    for entry in entries:
        grouped[getattr(entry.submission, field)].append(entry)
    return grouped
