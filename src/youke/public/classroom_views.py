"""Public 三个课堂 pages: the secret-address .ics feed and a session's live link, shown by
the period's view permission (公开 / 登录 / 密码; 私密 only to the groups' own people)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from youke.classrooms.domain import feeds, sessions
from youke.classrooms.enums import ViewPermission
from youke.classrooms.models import CalendarFeed, ClassSession


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


def live(request, session_id: int):
    session = (
        ClassSession.objects.select_related("period", "group__host_school", "host_teacher")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("session")
    password = request.POST.get("password", "") if request.method == "POST" else ""
    person = request.user if request.user.is_authenticated else None
    allowed = sessions.can_watch(person, session, password=password)
    permission = session.period.view_permission
    if not allowed and permission == ViewPermission.PRIVATE:
        raise Http404("session")  # a private class does not exist for outsiders
    return render(
        request,
        "public/classrooms/live.html",
        {
            "session": session,
            "allowed": allowed,
            "permission": permission,
            "wrong_password": bool(password) and not allowed,
            "status_label": sessions.status_label(session),
        },
    )
