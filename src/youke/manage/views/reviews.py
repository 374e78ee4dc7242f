"""Expert pages: the review queue, one assignment with its rubric, and blind file downloads.

Experts are not unit admins, so these pages check the assignment itself
(``access_assignment``: 404 for anyone but the assigned expert).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.manage.views.common import paginate
from youke.orgs.domain.units import PermissionDenied
from youke.portal.player import player_context
from youke.selection.domain import checklist, review
from youke.selection.domain.viewing import viewing_mode
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment
from youke.submissions.domain.packages import package_materials
from youke.submissions.models import Material

QUEUE_STATES = dict(AssignmentState.choices)


@login_required
def queue(request):
    """The expert's open assignments, one page at a time, filtered by round and state; the
    per-round progress counts every assignment whatever the filter."""
    mine = review.assignments_visible_to(request.user).filter(round__state=RoundState.OPEN)
    progress = list(
        mine.values("round_id", "round__name", "round__deadline")
        .annotate(total=Count("id"), done=Count("id", filter=Q(state=AssignmentState.SUBMITTED)))
        .order_by("round__deadline", "round_id")
    )
    rows = mine
    round_id = request.GET.get("round", "")
    if round_id.isdigit():
        rows = rows.filter(round_id=int(round_id))
    state = request.GET.get("state", "")
    if state in QUEUE_STATES:
        rows = rows.filter(state=state)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        rows = rows.filter(entry__submission__title__icontains=query)
    page = paginate(
        request,
        rows.order_by("round__deadline", "round_id", "id").values(
            "id",
            "state",
            "total",
            "round__name",
            "round__deadline",
            "entry__submission__title",
            "entry__submission__category__name",
        ),
    )
    now = timezone.now()
    assignments = [
        {
            **row,
            "state_label": QUEUE_STATES.get(row["state"], row["state"]),
            "total_text": "—" if row["total"] is None else row["total"],
            "closed": row["round__deadline"] < now,
        }
        for row in page.object_list
    ]
    filters = {k: v for k, v in {"round": round_id, "state": state, "q": query}.items() if v}
    return render(
        request,
        "manage/review_queue.html",
        {
            "assignments": assignments,
            "page": page,
            "progress": progress,
            "states": QUEUE_STATES,
            "filters": filters,
            "round_filter": round_id,
            "state_filter": state,
            "query": query,
        },
    )


def _points_from(post, criteria) -> tuple[dict[int, int], list[str]]:
    points: dict[int, int] = {}
    errors = []
    for criterion in criteria:
        raw = post.get(f"c{criterion.pk}", "").strip()
        if criterion.is_veto:
            points[criterion.pk] = 1 if raw == "1" else 0
        elif raw:
            try:
                points[criterion.pk] = int(raw)
            except ValueError:
                errors.append(_("“%(name)s”的得分须是整数：请修改。") % {"name": criterion.name})
    return points, errors


def _answers_from(post, items) -> checklist.Answers:
    answers: checklist.Answers = {}
    for item in items:
        raw = post.get(f"k{item.pk}", "")
        confirmed = {"1": True, "0": False}.get(raw)
        answers[item.pk] = (confirmed, post.get(f"kn{item.pk}", "").strip())
    return answers


@login_required
def assignment_detail(request, assignment_id):
    assignment = review.access_assignment(request.user, assignment_id)
    criteria = review.criteria_for(assignment)
    items = checklist.items_for(assignment)
    if request.method == "POST":
        points, errors = _points_from(request.POST, criteria)
        answers = _answers_from(request.POST, items)
        if not errors:
            try:
                review.save_scores(
                    Actor.from_request(request),
                    assignment,
                    points,
                    comment=request.POST.get("comment", ""),
                    veto=request.POST.get("veto") == "1",
                    veto_reason=request.POST.get("veto_reason", ""),
                    submit="submit" in request.POST,
                    checklist_answers=answers,
                )
            except ValidationError as exc:
                errors = exc.messages
            except PermissionDenied as exc:
                raise Http404("assignment") from exc
        if not errors:
            messages.success(
                request, _("评分已提交。") if "submit" in request.POST else _("评分已暂存。")
            )
            return redirect("manage_reviews:assignment", assignment_id=assignment.pk)
        for message in errors:
            messages.error(request, message)
        entered = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
        # A refused save must not lose what the expert wrote.
        typed = {
            "comment": request.POST.get("comment", ""),
            "veto": request.POST.get("veto") == "1",
            "veto_reason": request.POST.get("veto_reason", ""),
        }
    else:
        answers = checklist.answers_of(items)
        entered = {c.pk: c.saved_points for c in criteria if c.saved_points is not None}
        typed = {
            "comment": assignment.comment,
            "veto": assignment.veto,
            "veto_reason": assignment.veto_reason,
        }
    groups: dict[str, list] = {}
    for criterion in criteria:
        groups.setdefault(criterion.get_group_display(), []).append(
            (criterion, entered.get(criterion.pk, ""))
        )
    others = []
    if assignment.round.show_other_scores and assignment.state == AssignmentState.SUBMITTED:
        others = list(
            Assignment.objects.filter(
                round=assignment.round, entry=assignment.entry, state=AssignmentState.SUBMITTED
            )
            .exclude(pk=assignment.pk)
            .values_list("total", flat=True)
        )
    # One load of the package's files for the review panel and the player.
    materials = package_materials(assignment.entry.submission, request.user)
    return render(
        request,
        "manage/review_assignment.html",
        {
            "assignment": assignment,
            "view": review.entry_view_for(
                request.user, assignment.entry, assignment.round, materials
            ),
            "groups": groups,
            "editable": assignment.state != AssignmentState.SUBMITTED
            and assignment.round.state == RoundState.OPEN,
            "others": others,
            "typed": typed,
            "checklist": [(item, *answers.get(item.pk, (None, ""))) for item in items],
            # Player and documents; blind rounds get only the blind copies.
            **player_context(
                request.user,
                assignment.entry.submission,
                viewing_mode(request.user, assignment.entry.submission_id),
                materials,
            ),
        },
    )


@login_required
def material_download(request, assignment_id, material_id):
    """Serve a material to its reviewer. A blind round's expert only ever gets the blind
    copy (videos without the opening title, documents without author fields), under a
    neutral name; while it is being made there is nothing to serve (404)."""
    assignment = review.access_assignment(request.user, assignment_id)
    material = (
        Material.objects.filter(pk=material_id, submission_id=assignment.entry.submission_id)
        .select_related("requirement", "upload")
        .first()
    )
    if material is None or material.upload.state != "complete":
        raise Http404("material")
    found = review.expert_file(assignment, material)
    if found is None:
        raise Http404("blind copy not ready")
    storage_name, filename = found
    return FileResponse(
        default_storage.open(storage_name, "rb"), as_attachment=True, filename=filename
    )
