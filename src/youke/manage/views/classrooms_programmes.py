"""名师课堂 and 名校网络课堂 admin pages: master registry, studios, R16 duty per semester,
pilot schools, network courses with their recording plan and the two-department review."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.classrooms import rules
from youke.classrooms.access import access_course
from youke.classrooms.domain import duty, masters, network
from youke.classrooms.enums import (
    DUTY_TITLES,
    CourseState,
    Department,
    PilotKind,
    StudioRole,
    Verdict,
)
from youke.classrooms.models import PilotSchool, PlannedLesson, Studio
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.classrooms import (
    person_by_login,
    region_units,
    staff_required,
    visible_terms,
)
from youke.manage.views.common import apply_errors
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role, TeacherTitle
from youke.orgs.models import Unit
from youke.portal.network_views import recordings_context
from youke.public import classroom_replay

MASTER_ROLES = (Role.UNIT_ADMIN, Role.RESEARCH)


class MasterForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("登记单位"))
    username = forms.CharField(label=gettext_lazy("教师（用户名或手机号）"), max_length=64)
    title = forms.ChoiceField(
        label=gettext_lazy("称号"),
        choices=[(t, TeacherTitle(t).label) for t in DUTY_TITLES],
    )
    subject = forms.CharField(label=gettext_lazy("学科"), max_length=32)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class StudioForm(forms.Form):
    host = forms.ModelChoiceField(label=gettext_lazy("主持名师"), queryset=None)
    name = forms.CharField(label=gettext_lazy("工作室名称"), max_length=100)
    subject = forms.CharField(label=gettext_lazy("学科"), max_length=32)

    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("教师（用户名或手机号）"), max_length=64)
    role = forms.ChoiceField(label=gettext_lazy("身份"), choices=StudioRole.choices)


@staff_required
def masters_view(request):
    person = request.user
    units = region_units(person, roles=MASTER_ROLES)
    registry = rules.masters_visible_to(person).select_related("person", "unit")
    form = MasterForm(request.POST or None, units=units, prefix="master")
    studio_form = StudioForm(request.POST or None, hosts=registry, prefix="studio")
    if request.method == "POST" and "master-username" in request.POST and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["unit"])
        teacher = person_by_login(data["username"])
        if teacher is None:
            form.add_error("username", _("没有这个用户，请核对用户名或手机号。"))
        else:
            try:
                masters.register_master(
                    Actor.from_request(request),
                    unit,
                    teacher,
                    title=data["title"],
                    subject=data["subject"],
                )
            except PermissionDenied as exc:
                raise Http404("unit") from exc
            except ValidationError as exc:
                apply_errors(form, exc, {"person": "username"})
            else:
                messages.success(request, _("已登记到名师库。"))
                return redirect("manage_classrooms:masters")
    if request.method == "POST" and "studio-name" in request.POST and studio_form.is_valid():
        data = studio_form.cleaned_data
        try:
            studio = masters.create_studio(
                Actor.from_request(request),
                data["host"],
                name=data["name"],
                subject=data["subject"],
            )
        except PermissionDenied as exc:
            raise Http404("master") from exc
        messages.success(request, _("已建立工作室，请添加成员和培育对象。"))
        return redirect("manage_classrooms:studio", studio.pk)
    terms = list(visible_terms(person).order_by("-starts_on"))
    term = next(
        (t for t in terms if str(t.pk) == request.GET.get("term")), terms[0] if terms else None
    )
    roots = region_units(person, roles=tuple(rules.STAFF_ROLES))
    rows = []
    if term is not None:
        for root in roots or [term.unit]:
            rows.extend(duty.duty_rows(term, root))
    studios = (
        Studio.objects.filter(host__in=registry)
        .select_related("host__person")
        .annotate(
            members_count=Count("members", filter=Q(members__role=StudioRole.MEMBER)),
            trainees_count=Count("members", filter=Q(members__role=StudioRole.TRAINEE)),
        )
    )
    return render(
        request,
        "manage/classrooms/masters.html",
        {
            "registry": registry.order_by("unit__path", "id"),
            "form": form if units else None,
            "studio_form": studio_form if units else None,
            "studios": studios,
            "terms": terms,
            "term": term,
            "duty": rows,
            "missing": [r for r in rows if not r.done],
        },
    )


@staff_required
def studio_view(request, studio_id: int):
    studio = (
        Studio.objects.filter(pk=studio_id, host__in=rules.masters_visible_to(request.user))
        .select_related("host__person", "unit")
        .first()
    )
    if studio is None:
        raise Http404("studio")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        teacher = person_by_login(form.cleaned_data["username"])
        if teacher is None:
            form.add_error("username", _("没有这个用户，请核对用户名或手机号。"))
        else:
            try:
                masters.add_studio_member(
                    Actor.from_request(request), studio, teacher, role=form.cleaned_data["role"]
                )
            except PermissionDenied as exc:
                raise Http404("studio") from exc
            except ValidationError as exc:
                apply_errors(form, exc, {"person": "username"})
            else:
                messages.success(request, _("已加入工作室。"))
                return redirect("manage_classrooms:studio", studio.pk)
    return render(
        request,
        "manage/classrooms/studio.html",
        {
            "studio": studio,
            "members": studio.members.select_related("person__unit").order_by("role", "id"),
            "lessons": studio.lessons.order_by("-starts_at"),
            "form": form,
        },
    )


# --- 名校网络课堂 ------------------------------------------------------------------------------


class PilotForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("登记单位"))
    school_code = forms.CharField(label=gettext_lazy("学校代码"), max_length=20)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=PilotKind.choices)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class CourseForm(forms.Form):
    pilot = forms.ModelChoiceField(label=gettext_lazy("试点校"), queryset=None)
    title = forms.CharField(label=gettext_lazy("课程名称"), max_length=200)
    subject = forms.CharField(label=gettext_lazy("学科"), max_length=32)
    grade = forms.CharField(label=gettext_lazy("年级"), max_length=32)

    def __init__(self, *args, pilots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = pilots


class PlannedLessonForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("课题"), max_length=200)
    teacher_username = forms.CharField(
        label=gettext_lazy("授课教师（用户名或手机号）"), max_length=64
    )
    planned_on = forms.DateField(
        label=gettext_lazy("计划录制日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recording_url = forms.URLField(
        label=gettext_lazy("录像地址"), max_length=500, required=False, assume_scheme="https"
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=gettext_lazy("结论"), choices=Verdict.choices)
    comment = forms.CharField(
        label=gettext_lazy("意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _pilots(person):
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    pilots = PilotSchool.objects.select_related("school", "registered_by")
    if paths is None:
        return pilots
    if not paths:
        return pilots.none()
    from youke.orgs.rules import subtree_q

    return pilots.filter(subtree_q(paths, "school__path") | subtree_q(paths, "registered_by__path"))


@staff_required
def network_view(request):
    person = request.user
    units = region_units(person, roles=(Role.UNIT_ADMIN, Role.RESEARCH, Role.ELEARNING))
    pilots = _pilots(person)
    editable = [p.pk for p in pilots if rules.can_write_courses(person, p)]
    pilot_form = PilotForm(request.POST or None, units=units, prefix="pilot")
    course_form = CourseForm(
        request.POST or None, pilots=pilots.filter(pk__in=editable), prefix="course"
    )
    if request.method == "POST" and "pilot-school_code" in request.POST and pilot_form.is_valid():
        data = pilot_form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["unit"])
        school = Unit.objects.filter(code=data["school_code"].strip()).first()
        if school is None:
            pilot_form.add_error("school_code", _("没有这个单位代码，请核对。"))
        else:
            try:
                network.register_pilot(Actor.from_request(request), unit, school, kind=data["kind"])
            except PermissionDenied as exc:
                raise Http404("unit") from exc
            except ValidationError as exc:
                apply_errors(pilot_form, exc, {"school": "school_code"})
            else:
                messages.success(request, _("已登记试点校。"))
                return redirect("manage_classrooms:network")
    if request.method == "POST" and "course-title" in request.POST and course_form.is_valid():
        data = course_form.cleaned_data
        try:
            course = network.create_course(
                Actor.from_request(request),
                data["pilot"],
                title=data["title"],
                subject=data["subject"],
                grade=data["grade"],
            )
        except PermissionDenied as exc:
            raise Http404("pilot") from exc
        messages.success(request, _("已建立课程，请填写录制计划。"))
        return redirect("manage_classrooms:course", course.pk)
    courses = (
        rules.courses_visible_to(person)
        .select_related("pilot__school")
        .prefetch_related("reviews")
        .annotate(lesson_count=Count("lessons"))
    )
    return render(
        request,
        "manage/classrooms/network.html",
        {
            "pilots": pilots,
            "courses": [(c, network.waiting_on(c)) for c in courses],
            "pilot_form": pilot_form if units else None,
            "course_form": course_form if editable else None,
        },
    )


@staff_required
def course_view(request, course_id: int):
    person = request.user
    course = access_course(person, course_id)
    can_edit = rules.can_edit_course(person, course) and course.state in network.EDITABLE
    department = rules.review_department(person, course)
    lesson_form = PlannedLessonForm(request.POST or None, prefix="lesson")
    if request.method == "POST" and can_edit and lesson_form.is_valid():
        data = lesson_form.cleaned_data
        teacher = person_by_login(data["teacher_username"])
        if teacher is None:
            lesson_form.add_error("teacher_username", _("没有这个用户，请核对用户名或手机号。"))
        else:
            try:
                network.add_planned_lesson(
                    Actor.from_request(request),
                    course,
                    title=data["title"],
                    teacher=teacher,
                    planned_on=data["planned_on"],
                    recording_url=data["recording_url"],
                )
            except ValidationError as exc:
                apply_errors(lesson_form, exc, {"teacher": "teacher_username"})
            else:
                messages.success(request, _("已加入录制计划。"))
                return redirect("manage_classrooms:course", course.pk)
    reviews = list(course.reviews.select_related("reviewer"))
    decided = {r.department for r in reviews if r.round == course.review_round}
    lessons = list(course.lessons.select_related("teacher", "recording"))
    return render(
        request,
        "manage/classrooms/course.html",
        {
            "course": course,
            "lessons": lessons,
            **recordings_context(person, lessons, "manage_classrooms:recording"),
            "can_record": rules.can_edit_course(person, course)
            and course.state in network.EDITABLE,
            "can_withdraw": course.state == CourseState.SHARED
            and (rules.can_edit_course(person, course) or department is not None),
            "library_course": getattr(course, "library_course", None),
            "reviews": reviews,
            "can_edit": can_edit,
            "lesson_form": lesson_form,
            "department": Department(department).label if department else "",
            "can_review": department is not None
            and course.state == CourseState.IN_REVIEW
            and department not in decided,
            "review_form": ReviewForm(),
            "waiting": network.waiting_on(course),
        },
    )


def _recording(request, lesson_id: int):
    """The planned lesson's uploaded recording for whoever sees the course; 404 else."""
    lesson = (
        PlannedLesson.objects.filter(
            pk=lesson_id, course__in=rules.courses_visible_to(request.user)
        )
        .select_related("recording")
        .first()
    )
    if lesson is None or lesson.recording is None:
        raise Http404("recording")
    return lesson.recording


@staff_required
@require_POST
def course_withdraw(request, course_id: int):
    course = access_course(request.user, course_id)
    return run_action(
        request,
        lambda: network.withdraw_course(
            Actor.from_request(request), course, reason=request.POST.get("reason", "")
        ),
        _("已撤回共享：课程已从资源库下架，修改后可重新送审。"),
        redirect("manage_classrooms:course", course.pk),
    )


@staff_required
@require_POST
def course_submit(request, course_id: int):
    course = access_course(request.user, course_id)
    return run_action(
        request,
        lambda: network.submit_course(Actor.from_request(request), course),
        _("已送审：教研室审内容，电教馆审技术，两家都通过后课程共享。"),
        redirect("manage_classrooms:course", course.pk),
    )


@staff_required
@require_POST
def course_review(request, course_id: int):
    course = access_course(request.user, course_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论。"))
        return redirect("manage_classrooms:course", course.pk)
    return run_action(
        request,
        lambda: network.review_course(Actor.from_request(request), course, **form.cleaned_data),
        _("已保存审核意见。"),
        redirect("manage_classrooms:course", course.pk),
    )


@staff_required
@require_POST
def lesson_recording(request, course_id: int, lesson_id: int):
    course = access_course(request.user, course_id)
    lesson = PlannedLesson.objects.filter(course=course, pk=lesson_id).first()
    if lesson is None:
        raise Http404("lesson")
    field = forms.URLField(max_length=500, assume_scheme="https")
    try:
        url = field.clean(request.POST.get("recording_url", ""))
    except ValidationError:
        messages.error(request, _("录像地址须是 http 或 https 开头的网址。"))
        return redirect("manage_classrooms:course", course.pk)
    return run_action(
        request,
        lambda: network.set_recording(Actor.from_request(request), lesson, url),
        _("已保存录像地址。"),
        redirect("manage_classrooms:course", course.pk),
    )


_recording_files = classroom_replay.file_views(_recording, staff_required)
recording_play = _recording_files.play
recording_hls = _recording_files.hls
recording_poster = _recording_files.poster
recording_thumbnail = _recording_files.thumbnail
recording_position = _recording_files.position
