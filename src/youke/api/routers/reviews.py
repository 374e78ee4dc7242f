"""Expert review (专家评审): rounds, panels, assignments, scores, results and conflicts.

Scoping follows the pages: admins reach a round through ``rounds_visible_to`` (the round's
unit and everything above it), experts reach only their own assignments in started rounds
(``assignments_visible_to``). Anything else is 404. An expert's view of an entry is the
domain's ``entry_view_for``, so a blind round hides the author here exactly as on the page.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_reviews import (
    AssignIn,
    AssignmentDetailOut,
    AssignmentFilters,
    AssignmentOut,
    AutoAssignOut,
    ConflictIn,
    ConflictOut,
    RoundExpertIn,
    RoundExpertOut,
    RoundFilters,
    RoundIn,
    RoundOut,
    RoundResultsOut,
    ScoresIn,
    SubjectRoundOut,
    SubjectRoundsIn,
)
from youke.campaigns.access import access_campaign
from youke.campaigns.models import Level
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.models import Person
from youke.selection.domain import assignment as assignment_domain
from youke.selection.domain import checklist, review_results, subject_rounds
from youke.selection.domain import review as review_domain
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment, ReviewRound, RoundExpert, Score

router = Router(tags=["reviews"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}
ROUND_RELATED = ("level", "unit")
ASSIGNMENT_RELATED = (
    "round",
    "expert",
    "entry__submission__category",
    "entry__submission__node",
    "entry__submission__teacher",
    "entry__submission__unit",
)


# --- rounds --------------------------------------------------------------------------------


def _count(queryset: QuerySet, key: str):
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _rounds(person: Person) -> QuerySet[ReviewRound]:
    """Visible rounds with their progress counts, in one query (subqueries, no join fan-out)."""
    members = ReviewRound.entries.through.objects.filter(reviewround_id=OuterRef("pk"))
    work = Assignment.objects.filter(round_id=OuterRef("pk"))
    return (
        review_domain.rounds_visible_to(person)
        .select_related(*ROUND_RELATED)
        .annotate(
            entry_count=_count(members, "reviewround_id"),
            assignment_count=_count(work, "round_id"),
            submitted_count=_count(work.filter(state=AssignmentState.SUBMITTED), "round_id"),
        )
    )


def _round_out(person: Person, round_id: int) -> ReviewRound:
    found = _rounds(person).filter(pk=round_id).first()
    if found is None:
        raise Http404("round")
    return found


@router.get("/reviews/rounds", response=list[RoundOut], operation_id="list_rounds")
@paginated
def list_rounds(request, filters: Query[RoundFilters]):
    """Rounds of the caller's units and every unit below them (admins only)."""
    rounds = _rounds(viewer(request))
    if filters.campaign is not None:
        rounds = rounds.filter(campaign_id=filters.campaign)
    if filters.state:
        rounds = rounds.filter(state=filters.state)
    return rounds.order_by("-created_at", "-id")


# Registered before /reviews/rounds/{round_id}: that path parameter matches any text.
@router.post(
    "/reviews/rounds/by-subject",
    response={200: list[SubjectRoundOut], 201: list[SubjectRoundOut], **WRITE_ERRORS},
    operation_id="create_subject_rounds",
)
def create_subject_rounds(request, payload: SubjectRoundsIn):
    """One round per stage × subject of the entries at the unit's level (分学科评审), each
    scoped to its subject, with a panel of the unit's experts whose areas match. Refused as a
    whole when any of the names is taken; ``preview`` shows the groups without creating."""
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign)
    level = Level.objects.filter(pk=payload.level, campaign=campaign).first()
    if level is None:
        raise Http404("level")
    unit = access_unit(person, payload.unit)
    options = {"name_prefix": payload.name_prefix, "max_load": payload.max_load}
    if payload.preview:
        groups = subject_rounds.subject_groups(actor(request), campaign, level, unit, **options)
    else:
        groups = subject_rounds.create_subject_rounds(
            actor(request),
            campaign,
            level,
            unit,
            deadline=payload.deadline,
            blind=payload.blind,
            reviews_per_entry=payload.reviews_per_entry,
            **options,
        )
    body = [
        {
            "round_id": g.review_round.pk if g.review_round else None,
            "name": g.name,
            "stage": g.stage.name,
            "subject": g.subject.name,
            "entry_count": len(g.entry_ids),
            "experts": g.experts,
            "warning": g.warning(payload.reviews_per_entry),
        }
        for g in groups
    ]
    return Status(200 if payload.preview else 201, body)


@router.get(
    "/reviews/rounds/{round_id}", response={200: RoundOut, 404: ErrorOut}, operation_id="get_round"
)
def get_round(request, round_id: int):
    return _round_out(viewer(request), round_id)


@router.post(
    "/reviews/rounds", response={201: RoundOut, **WRITE_ERRORS}, operation_id="create_round"
)
def create_round(request, payload: RoundIn):
    """Prepare a round for the entries at the unit's level; it starts with ``open_round``."""
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign)
    level = Level.objects.filter(pk=payload.level, campaign=campaign).first()
    if level is None:
        raise Http404("level")
    unit = access_unit(person, payload.unit)
    settings = payload.model_dump(exclude={"campaign", "level", "unit"})
    created = review_domain.create_round(actor(request), campaign, level, unit, **settings)
    return Status(201, _round_out(person, created.pk))


def _move_round(request, round_id: int, state: str) -> ReviewRound:
    person = viewer(request)
    review_round = review_domain.access_round(person, round_id)
    review_domain.set_round_state(actor(request), review_round, state)
    return _round_out(person, round_id)


@router.post(
    "/reviews/rounds/{round_id}/open",
    response={200: RoundOut, **WRITE_ERRORS},
    operation_id="open_round",
)
def open_round(request, round_id: int):
    """Start (or reopen) the round; the first opening fixes the entries it reviews."""
    return _move_round(request, round_id, RoundState.OPEN)


@router.post(
    "/reviews/rounds/{round_id}/close",
    response={200: RoundOut, **WRITE_ERRORS},
    operation_id="close_round",
)
def close_round(request, round_id: int):
    return _move_round(request, round_id, RoundState.CLOSED)


@router.post(
    "/reviews/rounds/{round_id}/experts",
    response={200: RoundExpertOut, **WRITE_ERRORS},
    operation_id="add_round_expert",
)
def add_round_expert(request, round_id: int, payload: RoundExpertIn):
    """Add an expert from the round's pool (scope, stage and subject), or change their cap.

    An expert of the unit's scope whose stages and subjects fit none of the round's entries
    is added only with ``confirm_mismatch``."""
    review_round = review_domain.access_round(viewer(request), round_id)
    expert = assignment_domain.unit_experts(review_round.unit).filter(pk=payload.expert).first()
    if expert is None:
        raise ValidationError(
            {"expert": [_("该专家不在本轮的专家库中（范围或学段学科不符）：请选择其他专家。")]}
        )
    member = assignment_domain.add_expert(
        actor(request),
        review_round,
        expert,
        payload.max_load,
        confirm_mismatch=payload.confirm_mismatch,
    )
    return RoundExpert.objects.select_related("expert").get(pk=member.pk)


@router.post(
    "/reviews/rounds/{round_id}/auto-assign",
    response={200: AutoAssignOut, **WRITE_ERRORS},
    operation_id="auto_assign",
)
def auto_assign(request, round_id: int):
    """Fill every entry up to the round's number of reviews: balanced load, caps, conflicts."""
    review_round = review_domain.access_round(viewer(request), round_id)
    report = assignment_domain.auto_assign(actor(request), review_round)
    return {"created": report.created, "problems": report.problems}


RESULTS_PAGE_SIZE = 500


@router.get(
    "/reviews/rounds/{round_id}/results",
    response={200: RoundResultsOut, 404: ErrorOut},
    operation_id="get_round_results",
)
def get_round_results(request, round_id: int, page: int | None = None):
    """Ranking from submitted scores; vetoed entries are excluded and listed last.

    Every entry of the round, or with ``page`` (1, 2, …) 500 entries per page in the same
    order; ``count`` is the number of entries in the round either way."""
    review_round = review_domain.access_round(viewer(request), round_id)
    if page is None:
        entries = review_results.every_row(review_round)
    else:
        start = (max(page, 1) - 1) * RESULTS_PAGE_SIZE
        rows = review_results.results_page(review_round)[start : start + RESULTS_PAGE_SIZE]
        entries = review_results.describe(list(rows))
    count = review_results.round_totals(review_round)["entries"]
    entries = review_results.with_totals(review_round, entries, every=page is None)
    return {
        "ranking_method": review_round.ranking_method,
        "count": count,
        "page": page,
        "entries": [
            {
                "entry_id": r["entry_id"],
                "title": r["title"],
                "teacher_name": r["teacher"],
                "school": r["school"],
                "totals": r["totals"],
                "reviews": r["reviews"],
                "mean": r["mean"],
                "trimmed_mean": r["trimmed_mean"],
                "zscore": r["zscore"],
                "spread": r["spread"],
                "disagreement": r["disagreement"],
                "veto": r["veto"],
                "rank": r["rank"],
            }
            for r in entries
        ],
        "experts": [
            {
                "expert": {"id": e["expert_id"], "full_name": e["expert__full_name"]},
                "count": e["count"],
                "mean": e["mean"],
                "stdev": e["stdev"],
                "deviation": e["deviation"],
            }
            for e in review_results.expert_rows(review_round)
        ],
    }


# --- assignments ---------------------------------------------------------------------------


def _assignments(person: Person) -> QuerySet[Assignment]:
    """Own assignments (experts) plus every assignment of a visible round (admins).

    An expert who administers nothing gets the plain ``expert = me`` filter: the OR of two
    subqueries cannot use the expert index, and PostgreSQL then walked every assignment of a
    20,000-assignment round in list order (0.4 s per queue page on deadline night).
    """
    own = review_domain.assignments_visible_to(person)
    if not org_rules.is_unit_admin(person):
        return own.select_related(*ASSIGNMENT_RELATED)
    rounds = review_domain.rounds_visible_to(person).values("pk")
    return Assignment.objects.filter(
        Q(pk__in=own.values("pk")) | Q(round__in=rounds)
    ).select_related(*ASSIGNMENT_RELATED)


@router.get("/reviews/assignments", response=list[AssignmentOut], operation_id="list_assignments")
@paginated
def list_assignments(request, filters: Query[AssignmentFilters]):
    """Experts: their own assignments in started rounds. Admins: their rounds' assignments."""
    found = _assignments(viewer(request))
    if filters.round is not None:
        found = found.filter(round_id=filters.round)
    if filters.state:
        found = found.filter(state=filters.state)
    return found.order_by("round_id", "entry_id", "id")


def _detail_out(person: Person, assignment: Assignment) -> dict:
    """Four queries whatever the rubric's size: materials, criteria, scores, and checklist
    items with their saved answers (plus co-authors when the caller may see identity)."""
    view = review_domain.entry_view_for(person, assignment.entry, assignment.round)
    criteria = review_domain.criteria_for(assignment)
    scores = Score.objects.filter(assignment=assignment).order_by("criterion_id")
    items = checklist.items_for(assignment)
    answers = checklist.answers_of(items)
    return {
        "id": assignment.pk,
        "round_id": assignment.round_id,
        "entry_id": assignment.entry_id,
        "title": view.title,
        "expert": assignment.expert,
        "state": assignment.state,
        "state_label": str(AssignmentState(assignment.state).label),
        "total": assignment.total,
        "veto": assignment.veto,
        "submitted_at": assignment.submitted_at,
        "deadline": assignment.round.deadline,
        "comment": assignment.comment,
        "veto_reason": assignment.veto_reason,
        "entry": {
            "title": view.title,
            "description": view.description,
            "node": view.node,
            "category": view.category,
            "blind": view.blind,
            "materials": [
                {"label": m.label, "file_name": m.file_name, "check": m.check, "ready": m.ready}
                for m in view.materials
            ],
            "teacher": view.teacher,
            "unit": view.unit,
            "coauthors": view.coauthors,
        },
        "criteria": criteria,
        "scores": [{"criterion": s.criterion_id, "points": s.points} for s in scores],
        "checklist": [
            {
                "item": item.pk,
                "text": item.text,
                "material": item.requirement.name,
                "confirmed": answers.get(item.pk, (None, ""))[0],
                "note": answers.get(item.pk, (None, ""))[1],
            }
            for item in items
        ],
    }


@router.get(
    "/reviews/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, 404: ErrorOut},
    operation_id="get_assignment",
)
def get_assignment(request, assignment_id: int):
    """The entry as the caller may see it (blind rounds hide the author from experts), the
    rubric and the scores saved so far."""
    person = viewer(request)
    found = _assignments(person).filter(pk=assignment_id).first()
    if found is None:
        raise Http404("assignment")
    return _detail_out(person, found)


@router.post(
    "/reviews/assignments/{assignment_id}/scores",
    response={200: AssignmentDetailOut, **WRITE_ERRORS},
    operation_id="save_scores",
)
def save_scores(request, assignment_id: int, payload: ScoresIn):
    """Save a draft (``submit: false``) or submit; only the assigned expert may score."""
    person = viewer(request)
    assignment = review_domain.access_assignment(person, assignment_id)
    points: dict[int, int] = {}
    for row in payload.scores:
        if row.criterion in points:
            raise ValidationError({"scores": [_("同一评分项只能填写一次：请检查后重试。")]})
        points[row.criterion] = row.points
    answers = None
    if payload.checklist is not None:
        answers = {row.item: (row.confirmed, row.note) for row in payload.checklist}
    review_domain.save_scores(
        actor(request),
        assignment,
        points,
        comment=payload.comment,
        veto=payload.veto,
        veto_reason=payload.veto_reason,
        submit=payload.submit,
        checklist_answers=answers,
    )
    return _detail_out(person, _assignments(person).get(pk=assignment_id))


@router.post(
    "/reviews/rounds/{round_id}/assignments",
    response={201: AssignmentOut, **WRITE_ERRORS},
    operation_id="assign_expert",
)
def assign_expert(request, round_id: int, payload: AssignIn):
    """Assign one entry to one panel expert by hand; conflicts and caps apply as in auto."""
    person = viewer(request)
    review_round = review_domain.access_round(person, round_id)
    entry = review_round.entries.filter(pk=payload.entry).first()
    if entry is None:
        raise Http404("entry")
    member = (
        RoundExpert.objects.filter(round=review_round, expert_id=payload.expert)
        .select_related("expert")
        .first()
    )
    if member is None:
        raise ValidationError({"expert": [_("该专家不在本轮评审专家名单中：请先添加专家。")]})
    created = assignment_domain.assign(actor(request), review_round, entry, member.expert)
    return Status(201, _assignments(person).get(pk=created.pk))


@router.delete(
    "/reviews/assignments/{assignment_id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="unassign_expert",
)
def unassign_expert(request, assignment_id: int):
    """Withdraw an assignment the expert has not started."""
    person = viewer(request)
    found = (
        Assignment.objects.filter(
            pk=assignment_id, round__in=review_domain.rounds_visible_to(person).values("pk")
        )
        .select_related("round__unit")
        .first()
    )
    if found is None:
        raise Http404("assignment")
    assignment_domain.unassign(actor(request), found)
    return Status(204, None)


# --- conflicts -----------------------------------------------------------------------------


@router.post(
    "/reviews/conflicts",
    response={201: ConflictOut, **WRITE_ERRORS},
    operation_id="declare_conflict",
)
def declare_conflict(request, payload: ConflictIn):
    """An expert declares a conflict on one of their assignments (``assignment``), or a
    round's admin records one for a panel expert (``round``, ``expert`` and ``entry`` or
    ``unit``). An unstarted assignment it hits is withdrawn."""
    person = viewer(request)
    if payload.assignment is not None:
        own = review_domain.access_assignment(person, payload.assignment)
        conflict = assignment_domain.declare_conflict(
            actor(request), person, payload.reason, entry=own.entry, review_round=own.round
        )
        return Status(201, conflict)
    if payload.round is None or payload.expert is None:
        raise ValidationError(
            _("请填写评审任务（专家本人申报），或评审轮次和专家（管理员代为申报）。")
        )
    review_round = review_domain.access_round(person, payload.round)
    member = (
        RoundExpert.objects.filter(round=review_round, expert_id=payload.expert)
        .select_related("expert")
        .first()
    )
    if member is None:
        raise Http404("expert")
    entry = None
    if payload.entry is not None:
        entry = review_round.entries.filter(pk=payload.entry).first()
        if entry is None:
            raise Http404("entry")
    unit = access_unit(person, payload.unit) if payload.unit is not None else None
    conflict = assignment_domain.declare_conflict(
        actor(request),
        member.expert,
        payload.reason,
        entry=entry,
        unit=unit,
        review_round=review_round,
    )
    return Status(201, conflict)
