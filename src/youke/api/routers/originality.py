"""Originality results and evidence per package, a manual re-check, clearing with a reason
and the teacher's explanation (issue 13). Seeing follows the package's files
(``originality.rules.view_mode``), so anyone else gets 404; the other party is named only
to a caller who may see that package in full (never in a blind view)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Status

from youke.api.common import actor, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_originality import ClearIn, ExplainIn, OriginalityOut
from youke.originality import rules
from youke.originality.domain import results
from youke.originality.domain.evidence import match_views
from youke.originality.models import OriginalityResult

router = Router(tags=["originality"])
ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _result(person, submission_id: int) -> tuple[OriginalityResult, str]:
    mode = rules.view_mode(person, submission_id)
    if mode is None:
        raise Http404("submission")
    return results.ensure_result(submission_id), mode


def _act(request, submission_id: int, action) -> dict:
    """Run ``action(result)`` for a viewer of the package; refusal is a 404 like absence."""
    person = viewer(request)
    result, mode = _result(person, submission_id)
    try:
        result = action(result)
    except PermissionDenied as exc:
        raise Http404("submission") from exc
    return _out(person, result, mode)


def _out(person, result: OriginalityResult, mode: str) -> dict:
    matches = []
    for v in match_views(person, result, mode):
        m = v.match
        matches.append(
            {
                "id": m.pk,
                "kind": m.kind,
                "verdict": m.verdict,
                "share": m.share,
                "material_id": m.material_id,
                "other": v.other_label,
                "other_submission_id": m.other_submission_id if v.other_mode else None,
                "campaign": v.campaign,
                "year": v.year,
                "level": v.level,
                "date": v.date,
                "segments": v.segments,
                "passages": v.passages,
                "cited": v.cited,
            }
        )
    return {
        "submission_id": result.submission_id,
        "verdict": result.verdict,
        "copied_share": result.copied_share,
        "checked_at": result.checked_at,
        "cleared": result.cleared,
        "cleared_reason": result.cleared_reason,
        "teacher_note": result.teacher_note,
        "matches": matches,
    }


@router.get(
    "/submissions/{submission_id}/originality-result",
    response={200: OriginalityOut, 404: ErrorOut},
    operation_id="get_originality",
)
def get_originality(request, submission_id: int):
    """The package's originality result with the evidence the caller may see."""
    person = viewer(request)
    result, mode = _result(person, submission_id)
    return _out(person, result, mode)


@router.post(
    "/submissions/{submission_id}/originality-result/recheck",
    response={202: OriginalityOut, **ERRORS},
    operation_id="recheck_originality",
)
def recheck_originality(request, submission_id: int):
    """Compare the package with the whole index again, in the background."""
    person = viewer(request)
    _result(person, submission_id)
    try:
        result = results.request_recheck(actor(request), submission_id)
    except PermissionDenied as exc:
        raise Http404("submission") from exc
    result.refresh_from_db()
    return Status(202, _out(person, result, rules.view_mode(person, submission_id)))


@router.post(
    "/submissions/{submission_id}/originality-result/clear",
    response={200: OriginalityOut, **ERRORS},
    operation_id="clear_originality",
)
def clear_originality(request, submission_id: int, payload: ClearIn):
    """Let a flagged package be recommended again, with a logged reason (admins over it)."""
    return _act(
        request,
        submission_id,
        lambda result: results.clear_result(actor(request), result, payload.reason),
    )


@router.post(
    "/submissions/{submission_id}/originality-result/explain",
    response={200: OriginalityOut, **ERRORS},
    operation_id="explain_originality",
)
def explain_originality(request, submission_id: int, payload: ExplainIn):
    """The author's answer to a match (e.g. the other entry is their own earlier lesson)."""
    return _act(
        request, submission_id, lambda result: results.explain(actor(request), result, payload.note)
    )
