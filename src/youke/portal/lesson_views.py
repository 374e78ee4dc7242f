"""名师课堂 for teachers: lessons open to them, registration, 评课, discussion, the host's
summary, and scheduling for registered master teachers."""

from __future__ import annotations

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
from youke.classrooms.access import access_lesson
from youke.classrooms.domain import masters, replays
from youke.classrooms.enums import LessonKind, LessonMode, LessonState
from youke.classrooms.models import DiscussionPost, LessonRegistration, MasterTeacher
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import apply_errors
from youke.portal.classroom_views import replay_metadata
from youke.public import classroom_replay


class LessonForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("课题"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=LessonKind.choices)
    mode = forms.ChoiceField(label=gettext_lazy("方式"), choices=LessonMode.choices)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    live_url = forms.URLField(
        label=gettext_lazy("直播或回放链接"), max_length=500, required=False, assume_scheme="https"
    )
    studio = forms.ModelChoiceField(label=gettext_lazy("工作室"), queryset=None, required=False)

    def __init__(self, *args, studios=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios


def _text(label):
    return forms.CharField(label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    goals = _text(gettext_lazy("教学目标"))
    process = _text(gettext_lazy("教学过程"))
    engagement = _text(gettext_lazy("学生参与"))
    technology = _text(gettext_lazy("信息技术运用"))
    rating = forms.TypedChoiceField(
        label=gettext_lazy("总体评价"), choices=[(i, "★" * i) for i in range(5, 0, -1)], coerce=int
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("参与讨论"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("主持人总结"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


@login_required
def lessons(request):
    person = request.user
    master = (
        MasterTeacher.objects.filter(person=person, is_active=True).select_related("unit").first()
    )
    form = (
        LessonForm(request.POST or None, studios=master.studios.all() if master else None)
        if master
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            lesson = masters.schedule_lesson(
                Actor.from_request(request), master, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已安排示范课，辖区内教师可以报名。"))
            return redirect("portal_classrooms:lesson", lesson.pk)
    visible = rules.lessons_visible_to(person).select_related("master__person", "unit")
    now = timezone.now()
    registered = set(
        LessonRegistration.objects.filter(person=person).values_list("lesson_id", flat=True)
    )
    return render(
        request,
        "portal/classrooms/lessons.html",
        {
            "upcoming": visible.filter(ends_at__gte=now)
            .exclude(state=LessonState.CANCELLED)
            .order_by("starts_at")[:50],
            "past": visible.filter(ends_at__lt=now).order_by("-starts_at")[:50],
            "registered": registered,
            "form": form,
        },
    )


@login_required
def lesson(request, lesson_id: int):
    person = request.user
    lesson = access_lesson(person, lesson_id)
    mine = lesson.evaluations.filter(author=person).first()
    can_manage = rules.can_manage_lesson(person, lesson)
    return render(
        request,
        "portal/classrooms/lesson.html",
        {
            **classroom_replay.replay_context(
                person, lesson.replay, "portal_classrooms:lesson_replay", lesson.pk
            ),
            "replay_metadata": replay_metadata(lesson=lesson.pk) if can_manage else "",
            "replay_remove_url": reverse(
                "portal_classrooms:lesson_replay_remove", args=[lesson.pk]
            ),
            "lesson": lesson,
            "started": lesson.starts_at <= timezone.now(),
            "registered": LessonRegistration.objects.filter(lesson=lesson, person=person).exists(),
            "registrations": lesson.registrations.count(),
            "evaluations": lesson.evaluations.select_related("author__unit"),
            "posts": DiscussionPost.objects.filter(lesson=lesson).select_related(
                "author", "reply_to__author"
            ),
            "can_manage": can_manage,
            "is_master": lesson.master.person_id == person.pk,
            "evaluation_form": EvaluationForm(
                initial={f: getattr(mine, f) for f in EvaluationForm.base_fields} if mine else None
            ),
            "post_form": PostForm(),
            "summary_form": SummaryForm(initial={"summary": lesson.summary}),
        },
    )


def _done(lesson):
    return redirect("portal_classrooms:lesson", lesson.pk)


@login_required
@require_POST
def lesson_register(request, lesson_id: int):
    lesson = access_lesson(request.user, lesson_id)
    return run_action(
        request,
        lambda: masters.register_for_lesson(Actor.from_request(request), lesson),
        _("已报名，开课后可以观看并评课。"),
        _done(lesson),
    )


@login_required
@require_POST
def lesson_evaluate(request, lesson_id: int):
    lesson = access_lesson(request.user, lesson_id)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{errors[0]}")
        return _done(lesson)
    return run_action(
        request,
        lambda: masters.evaluate_lesson(Actor.from_request(request), lesson, **form.cleaned_data),
        _("已提交评课。"),
        _done(lesson),
    )


@login_required
@require_POST
def lesson_post(request, lesson_id: int):
    lesson = access_lesson(request.user, lesson_id)
    reply_to = None
    if request.POST.get("reply_to"):
        reply_to = DiscussionPost.objects.filter(lesson=lesson, pk=request.POST["reply_to"]).first()
    return run_action(
        request,
        lambda: masters.post_discussion(
            Actor.from_request(request), lesson, request.POST.get("body", "")[:2000], reply_to
        ),
        _("已发表。"),
        _done(lesson),
    )


@login_required
@require_POST
def lesson_summary(request, lesson_id: int):
    lesson = access_lesson(request.user, lesson_id)
    return run_action(
        request,
        lambda: masters.summarise_lesson(
            Actor.from_request(request), lesson, request.POST.get("summary", "")[:5000]
        ),
        _("已保存总结。"),
        _done(lesson),
    )


@login_required
@require_POST
def lesson_cancel(request, lesson_id: int):
    lesson = access_lesson(request.user, lesson_id)
    return run_action(
        request,
        lambda: masters.set_lesson_state(
            Actor.from_request(request),
            lesson,
            LessonState.CANCELLED,
            reason=request.POST.get("reason", "")[:200],
        ),
        _("已取消这节示范课。"),
        _done(lesson),
    )


@login_required
@require_POST
def lesson_replay_remove(request, lesson_id: int):
    lesson = access_lesson(request.user, lesson_id)
    return run_action(
        request,
        lambda: replays.remove_replay(Actor.from_request(request), lesson),
        _("已撤下回放。"),
        _done(lesson),
    )


def _lesson_replay(request, lesson_id: int):
    """The lesson's replay for whoever sees the lesson (``lessons_visible_to``); 404 else."""
    lesson = access_lesson(request.user, lesson_id)
    if lesson.replay is None:
        raise Http404("replay")
    return lesson.replay


_lesson_replay_files = classroom_replay.file_views(_lesson_replay, login_required)
lesson_replay_play = _lesson_replay_files.play
lesson_replay_hls = _lesson_replay_files.hls
lesson_replay_poster = _lesson_replay_files.poster
lesson_replay_thumbnail = _lesson_replay_files.thumbnail
lesson_replay_position = _lesson_replay_files.position
