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
from youke.selection.enums import EntryState, PassFail, RankingMethod
from youke.selection.models import LevelEntry, Quota, ReviewRound

SCORE_FIELD = {
    RankingMethod.MEAN: "mean",
    RankingMethod.TRIMMED_MEAN: "trimmed_mean",
    RankingMethod.ZSCORE: "zscore",
}


@dataclass
class ProposalRow:
    """One line of the proposal: plain values, no model objects (100,000 rows stay cheap).

    ``entry`` loads the LevelEntry on first use, for callers that act on a row.
    """

    entry_id: int
    submission_id: int
    title: str
    teacher_id: int
    teacher_name: str
    category_name: str
    state: str
    submitted_at: datetime.datetime | None
    score: float | None = None
    proposed: bool = False
    skip_reason: str = ""
    vetoed: bool = False
    _entry: LevelEntry | None = field(default=None, repr=False, compare=False)

    @property
    def state_label(self) -> str:
        return str(EntryState(self.state).label)

    @property
    def entry(self) -> LevelEntry:
        if self._entry is None:
            self._entry = LevelEntry.objects.select_related("submission").get(pk=self.entry_id)
        return self._entry


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


PROPOSAL_COLUMNS = (
    "id",
    "state",
    "submission_id",
    "submission__title",
    "submission__submitted_at",
    "submission__category_id",
    "submission__category__name",
    "submission__teacher_id",
    "submission__teacher__full_name",
    "submission__node_id",
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
    key = constraints.node_key_field(campaign)
    # Plain tuples, not model objects: at 100,000 entries building five model instances per
    # row was most of the run time.
    raw = LevelEntry.objects.filter(
        level=level,
        unit=unit,
        state__in=[EntryState.PENDING, EntryState.RECOMMENDED],
    ).values_list(*PROPOSAL_COLUMNS, f"submission__{key}")
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    entries = []
    for (
        pk,
        state,
        sub_id,
        title,
        submitted_at,
        category_id,
        category_name,
        teacher_id,
        teacher_name,
        _node_id,
        technical,
        trial,
        node_key,
    ) in raw:
        entries.append(
            (
                ProposalRow(
                    entry_id=pk,
                    submission_id=sub_id,
                    title=title,
                    teacher_id=teacher_id,
                    teacher_name=teacher_name,
                    category_name=category_name,
                    state=state,
                    submitted_at=submitted_at,
                    score=scores.get(pk),
                    vetoed=pk in vetoed,
                ),
                category_id,
                node_key,
                technical == PassFail.PASS and trial == PassFail.PASS,
            )
        )
    # Scored entries by score, then the unscored ones in the order they were submitted.
    entries.sort(
        key=lambda item: (
            (0, -item[0].score, item[0].entry_id)
            if item[0].score is not None
            else (1, item[0].submitted_at or far, item[0].entry_id)
        )
    )
    quotas = list(Quota.objects.filter(level=level, unit=unit))
    overall = next((q for q in quotas if q.category_id is None), None)
    by_category = {q.category_id: q for q in quotas if q.category_id is not None}
    per_teacher = constraints.one_per_teacher(campaign)
    # R6 counts the whole level, as ``decide`` does: a teacher's lesson may sit in another list.
    teachers: set[int] = set()
    if per_teacher:
        teachers = set(
            LevelEntry.objects.filter(level=level, state=EntryState.RECOMMENDED)
            .exclude(unit=unit)
            .values_list("submission__teacher_id", flat=True)
        )
    r5_message = _("同一课程节点已推荐《%(title)s》（每个节点原则上推荐一件）")
    used: Counter = Counter()
    total = 0
    nodes: dict = {}
    rows = []
    for row, category_id, node_key, screened in entries:
        category_quota = by_category.get(category_id)
        reason = ""
        if row.vetoed:
            reason = _("评审一票否决")
        elif level.has_trial_lecture and not screened:
            reason = _("初选（技术审核和试讲）未通过或未登记")
        elif category_quota and used[category_id] >= category_quota.allowed:
            reason = _("%(category)s名额已满（%(used)s/%(allowed)s）") % {
                "category": row.category_name,
                "used": used[category_id],
                "allowed": category_quota.allowed,
            }
        elif overall and total >= overall.allowed:
            reason = _("名额已满（%(used)s/%(allowed)s）") % {
                "used": total,
                "allowed": overall.allowed,
            }
        elif node_key in nodes:
            reason = r5_message % {"title": nodes[node_key]}
        elif per_teacher and row.teacher_id in teachers:
            reason = _("该教师已有作品被推荐（每位教师限推荐一件）")
        if not reason:
            used[category_id] += 1
            total += 1
            nodes[node_key] = row.title
            teachers.add(row.teacher_id)
        row.proposed = not reason
        row.skip_reason = reason
        rows.append(row)
    return rows


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
    proposed = [row for row in propose_list(campaign, level, unit, round=round) if row.proposed]
    loaded = LevelEntry.objects.select_related("submission").in_bulk(
        [row.entry_id for row in proposed]
    )
    for row in proposed:
        row._entry = loaded[row.entry_id]
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
