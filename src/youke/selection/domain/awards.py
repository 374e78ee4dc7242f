"""Awards (R11): grades follow a closed round's ranking; deviations need a reason.

A granted award is also written as a ``campaigns.PastAward`` for the lesson node, so R4
(``campaigns.domain.nodes.node_statuses``) closes or promotes nodes in later campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.enums import AwardLevel
from youke.campaigns.models import AwardGrade, PastAward
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.domain.notify import notify
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain.review import EntryResult, round_results
from youke.selection.enums import RoundState
from youke.selection.models import Award, LevelEntry, ReviewRound
from youke.selection.signals import award_granted, award_revoked

PAST_AWARD_SOURCE = "youke"


@dataclass
class AwardProposal:
    result: EntryResult
    grade: AwardGrade | None


def grades_for(review_round: ReviewRound) -> QuerySet[AwardGrade]:
    return AwardGrade.objects.filter(
        campaign_id=review_round.campaign_id, level_id=review_round.level_id
    ).order_by("order", "id")


def _grade_size(grade: AwardGrade, ranked: int) -> int:
    """Rounded down, but a grade with a share never ends up empty when there are entries."""
    if grade.proportion is not None:
        size = int(grade.proportion * ranked)
        return max(size, 1) if grade.proportion > 0 and ranked else size
    if grade.count is not None:
        return grade.count
    # An honour without a size (市级精品课) goes to every ranked entry still without a grade.
    return ranked


def propose_awards(review_round: ReviewRound) -> list[AwardProposal]:
    """Every ranked entry in rank order with its proposed grade (None: no award)."""
    results, _experts = round_results(review_round)
    ranked = [r for r in results if r.rank is not None]
    proposals = [AwardProposal(result=r, grade=None) for r in ranked]
    start = 0
    for grade in grades_for(review_round):
        end = min(len(proposals), start + _grade_size(grade, len(ranked)))
        for proposal in proposals[start:end]:
            proposal.grade = grade
        start = end
    return proposals


def awards_of(review_round: ReviewRound) -> QuerySet[Award]:
    return (
        Award.objects.filter(round=review_round)
        .select_related("grade", "entry__submission__teacher", "entry__submission__unit")
        .order_by("revoked_at", "grade__order", "id")
    )


def _require_admin(actor: Actor, review_round: ReviewRound) -> None:
    if actor.person is None or not org_rules.covers(actor.person, review_round.unit):
        raise PermissionDenied("award")


def grant_awards(
    actor: Actor,
    review_round: ReviewRound,
    assignments: list[tuple[LevelEntry, AwardGrade, str]],
) -> list[Award]:
    """Grant all or nothing: every problem is reported before anything is written."""
    _require_admin(actor, review_round)
    if review_round.state != RoundState.CLOSED:
        raise ValidationError(_("评审轮次尚未结束，不能评定奖项：请先结束评审。"))
    proposed = {p.result.entry.pk: p.grade for p in propose_awards(review_round)}
    in_round = set(review_round.entries.values_list("id", flat=True))
    grades = {g.pk: g for g in grades_for(review_round)}
    active = set(
        Award.objects.filter(
            entry_id__in=[entry.pk for entry, _grade, _reason in assignments],
            level_id=review_round.level_id,
            revoked_at__isnull=True,
        ).values_list("entry_id", flat=True)
    )
    errors = []
    seen: set[int] = set()
    for entry, grade, reason in assignments:
        title = entry.submission.title
        if entry.pk not in in_round:
            errors.append(_("《%(t)s》不在本轮评审中，不能授奖。") % {"t": title})
        elif grade.pk not in grades:
            errors.append(_("“%(g)s”不是本级别的奖项：请重新选择奖项。") % {"g": grade.name})
        elif entry.pk in active or entry.pk in seen:
            errors.append(_("《%(t)s》已获得本级奖项：如需改动，请先撤销原奖项。") % {"t": title})
        else:
            suggested = proposed.get(entry.pk)
            if (suggested is None or suggested.pk != grade.pk) and not reason.strip():
                errors.append(
                    _("《%(t)s》的奖项与按排名的建议（%(s)s）不同：请填写调整理由。")
                    % {"t": title, "s": suggested.name if suggested else _("不获奖")}
                )
        seen.add(entry.pk)
    if errors:
        raise ValidationError(errors)
    campaign = review_round.campaign
    granted = []
    with transaction.atomic():
        for entry, grade, reason in assignments:
            entry = LevelEntry.objects.select_related(
                "submission__teacher", "submission__unit", "submission__node"
            ).get(pk=entry.pk)
            sub = entry.submission
            past = None
            if review_round.level.key in AwardLevel.values:
                past, created = PastAward.objects.get_or_create(
                    node=sub.node,
                    level=review_round.level.key,
                    year=campaign.year,
                    title=sub.title[:200],
                    teacher_name=sub.teacher.full_name[:64],
                    defaults={
                        "unit_name": sub.unit.name[:100],
                        "source": PAST_AWARD_SOURCE,
                        "imported_by": actor.person,
                    },
                )
                # An imported row stays when the award is revoked: it is not ours to delete.
                past = past if created else None
            award = Award.objects.create(
                entry=entry,
                grade=grade,
                level_id=review_round.level_id,
                round=review_round,
                past_award=past,
                reason=reason.strip(),
                awarded_by=actor.person,
            )
            record(
                actor,
                AuditAction.CREATE,
                award,
                unit=review_round.unit,
                after={"entry": entry.pk, "grade": grade.name, "round": review_round.pk},
                reason=reason.strip(),
            )
            notify(
                sub.teacher,
                "award",
                title=_("《%(t)s》获得%(g)s") % {"t": sub.title, "g": grade.name},
                body=_("您的作品《%(t)s》在“%(c)s”中获得%(g)s。")
                % {"t": sub.title, "c": campaign.name, "g": grade.name},
                url=reverse("portal:submission_detail", args=[sub.pk]),
            )
            granted.append(award)
        for award in granted:
            transaction.on_commit(
                lambda award_id=award.pk: award_granted.send(
                    sender=Award, award_id=award_id, actor=actor
                ),
                robust=True,
            )
    return granted


def revoke_award(actor: Actor, award: Award, reason: str) -> Award:
    reason = (reason or "").strip()
    review_round = award.round
    unit = review_round.unit if review_round else award.entry.unit
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("award")
    if not reason:
        raise ValidationError({"reason": _("请填写撤销理由，它会记入日志。")})
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("该奖项已经撤销，无需重复操作。"))
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:300]
        past_id = locked.past_award_id
        locked.past_award = None
        locked.save(update_fields=["revoked_at", "revoked_reason", "past_award"])
        if past_id:
            # The node reopens under R4 once its award is gone.
            PastAward.objects.filter(pk=past_id).delete()
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=unit,
            before={"revoked": False},
            after={"revoked": True, "past_award_deleted": past_id},
            reason=reason,
        )
        transaction.on_commit(
            lambda: award_revoked.send(
                sender=Award, award_id=locked.pk, actor=actor, reason=locked.revoked_reason
            )
        )
    return locked
