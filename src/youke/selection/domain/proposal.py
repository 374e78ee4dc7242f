"""The proposed recommendation list (issue 4 item 9): highest score first under R5, R6, R7.

``propose_list`` is a pure read in a fixed number of queries (the round's results, the
entries, the quotas, the teachers already recommended elsewhere at the level), so it can rank
a province's 100,000 entries. ``apply_proposal`` only recommends through ``decide``, which
re-checks every rule under the list lock; the admin then adjusts and confirms as usual.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign, Level
from youke.core.actor import Actor
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.selection.domain import constraints
from youke.selection.domain.entries import decide
from youke.selection.domain.review import round_results
from youke.selection.enums import EntryState, RankingMethod
from youke.selection.models import LevelEntry, Quota, ReviewRound

SCORE_FIELD = {
    RankingMethod.MEAN: "mean",
    RankingMethod.TRIMMED_MEAN: "trimmed_mean",
    RankingMethod.ZSCORE: "zscore",
}


@dataclass
class ProposalRow:
    entry: LevelEntry
    score: float | None
    proposed: bool
    skip_reason: str = ""
    vetoed: bool = False


@dataclass
class ApplyReport:
    recommended: list[LevelEntry] = field(default_factory=list)
    kept: list[LevelEntry] = field(default_factory=list)
    refused: list[tuple[LevelEntry, list[str]]] = field(default_factory=list)


def _check_round(campaign: Campaign, level: Level, review_round: ReviewRound | None) -> None:
    if review_round is None:
        return
    if review_round.campaign_id != campaign.pk or review_round.level_id != level.pk:
        raise ValidationError(_("所选评审轮次不属于该活动的这一级别：请重新选择评审轮次。"))


PROPOSAL_FIELDS = (
    "id",
    "state",
    "level_id",
    "unit_id",
    "submission__id",
    "submission__title",
    "submission__submitted_at",
    "submission__category_id",
    "submission__teacher_id",
    "submission__node_id",
    "submission__teacher__id",
    "submission__teacher__full_name",
    "submission__category__id",
    "submission__category__name",
    "submission__node__id",
    "submission__node__code",
    "submission__node__name",
    "screening__id",
    "screening__technical_check",
    "screening__trial_result",
)


def propose_list(
    campaign: Campaign, level: Level, unit: Unit, *, round: ReviewRound | None = None
) -> list[ProposalRow]:
    """Every entry still in play at the unit's level, in proposal order, with skip reasons."""
    _check_round(campaign, level, round)
    scores: dict[int, float] = {}
    vetoed: set[int] = set()
    if round is not None:
        attr = SCORE_FIELD[round.ranking_method]
        results, _experts = round_results(round)
        for result in results:
            value = getattr(result, attr)
            if value is not None:
                scores[result.entry.pk] = value
            if result.veto:
                vetoed.add(result.entry.pk)
    entries = list(
        LevelEntry.objects.filter(
            level=level,
            unit=unit,
            state__in=[EntryState.PENDING, EntryState.RECOMMENDED],
        )
        .select_related(
            "submission__teacher", "submission__category", "submission__node", "screening"
        )
        # Only what ranking, the skip reasons and the page use: at 100,000 entries building
        # full rows of five tables dominated the run time.
        .only(*PROPOSAL_FIELDS)
    )
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    # Scored entries by score, then the unscored ones in the order they were submitted.
    entries.sort(
        key=lambda e: (
            (0, -scores[e.pk], e.pk)
            if e.pk in scores
            else (1, e.submission.submitted_at or far, e.pk)
        )
    )
    quotas = list(Quota.objects.filter(level=level, unit=unit))
    overall = next((q for q in quotas if q.category_id is None), None)
    by_category = {q.category_id: q for q in quotas if q.category_id is not None}
    key = constraints.node_key_field(campaign)
    per_teacher = constraints.one_per_teacher(campaign)
    # R6 counts the whole level, as ``decide`` does: a teacher's lesson may sit in another list.
    teachers: set[int] = set()
    if per_teacher:
        teachers = set(
            LevelEntry.objects.filter(level=level, state=EntryState.RECOMMENDED)
            .exclude(unit=unit)
            .values_list("submission__teacher_id", flat=True)
        )
    used: Counter = Counter()
    total = 0
    nodes: dict = {}
    rows = []
    for entry in entries:
        sub = entry.submission
        category_quota = by_category.get(sub.category_id)
        reason = ""
        if entry.pk in vetoed:
            reason = _("评审一票否决")
        elif level.has_trial_lecture and not _screened(entry):
            reason = _("初选（技术审核和试讲）未通过或未登记")
        elif category_quota and used[sub.category_id] >= category_quota.allowed:
            reason = _("%(category)s名额已满（%(used)s/%(allowed)s）") % {
                "category": sub.category.name,
                "used": used[sub.category_id],
                "allowed": category_quota.allowed,
            }
        elif overall and total >= overall.allowed:
            reason = _("名额已满（%(used)s/%(allowed)s）") % {
                "used": total,
                "allowed": overall.allowed,
            }
        elif getattr(sub, key) in nodes:
            reason = _("同一课程节点已推荐《%(title)s》（R5）") % {
                "title": nodes[getattr(sub, key)]
            }
        elif per_teacher and sub.teacher_id in teachers:
            reason = _("该教师已有作品被推荐（R6）")
        if not reason:
            used[sub.category_id] += 1
            total += 1
            nodes[getattr(sub, key)] = sub.title
            teachers.add(sub.teacher_id)
        rows.append(
            ProposalRow(
                entry=entry,
                score=scores.get(entry.pk),
                proposed=not reason,
                skip_reason=reason,
                vetoed=entry.pk in vetoed,
            )
        )
    return rows


def _screened(entry: LevelEntry) -> bool:
    record = getattr(entry, "screening", None)
    return record is not None and record.passed


def apply_proposal(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    unit: Unit,
    *,
    round: ReviewRound | None = None,
) -> ApplyReport:
    """Recommend each proposed entry; each decision commits alone, refusals are collected."""
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("list")
    report = ApplyReport()
    for row in propose_list(campaign, level, unit, round=round):
        if not row.proposed:
            continue
        if row.entry.state == EntryState.RECOMMENDED:
            report.kept.append(row.entry)
            continue
        try:
            report.recommended.append(
                decide(actor, row.entry, EntryState.RECOMMENDED, reason=_("按推荐建议"))
            )
        except ValidationError as exc:
            report.refused.append((row.entry, exc.messages))
    return report
