"""The library's personal operations (favourites, watch history, comments, reports) and the
publishing level's moderation (pending comments, problem reports).

Personal lists are the caller's own; moderation lists are ``library.rules`` scope twins;
objects outside them are 404. Comments of a lesson are public (published ones only).
"""

from django.http import Http404
from ninja import Query, Router, Schema, Status

from youke.api.common import actor, paginated, viewer
from youke.api.fields import Id
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_library_engagement import (
    CommentIn,
    CommentOut,
    FavouriteOut,
    FavouriteStateOut,
    HeartbeatIn,
    HeartbeatOut,
    HistoryOut,
    ModeratedCommentOut,
    RejectIn,
    ReportCloseIn,
    ReportIn,
    ReportOut,
)
from youke.library import rules
from youke.library.access import (
    access_handled_report,
    access_moderated_comment,
    access_own_comment,
    access_public_file,
    access_public_lesson,
)
from youke.library.domain import cache_version, comments, favourites, history, reports
from youke.library.enums import CommentState, FileKind, ReportState
from youke.library.models import LibraryLesson

router = Router(tags=["library"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _lesson_for_writes(lesson_id: int) -> LibraryLesson:
    lesson = access_public_lesson(lesson_id)
    return LibraryLesson.objects.select_related("publishing_unit").get(pk=lesson.pk)


# --- favourites --------------------------------------------------------------------------------


def _favourite_state(request, lesson_id: int, on: bool):
    lesson = access_public_lesson(lesson_id)
    favourites.set_favourite(viewer(request), lesson, on)
    cache_version.bump_stats()
    return {"lesson_id": lesson.pk, "favourite": on, "favourites": lesson.favourites}


@router.put(
    "/library/lessons/{lesson_id}/favourite",
    response={200: FavouriteStateOut, 404: ErrorOut},
    operation_id="add_library_favourite",
)
def add_library_favourite(request, lesson_id: Id):
    """Add a published lesson to 我的收藏 (repeating it changes nothing)."""
    return _favourite_state(request, lesson_id, True)


@router.delete(
    "/library/lessons/{lesson_id}/favourite",
    response={200: FavouriteStateOut, 404: ErrorOut},
    operation_id="remove_library_favourite",
)
def remove_library_favourite(request, lesson_id: Id):
    """Take a lesson out of 我的收藏 (repeating it changes nothing)."""
    return _favourite_state(request, lesson_id, False)


@router.get(
    "/library/favourites", response=list[FavouriteOut], operation_id="list_library_favourites"
)
@paginated
def list_library_favourites(request):
    """The caller's favourites of published lessons, newest first."""
    return favourites.favourites_of(viewer(request))


# --- watch history -----------------------------------------------------------------------------


@router.get("/library/history", response=list[HistoryOut], operation_id="list_library_history")
@paginated
def list_library_history(request):
    """The caller's watch history, most recently watched first, with watched time."""
    return history.history_of(viewer(request))


@router.delete(
    "/library/history/{lesson_id}",
    response={204: None, 404: ErrorOut},
    operation_id="delete_library_history",
)
def delete_library_history(request, lesson_id: Id):
    """Remove one lesson from the caller's history (404 when it is not there)."""
    if not history.remove(viewer(request), lesson_id):
        raise Http404("history")
    return Status(204, None)


@router.delete("/library/history", response={204: None}, operation_id="clear_library_history")
def clear_library_history(request):
    """Clear the caller's whole watch history."""
    history.clear(viewer(request))
    return Status(204, None)


@router.post(
    "/library/files/{file_id}/heartbeat",
    response={200: HeartbeatOut, **WRITE_ERRORS},
    operation_id="record_library_heartbeat",
)
def record_library_heartbeat(request, file_id: Id, payload: HeartbeatIn):
    """The player's position in a video of a published lesson (about every 10–15 s while
    playing). Watched time grows by at most the wall time since the previous heartbeat and
    never beyond the lesson's duration; heartbeats closer than 5 s are not recorded."""
    item = access_public_file(file_id)
    if item.kind != FileKind.VIDEO:
        raise Http404("video")
    row = history.heartbeat(viewer(request), item, payload.seconds)
    return {"recorded": row is not None, "seconds_watched": row.seconds_watched if row else None}


# --- comments ----------------------------------------------------------------------------------


@router.get(
    "/library/lessons/{lesson_id}/comments",
    response=list[CommentOut],
    operation_id="list_library_comments",
    auth=None,
)
@paginated
def list_library_comments(request, lesson_id: Id):
    """Published comments of a published lesson, newest first."""
    lesson = access_public_lesson(lesson_id)
    return comments.visible_comments(lesson)


@router.post(
    "/library/lessons/{lesson_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    operation_id="create_library_comment",
)
def create_library_comment(request, lesson_id: Id, payload: CommentIn):
    """Comment on a lesson: refused (422, naming the word) for a blocked word; ``pending``
    when the campaign moderates first or a review word matched, else ``published``."""
    lesson = _lesson_for_writes(lesson_id)
    comment = comments.post_comment(actor(request), lesson, payload.body)
    comment.author = viewer(request)
    return Status(201, comment)


@router.delete(
    "/library/comments/{comment_id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="delete_library_comment",
)
def delete_library_comment(request, comment_id: Id):
    """Delete one of the caller's own comments (someone else's is 404)."""
    comment = access_own_comment(viewer(request), comment_id)
    comments.delete_own(actor(request), comment)
    return Status(204, None)


class ModerationFilters(Schema):
    state: CommentState = CommentState.PENDING


@router.get(
    "/library/moderation/comments",
    response=list[ModeratedCommentOut],
    operation_id="list_moderated_library_comments",
)
@paginated
def list_moderated_library_comments(request, filters: Query[ModerationFilters]):
    """Comments on lessons published by the caller's units and below (pending by default),
    newest first."""
    return (
        rules.comments_moderated_by(viewer(request))
        .filter(state=filters.state)
        .select_related("lesson", "author")
        .order_by("-created_at", "-id")
    )


@router.post(
    "/library/comments/{comment_id}/approve",
    response={200: ModeratedCommentOut, **WRITE_ERRORS},
    operation_id="approve_library_comment",
)
def approve_library_comment(request, comment_id: Id):
    """Publish a pending comment (admins of the publishing unit and above)."""
    comment = access_moderated_comment(viewer(request), comment_id)
    done = comments.approve(actor(request), comment)
    done.author = comment.author
    return done


@router.post(
    "/library/comments/{comment_id}/reject",
    response={200: ModeratedCommentOut, **WRITE_ERRORS},
    operation_id="reject_library_comment",
)
def reject_library_comment(request, comment_id: Id, payload: RejectIn):
    """Refuse a comment with a reason the author is notified of."""
    comment = access_moderated_comment(viewer(request), comment_id)
    done = comments.reject(actor(request), comment, payload.reason)
    done.author = comment.author
    return done


# --- problem reports ---------------------------------------------------------------------------


@router.post(
    "/library/lessons/{lesson_id}/reports",
    response={201: ReportOut, **WRITE_ERRORS},
    operation_id="create_library_report",
)
def create_library_report(request, lesson_id: Id, payload: ReportIn):
    """Report a problem with a lesson; the admins of its publishing unit are notified."""
    lesson = _lesson_for_writes(lesson_id)
    return Status(201, reports.report_problem(actor(request), lesson, payload.kind, payload.text))


class ReportFilters(Schema):
    state: ReportState = ReportState.OPEN


@router.get("/library/reports", response=list[ReportOut], operation_id="list_library_reports")
@paginated
def list_library_reports(request, filters: Query[ReportFilters]):
    """Problem reports on lessons published by the caller's units and below (open by
    default), newest first."""
    return (
        rules.reports_handled_by(viewer(request))
        .filter(state=filters.state)
        .select_related("lesson")
        .order_by("-created_at", "-id")
    )


@router.post(
    "/library/reports/{report_id}/resolve",
    response={200: ReportOut, **WRITE_ERRORS},
    operation_id="resolve_library_report",
)
def resolve_library_report(request, report_id: Id, payload: ReportCloseIn):
    """Close a report as ``resolved`` or ``dismissed`` with a reply sent to the reporter."""
    report = access_handled_report(viewer(request), report_id)
    return reports.close_report(actor(request), report, payload.state, payload.reply)
