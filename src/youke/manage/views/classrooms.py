"""专递课堂 admin pages: terms and days off, groups with their classrooms and timetable,
session generation and the registry (汇总备案). Every rule is in ``classrooms``."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.classrooms import rules
from youke.classrooms.access import access_group
from youke.classrooms.domain import feeds, registry, sessions, timetable
from youke.classrooms.models import ClassSession, ReceivingClassroom, Term
from youke.core.actor import Actor
from youke.manage.classroom_forms import (
    ClassroomForm,
    GroupForm,
    LocalPeriodForm,
    PeriodForm,
    TermDayForm,
    TermForm,
    split_subjects,
)
from youke.manage.views.common import apply_errors
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import REGION_KINDS, Role
from youke.orgs.models import Person, Unit
from youke.orgs.rules import active_grants


def staff_required(view):
    """三个课堂 admin pages exist for unit admins, research and e-learning staff; 404 else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.is_staff(request.user):
            raise Http404("not staff")
        return view(request, *args, **kwargs)

    return wrapper


def region_units(person, roles=(Role.UNIT_ADMIN, Role.ELEARNING)) -> list[Unit]:
    """Regions (county and up) where the person may register: the forms' unit choices."""
    if person.is_platform_admin:
        return list(Unit.objects.filter(kind__in=REGION_KINDS, depth__lte=4).order_by("path"))
    units = {g.unit.pk: g.unit for g in active_grants(person) if g.role in roles}
    return [u for u in units.values() if u.kind in REGION_KINDS]


def visible_terms(person):
    """Terms set at any unit above or at one of the person's units (or under their scope)."""
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    if paths is None:
        return Term.objects.all()
    ancestors = {p[:i] for p in paths for i in range(4, len(p) + 1, 4)}
    condition = Q(unit__path__in=ancestors)
    for path in paths:
        condition |= Q(unit__path__under=path)
    return Term.objects.filter(condition).select_related("unit")


def person_by_login(value: str) -> Person | None:
    value = value.strip()
    if not value:
        return None
    return Person.objects.select_related("unit").filter(Q(username=value) | Q(mobile=value)).first()


@staff_required
def index(request):
    person = request.user
    groups = (
        rules.groups_visible_to(person)
        .select_related("term", "host_school", "unit")
        .annotate(classroom_count=Count("classrooms", distinct=True))
        .order_by("-term__starts_on", "name")
    )
    units = region_units(person)
    term_form = TermForm(request.POST or None, units=units, prefix="term")
    if request.method == "POST" and term_form.is_valid():
        unit = next(u for u in units if str(u.pk) == term_form.cleaned_data["unit"])
        try:
            term = timetable.create_term(
                Actor.from_request(request),
                unit,
                name=term_form.cleaned_data["name"],
                starts_on=term_form.cleaned_data["starts_on"],
                ends_on=term_form.cleaned_data["ends_on"],
                required_subjects=split_subjects(term_form.cleaned_data["required_subjects"]),
            )
        except PermissionDenied as exc:
            raise Http404("unit") from exc
        except ValidationError as exc:
            apply_errors(term_form, exc)
        else:
            messages.success(request, _("已创建学期，请登记放假和调休日期。"))
            return redirect("manage_classrooms:term_detail", term.pk)
    return render(
        request,
        "manage/classrooms/index.html",
        {
            "groups": groups[:200],
            "terms": visible_terms(person).order_by("-starts_on")[:20],
            "term_form": term_form if units else None,
            "can_register": bool(units),
        },
    )


def _term(person, term_id: int) -> Term:
    term = visible_terms(person).filter(pk=term_id).first()
    if term is None:
        raise Http404("term")
    return term


@staff_required
def term_detail(request, term_id: int):
    term = _term(request.user, term_id)
    form = TermDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            timetable.add_term_day(Actor.from_request(request), term, **form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404("term") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已保存。已生成的课节不会自动改动：请在各分组页重新生成课节。")
            )
            return redirect("manage_classrooms:term_detail", term.pk)
    return render(
        request,
        "manage/classrooms/term.html",
        {
            "term": term,
            "days": term.days.all(),
            "form": form,
            "can_edit": rules.can_register_groups(request.user, term.unit),
        },
    )


@staff_required
def group_create(request):
    person = request.user
    units = region_units(person)
    if not units:
        raise Http404("no region")
    form = GroupForm(request.POST or None, units=units, terms=visible_terms(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["unit"])
        host = Unit.objects.filter(code=data["host_school_code"].strip()).first()
        if host is None:
            form.add_error("host_school_code", _("没有这个单位代码，请核对。"))
        else:
            try:
                group = timetable.register_group(
                    Actor.from_request(request),
                    unit,
                    term=data["term"],
                    name=data["name"],
                    mode=data["mode"],
                    host_school=host,
                    host_classroom=data["host_classroom"],
                    subjects=split_subjects(data["subjects"]),
                )
            except PermissionDenied as exc:
                raise Http404("unit") from exc
            except ValidationError as exc:
                apply_errors(form, exc, {"host_school": "host_school_code"})
            else:
                messages.success(request, _("已登记分组，请添加听讲班级和课表。"))
                return redirect("manage_classrooms:group_detail", group.pk)
    return render(request, "manage/classrooms/group_form.html", {"form": form})


def _group_context(request, group, **forms_):
    classrooms = list(
        group.classrooms.select_related("school", "assistant").prefetch_related("local_periods")
    )
    periods = list(group.periods.select_related("host_teacher"))
    counts = dict(
        ClassSession.objects.filter(group=group)
        .values_list("period_id")
        .annotate(n=Count("id"))
        .values_list("period_id", "n")
    )
    upcoming = list(sessions.group_of_sessions(group).filter(ends_at__gte=_now())[:10])
    can_edit = rules.can_edit_timetable(request.user, group)
    context = {
        "group": group,
        "classrooms": classrooms,
        "periods": [(p, counts.get(p.pk, 0)) for p in periods],
        "upcoming": [(s, sessions.status_label(s)) for s in upcoming],
        "can_edit": can_edit,
        "classroom_form": ClassroomForm(prefix="room"),
        "period_form": PeriodForm(prefix="period", subjects=group.subjects),
        "local_form": LocalPeriodForm(prefix="local"),
    }
    context.update(forms_)
    return context


def _now():
    from django.utils import timezone

    return timezone.now()


@staff_required
def group_detail(request, group_id: int):
    group = access_group(request.user, group_id)
    return render(request, "manage/classrooms/group.html", _group_context(request, group))


@staff_required
@require_POST
def classroom_add(request, group_id: int):
    group = access_group(request.user, group_id)
    form = ClassroomForm(request.POST, prefix="room")
    if form.is_valid():
        data = form.cleaned_data
        school = Unit.objects.filter(code=data["school_code"].strip()).first()
        assistant = person_by_login(data["assistant_username"])
        if school is None:
            form.add_error("school_code", _("没有这个单位代码，请核对。"))
        elif data["assistant_username"].strip() and assistant is None:
            form.add_error("assistant_username", _("没有这个用户，请核对用户名或手机号。"))
        else:
            try:
                timetable.add_classroom(
                    Actor.from_request(request),
                    group,
                    school=school,
                    name=data["name"],
                    students=data["students"],
                    assistant=assistant,
                )
            except PermissionDenied as exc:
                raise Http404("group") from exc
            except ValidationError as exc:
                apply_errors(
                    form, exc, {"school": "school_code", "assistant": "assistant_username"}
                )
            else:
                messages.success(request, _("已添加听讲班级。"))
                return redirect("manage_classrooms:group_detail", group.pk)
    return render(
        request, "manage/classrooms/group.html", _group_context(request, group, classroom_form=form)
    )


@staff_required
@require_POST
def period_add(request, group_id: int):
    group = access_group(request.user, group_id)
    form = PeriodForm(request.POST, prefix="period", subjects=group.subjects)
    if form.is_valid():
        data = dict(form.cleaned_data)
        teacher = person_by_login(data.pop("host_teacher_username"))
        if teacher is None:
            form.add_error("host_teacher_username", _("没有这个用户，请核对用户名或手机号。"))
        else:
            try:
                timetable.save_period(
                    Actor.from_request(request), group, host_teacher=teacher, **data
                )
            except PermissionDenied as exc:
                raise Http404("group") from exc
            except ValidationError as exc:
                apply_errors(form, exc, {"host_teacher": "host_teacher_username"})
            else:
                messages.success(request, _("已加入课表。点“生成课节”后各班即可看到。"))
                return redirect("manage_classrooms:group_detail", group.pk)
    return render(
        request, "manage/classrooms/group.html", _group_context(request, group, period_form=form)
    )


@staff_required
@require_POST
def local_period_add(request, group_id: int, classroom_id: int):
    group = access_group(request.user, group_id)
    classroom = ReceivingClassroom.objects.filter(group=group, pk=classroom_id).first()
    if classroom is None:
        raise Http404("classroom")
    form = LocalPeriodForm(request.POST, prefix="local")
    if form.is_valid():
        try:
            timetable.add_local_period(Actor.from_request(request), classroom, **form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404("classroom") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记本校课节。"))
            return redirect("manage_classrooms:group_detail", group.pk)
    return render(
        request, "manage/classrooms/group.html", _group_context(request, group, local_form=form)
    )


@staff_required
@require_POST
def sessions_generate(request, group_id: int):
    group = access_group(request.user, group_id)
    if not rules.can_edit_timetable(request.user, group):
        raise Http404("group")
    made = sessions.generate_sessions([group])
    messages.success(
        request,
        _("已生成 %(created)d 节课，移除 %(removed)d 节不再排课的未来课节。")
        % {"created": made.created, "removed": made.removed},
    )
    return redirect("manage_classrooms:group_detail", group.pk)


@staff_required
def registry_view(request):
    person = request.user
    terms = list(visible_terms(person).order_by("-starts_on"))
    roots = [u for u in region_units(person, roles=tuple(rules.STAFF_ROLES))]
    term = next(
        (t for t in terms if str(t.pk) == request.GET.get("term")), terms[0] if terms else None
    )
    unit = next(
        (u for u in roots if str(u.pk) == request.GET.get("unit")), roots[0] if roots else None
    )
    rows = registry.registry(unit, term) if unit and term else []
    return render(
        request,
        "manage/classrooms/registry.html",
        {
            "terms": terms,
            "units": roots,
            "term": term,
            "unit": unit,
            # Joined here: 150 rows × three template filters was most of the page's time.
            "rows": [
                (
                    row.school_name,
                    row.school_kind,
                    "、".join(row.groups) or "—",
                    "、".join(row.covered) or "—",
                    "、".join(row.missing),
                )
                for row in rows
            ],
            "registry_rows": rows,
            "missing_total": sum(len(r.missing) for r in rows),
            "lacking": sum(1 for r in rows if r.missing),
        },
    )


@staff_required
def classroom_feed(request, group_id: int, classroom_id: int):
    group = access_group(request.user, group_id)
    classroom = ReceivingClassroom.objects.filter(group=group, pk=classroom_id).first()
    if classroom is None:
        raise Http404("classroom")
    feed = feeds.feed_for_classroom(classroom)
    return redirect(reverse("public_classrooms:feed", args=[feed.token]))
