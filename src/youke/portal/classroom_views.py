"""Teachers' 三个课堂 pages: my week, a session (live link, start/end/cancel), the
phone-friendly attendance form, a receiving class's term record with xlsx import."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.classrooms import rules
from youke.classrooms.access import access_session
from youke.classrooms.domain import attendance, feeds, replays, sessions
from youke.classrooms.models import Attendance, ReceivingClassroom
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.public import classroom_replay


class AttendanceForm(forms.Form):
    expected = forms.IntegerField(label=gettext_lazy("应到人数"), min_value=0, max_value=200)
    present = forms.IntegerField(label=gettext_lazy("实到人数"), min_value=0, max_value=200)
    exercises_done = forms.IntegerField(
        label=gettext_lazy("完成练习人数"), min_value=0, max_value=200, required=False
    )
    questions = forms.CharField(
        label=gettext_lazy("学生提问"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=gettext_lazy("本地教师备注"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("取消原因"), max_length=200)


class SubstituteForm(forms.Form):
    teacher = forms.CharField(label=gettext_lazy("代课教师（用户名或手机号）"), max_length=64)
    reason = forms.CharField(label=gettext_lazy("代课原因"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("出勤表（xlsx）"))


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


@login_required
def week(request):
    day = _day(request.GET.get("date", ""))
    rows = sessions.teacher_week(request.user, day)
    now = timezone.now()
    monday = day - dt.timedelta(days=day.weekday())
    assisted = ReceivingClassroom.objects.filter(assistant=request.user).select_related(
        "school", "group"
    )
    # The host sees each receiving class's record across the term.
    hosted = (
        ReceivingClassroom.objects.filter(group__periods__host_teacher=request.user)
        .distinct()
        .select_related("school", "group")
    )
    feed = feeds.feed_for_person(request.user) if rows or assisted or hosted else None
    return render(
        request,
        "portal/classrooms/week.html",
        {
            "days": [
                (
                    monday + dt.timedelta(days=i),
                    [
                        (s, sessions.status_label(s, now))
                        for s in rows
                        if timezone.localdate(s.starts_at) == monday + dt.timedelta(days=i)
                    ],
                )
                for i in range(7)
            ],
            "previous": (monday - dt.timedelta(days=7)).isoformat(),
            "next": (monday + dt.timedelta(days=7)).isoformat(),
            "monday": monday,
            "assisted": assisted,
            "hosted": hosted,
            "feed_url": request.build_absolute_uri(
                reverse("public_classrooms:feed", args=[feed.token])
            )
            if feed
            else "",
        },
    )


def replay_metadata(**target) -> str:
    import json

    return json.dumps({"purpose": replays.PURPOSE, **{k: str(v) for k, v in target.items()}})


@login_required
def session_detail(request, session_id: int):
    session = access_session(request.user, session_id)
    classrooms = list(session.group.classrooms.select_related("school", "assistant"))
    records = {a.classroom_id: a for a in Attendance.objects.filter(session=session)}
    can_run = rules.can_run_session(request.user, session)
    return render(
        request,
        "portal/classrooms/session.html",
        {
            **classroom_replay.replay_context(
                request.user, session.replay, "public_classrooms:replay", session.pk
            ),
            "replay_metadata": replay_metadata(session=session.pk) if can_run else "",
            "replay_remove_url": reverse(
                "portal_classrooms:session_replay_remove", args=[session.pk]
            ),
            "session": session,
            "status": sessions.session_status(session),
            "status_label": sessions.status_label(session),
            "can_run": can_run,
            "can_watch": sessions.can_watch(request.user, session),
            "rows": [
                (room, records.get(room.pk), rules.can_record_attendance(request.user, room))
                for room in classrooms
            ],
            "cancel_form": CancelForm(),
            "can_substitute": rules.can_edit_timetable(request.user, session.group),
            "substitute_form": SubstituteForm(),
        },
    )


def _run(request, session_id, action, success):
    session = access_session(request.user, session_id)
    done = redirect("portal_classrooms:session", session.pk)
    return run_action(request, lambda: action(Actor.from_request(request), session), success, done)


@login_required
@require_POST
def session_start(request, session_id: int):
    return _run(
        request, session_id, sessions.start_session, _("已开始上课，听讲班级可以进入直播。")
    )


@login_required
@require_POST
def session_end(request, session_id: int):
    return _run(request, session_id, sessions.end_session, _("已下课。"))


@login_required
@require_POST
def session_cancel(request, session_id: int):
    reason = request.POST.get("reason", "")
    return _run(
        request,
        session_id,
        lambda actor, session: sessions.cancel_session(actor, session, reason),
        _("已取消这节课，听讲学校会看到取消原因。"),
    )


@login_required
@require_POST
def session_replay_remove(request, session_id: int):
    return _run(request, session_id, replays.remove_replay, _("已撤下回放。"))


@login_required
@require_POST
def session_substitute(request, session_id: int):
    from youke.manage.views.classrooms import person_by_login

    form = SubstituteForm(request.POST)
    if not form.is_valid():
        session = access_session(request.user, session_id)
        messages.error(request, _("请填写代课教师和代课原因。"))
        return redirect("portal_classrooms:session", session.pk)
    teacher = person_by_login(form.cleaned_data["teacher"])
    if teacher is None:
        session = access_session(request.user, session_id)
        messages.error(request, _("没有这个用户，请核对用户名或手机号。"))
        return redirect("portal_classrooms:session", session.pk)
    return _run(
        request,
        session_id,
        lambda actor, session: sessions.substitute_session(
            actor, session, teacher, form.cleaned_data["reason"]
        ),
        _("已安排代课，代课教师的课表会显示这节课。"),
    )


def _classroom(person, classroom_id: int) -> ReceivingClassroom:
    classroom = (
        ReceivingClassroom.objects.filter(
            pk=classroom_id, group__in=rules.groups_visible_to(person).values("pk")
        )
        .select_related("school", "group__term", "group__host_school", "assistant")
        .first()
    )
    if classroom is None:
        raise Http404("classroom")
    return classroom


@login_required
def attendance_form(request, session_id: int, classroom_id: int):
    session = access_session(request.user, session_id)
    classroom = _classroom(request.user, classroom_id)
    if classroom.group_id != session.group_id or not rules.can_record_attendance(
        request.user, classroom
    ):
        raise Http404("classroom")
    existing = Attendance.objects.filter(session=session, classroom=classroom).first()
    initial = (
        {f: getattr(existing, f) for f in AttendanceForm.base_fields}
        if existing
        else {"expected": classroom.students}
    )
    form = AttendanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attendance.record_attendance(
                Actor.from_request(request), session, classroom, **form.cleaned_data
            )
        except ValidationError as exc:
            from youke.manage.views.common import apply_errors

            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存出勤和学情。"))
            return redirect("portal_classrooms:session", session.pk)
    return render(
        request,
        "portal/classrooms/attendance.html",
        {"session": session, "classroom": classroom, "form": form},
    )


@login_required
def classroom_record(request, classroom_id: int):
    classroom = _classroom(request.user, classroom_id)
    can_record = rules.can_record_attendance(request.user, classroom)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        if not can_record:
            raise Http404("classroom")
        if form.is_valid():
            try:
                report = attendance.import_attendance(
                    Actor.from_request(request), classroom, request.FILES["file"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, _("已导入 %(n)d 行。") % {"n": report.saved})
    rows = attendance.classroom_record(classroom)
    now = timezone.now()
    held = [(s, a) for s, a in rows if a is not None]
    return render(
        request,
        "portal/classrooms/record.html",
        {
            "classroom": classroom,
            "rows": [(s, a, sessions.status_label(s, now)) for s, a in rows],
            "form": form,
            "report": report,
            "can_record": can_record,
            "present_rate": (
                round(
                    100
                    * sum(a.present for _s, a in held)
                    / max(1, sum(a.expected for _s, a in held))
                )
                if held
                else None
            ),
        },
    )


@login_required
def my_workload(request):
    """The teacher's own 三个课堂 workload in a term of their region (issue 12 item 10)."""
    from youke.classrooms.domain import workload
    from youke.classrooms.enums import WorkKind
    from youke.classrooms.models import Term
    from youke.manage.views.classroom_workload import pick_term

    person = request.user
    terms = Term.objects.filter(unit__path__in=workload.ancestor_paths(person.unit.path)).order_by(
        "-starts_on", "id"
    )
    term = pick_term(terms, request.GET.get("term", ""))
    rows = workload.workload_rows(term, person=person) if term else []
    weights = workload.weights_for(person.unit)
    row = rows[0] if rows else None
    return render(
        request,
        "portal/classrooms/workload.html",
        {
            "terms": terms,
            "term": term,
            "lines": [
                (
                    kind.label,
                    row.counts.get(kind.value, 0) if row else 0,
                    weights[kind.value],
                    (row.counts.get(kind.value, 0) if row else 0) * weights[kind.value],
                )
                for kind in WorkKind
            ],
            "total": row.total if row else 0,
        },
    )
