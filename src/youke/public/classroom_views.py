"""Public 三个课堂 pages: the secret-address .ics feed and a session's live link, shown by
the period's view permission (公开 / 登录 / 密码; 私密 only to the groups' own people)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from youke.classrooms.domain import feeds, sessions
from youke.classrooms.enums import ViewPermission
from youke.classrooms.models import CalendarFeed, ClassSession
from youke.public import classroom_replay

# Sessions whose watch password this browser has given (kept in its Django session), so the
# replay's files (playlists, segments, poster) load without asking again.
UNLOCKED = "classrooms_unlocked"


@require_GET
def feed(request, token: str):
    found = CalendarFeed.objects.select_related("classroom").filter(token=token).first()
    if found is None:
        raise Http404("feed")
    response = HttpResponse(
        feeds.build_calendar(found), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="timetable.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _session(session_id: int) -> ClassSession:
    session = (
        ClassSession.objects.select_related(
            "period", "group__host_school", "host_teacher", "replay"
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("session")
    return session


def _may_watch(request, session: ClassSession, password: str = "") -> bool:
    person = request.user if request.user.is_authenticated else None
    if sessions.can_watch(person, session, password=password):
        return True
    return (
        session.period.view_permission == ViewPermission.PASSWORD
        and session.pk in request.session.get(UNLOCKED, [])
    )


def live(request, session_id: int):
    """The live link and the replay, by the period's view permission (BRIEF §4a)."""
    session = _session(session_id)
    password = request.POST.get("password", "") if request.method == "POST" else ""
    allowed = _may_watch(request, session, password)
    permission = session.period.view_permission
    if not allowed and permission == ViewPermission.PRIVATE:
        raise Http404("session")  # a private class does not exist for outsiders
    if allowed and password and session.pk not in request.session.get(UNLOCKED, []):
        request.session[UNLOCKED] = [*request.session.get(UNLOCKED, [])[-49:], session.pk]
    context = {
        "session": session,
        "allowed": allowed,
        "permission": permission,
        "wrong_password": bool(password) and not allowed,
        "status_label": sessions.status_label(session),
        "has_replay": session.replay_id is not None,
    }
    if allowed:
        person = request.user if request.user.is_authenticated else None
        context |= classroom_replay.replay_context(
            person, session.replay, "public_classrooms:replay", session.pk
        )
    return render(request, "public/classrooms/live.html", context)


def _replay(request, session_id: int):
    """The session's replay upload for a viewer who may watch; 404 otherwise."""
    session = _session(session_id)
    if not _may_watch(request, session) or session.replay is None:
        raise Http404("replay")
    return session.replay


_replay_files = classroom_replay.file_views(_replay)
replay_play = _replay_files.play
replay_hls = _replay_files.hls
replay_poster = _replay_files.poster
replay_thumbnail = _replay_files.thumbnail
replay_position = _replay_files.position
