"""Proposed recommendation list (issue 4 item 9) and awards (item 10, R11) through the API.

Scoping follows the 推荐建议 and 奖项 pages: the unit must be one the caller administers and
the level must be that unit's kind; rounds are reached through ``rounds_visible_to`` and must
be closed and belong to the campaign, level and unit; awards are listed and revoked only when
their entry's unit lies in the caller's subtrees. Anything else is 404; the domain's
refusals (quota, R5/R6, deviation without a reason) come back as 422 with its messages.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_awards import (
    ApplyOut,
    AwardFilters,
    AwardOut,
    AwardProposalOut,
    GrantIn,
    ProposalApplyIn,
    ProposalFilters,
    ProposalOut,
    RevokeIn,
)
from youke.campaigns.access import access_campaign
from youke.campaigns.models import Campaign, Level
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.models import Person, Unit
from youke.selection.domain import awards as awards_domain
from youke.selection.domain import proposal as proposal_domain
from youke.selection.domain import review as review_domain
from youke.selection.domain.proposal import SCORE_FIELD
from youke.selection.enums import RoundState
from youke.selection.models import Award, ReviewRound

router = Router(tags=["awards"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}
AWARD_RELATED = (
    "grade",
    "level",
    "entry__submission__teacher",
    "entry__submission__unit",
)


# --- proposed recommendation list ------------------------------------------------------------


def _scope(
    person: Person, campaign_id: int, level_id: int, unit_id: int, round_id: int | None
) -> tuple[Campaign, Level, Unit, ReviewRound | None]:
    """The page's predicates: an administered unit, a level of its kind, a closed round of
    the same campaign, level and unit; 404 otherwise."""
    campaign = access_campaign(person, campaign_id)
    unit = access_unit(person, unit_id)
    if not org_rules.covers(person, unit):
        raise Http404("unit")
    level = Level.objects.filter(pk=level_id, campaign=campaign, unit_kind=unit.kind).first()
    if level is None:
        raise Http404("level")
    chosen = None
    if round_id is not None:
        chosen = (
            review_domain.rounds_visible_to(person)
            .filter(pk=round_id, campaign=campaign, level=level, unit=unit, state=RoundState.CLOSED)
            .first()
        )
        if chosen is None:
            raise Http404("round")
    return campaign, level, unit, chosen


@router.get(
    "/selection/proposal",
    response={200: ProposalOut, 404: ErrorOut},
    operation_id="get_proposal",
)
def get_proposal(request, filters: Query[ProposalFilters]):
    """Every entry still in play at the unit's level, highest score first, each with whether
    it is proposed or why it is skipped (quota, R5, R6, veto, screening)."""
    campaign, level, unit, chosen = _scope(
        viewer(request), filters.campaign, filters.level, filters.unit, filters.round
    )
    rows = proposal_domain.propose_list(campaign, level, unit, round=chosen)
    return {
        "campaign_id": campaign.pk,
        "level_id": level.pk,
        "unit_id": unit.pk,
        "round_id": chosen.pk if chosen else None,
        "proposed": sum(1 for row in rows if row.proposed),
        "rows": [
            {
                "entry_id": row.entry_id,
                "submission_id": row.submission_id,
                "title": row.title,
                "teacher_name": row.teacher_name,
                "state": row.state,
                "score": row.score,
                "proposed": row.proposed,
                "skip_reason": row.skip_reason,
                "vetoed": row.vetoed,
            }
            for row in rows
        ],
    }


@router.post(
    "/selection/proposal/apply",
    response={200: ApplyOut, **WRITE_ERRORS},
    operation_id="apply_proposal",
)
def apply_proposal(request, payload: ProposalApplyIn):
    """Recommend every proposed entry (each re-checked under the list lock); refusals are
    reported per entry. The list still has to be confirmed with ``confirm_list``."""
    campaign, level, unit, chosen = _scope(
        viewer(request), payload.campaign, payload.level, payload.unit, payload.round
    )
    report = proposal_domain.apply_proposal(actor(request), campaign, level, unit, round=chosen)
    return {
        "recommended": [entry.pk for entry in report.recommended],
        "kept": [entry.pk for entry in report.kept],
        "refused": [
            {"entry_id": entry.pk, "title": entry.submission.title, "problems": problems}
            for entry, problems in report.refused
        ],
    }


# --- awards ------------------------------------------------------------------------------------


def _awards(person: Person) -> QuerySet[Award]:
    if not org_rules.is_unit_admin(person):
        return Award.objects.none()
    return org_rules.scoped(Award.objects.all(), person, "entry__unit__path").select_related(
        *AWARD_RELATED
    )


def _grade(grade) -> dict | None:
    if grade is None:
        return None
    return {"id": grade.pk, "name": grade.name, "order": grade.order}


@router.get(
    "/selection/rounds/{round_id}/awards/proposal",
    response={200: AwardProposalOut, 404: ErrorOut},
    operation_id="propose_awards",
)
def propose_awards(request, round_id: int):
    """Ranked entries in rank order with the grade the ranking proposes (R11)."""
    review_round = review_domain.access_round(viewer(request), round_id)
    proposals = awards_domain.propose_awards(review_round)
    attr = SCORE_FIELD[review_round.ranking_method]
    awarded = set(
        Award.objects.filter(
            round=review_round, level_id=review_round.level_id, revoked_at__isnull=True
        ).values_list("entry_id", flat=True)
    )
    return {
        "round_id": review_round.pk,
        "closed": review_round.state == RoundState.CLOSED,
        "grades": [_grade(g) for g in awards_domain.grades_for(review_round)],
        "rows": [
            {
                "entry_id": p.result.entry.pk,
                "title": p.result.entry.submission.title,
                "teacher_name": p.result.entry.submission.teacher.full_name,
                "rank": p.result.rank,
                "score": getattr(p.result, attr),
                "grade": _grade(p.grade),
                "awarded": p.result.entry.pk in awarded,
            }
            for p in proposals
        ],
    }


@router.post(
    "/selection/rounds/{round_id}/awards",
    response={201: list[AwardOut], **WRITE_ERRORS},
    operation_id="grant_awards",
)
def grant_awards(request, round_id: int, payload: GrantIn):
    """Grant awards for a closed round, all or nothing; a grade other than the ranking's
    proposal needs a reason. Each award is recorded for R4 and the teacher is notified."""
    person = viewer(request)
    review_round = review_domain.access_round(person, round_id)
    if not payload.awards:
        raise ValidationError({"awards": [_("没有选择任何作品：请为要授奖的作品选择奖项。")]})
    wanted = {item.entry for item in payload.awards}
    entries = {
        e.pk: e for e in review_round.entries.filter(pk__in=wanted).select_related("submission")
    }
    grades = {g.pk: g for g in awards_domain.grades_for(review_round)}
    chosen = []
    for item in payload.awards:
        entry, grade = entries.get(item.entry), grades.get(item.grade)
        if entry is None or grade is None:
            raise ValidationError({"awards": [_("所选作品或奖项不属于本轮评审：请刷新后重试。")]})
        chosen.append((entry, grade, item.reason))
    granted = awards_domain.grant_awards(actor(request), review_round, chosen)
    rows = _awards(person).filter(pk__in=[a.pk for a in granted]).order_by("grade__order", "id")
    return Status(201, list(rows))


@router.post(
    "/selection/awards/{award_id}/revoke",
    response={200: AwardOut, **WRITE_ERRORS},
    operation_id="revoke_award",
)
def revoke_award(request, award_id: int, payload: RevokeIn):
    """Withdraw an award with a logged reason; its R4 record is removed, reopening the node."""
    person = viewer(request)
    award = _awards(person).select_related("round__unit", "entry__unit").filter(pk=award_id).first()
    if award is None:
        raise Http404("award")
    awards_domain.revoke_award(actor(request), award, payload.reason)
    return _awards(person).get(pk=award_id)


@router.get("/selection/awards", response=list[AwardOut], operation_id="list_awards")
@paginated
def list_awards(request, filters: Query[AwardFilters]):
    """Awards on entries at the caller's units and every unit below them, newest first."""
    awards = _awards(viewer(request))
    if filters.campaign is not None:
        awards = awards.filter(level__campaign_id=filters.campaign)
    if filters.level is not None:
        awards = awards.filter(level_id=filters.level)
    if filters.round is not None:
        awards = awards.filter(round_id=filters.round)
    if filters.active is not None:
        awards = awards.filter(revoked_at__isnull=filters.active)
    return awards.order_by("-awarded_at", "-id")
