"""People pages: scoped list with filters, create, edit, roles, password reset."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.forms import GrantForm, PersonCreateForm, PersonForm, ReasonForm
from youke.manage.views.common import admin_required, apply_errors, paginate, unit_by_code
from youke.orgs import rules
from youke.orgs.access import (
    access_manageable_grant,
    access_manageable_person,
    access_person,
    access_unit,
)
from youke.orgs.domain import people as people_domain
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role, TeacherTitle
from youke.orgs.models import RoleGrant


def filtered_people(request):
    people = rules.people_visible_to(request.user)
    unit_id = request.GET.get("unit", "")
    unit = None
    if unit_id.isdigit():
        unit = access_unit(request.user, int(unit_id))
        people = people.filter(unit__path__under=unit.path)
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(
            Q(full_name__contains=q) | Q(mobile__startswith=q) | Q(username__startswith=q)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        people = people.filter(grants__role=role).distinct()
    title = request.GET.get("title", "")
    if title in TeacherTitle.values and title:
        people = people.filter(title=title)
    status = request.GET.get("status", "active")
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "inactive":
        people = people.filter(is_active=False)
    return people, unit


@admin_required
def person_list(request):
    people, unit = filtered_people(request)
    people = (
        people.select_related("unit")
        .prefetch_related(Prefetch("grants", queryset=RoleGrant.objects.select_related("unit")))
        .order_by("unit__path", "full_name", "pk")
    )
    return render(
        request,
        "manage/person_list.html",
        {
            "page": paginate(request, people),
            "unit": unit,
            "filters": request.GET,
            "roles": Role.choices,
            "titles": [t for t in TeacherTitle.choices if t[0]],
        },
    )


@admin_required
def person_create(request):
    initial = {}
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        initial["unit_code"] = access_unit(request.user, int(unit_id)).code
    form = PersonCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = unit_by_code(request.user, data.pop("unit_code"))
        role = data.pop("role")
        if unit is None or not rules.covers(request.user, unit):
            form.add_error(
                "unit_code", _("找不到该代码的单位，或它不在您的管理范围内，请核对代码。")
            )
        else:
            try:
                person, password = people_domain.create_person(
                    Actor.from_request(request), unit, roles=(role,), **data
                )
            except PermissionDenied as exc:
                raise Http404("unit") from exc
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "已建立账号“%(name)s”，登录名 %(login)s，初始密码 %(pw)s（仅显示一次，请转告本人；首次登录须修改）。"
                    )
                    % {"name": person.full_name, "login": person.username, "pw": password},
                )
                return redirect("manage:person_detail", person.pk)
    return render(request, "manage/person_form.html", {"form": form})


@admin_required
def person_detail(request, person_id: int):
    person = access_person(request.user, person_id)
    can_change = rules.can_change_person(request.user, person)
    initial = {f: getattr(person, f) for f in ("full_name", "mobile", "email", "title")}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and can_change and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("id_card"):
            data.pop("id_card")  # blank keeps the stored number (only its tail is shown)
        try:
            people_domain.update_person(Actor.from_request(request), person, **data)
        except PermissionDenied as exc:
            raise Http404("person") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("人员信息已保存。"))
            return redirect("manage:person_detail", person.pk)
    profile = getattr(person, "expert_profile", None)
    areas = CourseNode.objects.filter(level__in=[NodeLevel.STAGE, NodeLevel.SUBJECT]).order_by(
        "path"
    )
    return render(
        request,
        "manage/person_detail.html",
        {
            "person": person,
            "form": form,
            "can_change": can_change,
            "grants": person.grants.select_related("unit").order_by("unit__path"),
            "grant_form": GrantForm(),
            "reason_form": ReasonForm(),
            "is_expert": person.grants.filter(role=Role.EXPERT).exists(),
            "areas": areas,
            "selected_areas": set(profile.areas.values_list("pk", flat=True)) if profile else set(),
            "audit": rules.audit_visible_to(request.user).filter(
                object_type="orgs.person", object_id=str(person.pk)
            )[:20],
        },
    )


def _domain_action(request, person, action, success):
    return run_action(
        request,
        action,
        success,
        redirect("manage:person_detail", person.pk),
        denied=_("您没有权限对该人员执行此操作。"),
    )


@admin_required
@require_POST
def person_reset_password(request, person_id: int):
    person = access_manageable_person(request.user, person_id)
    return _domain_action(
        request,
        person,
        lambda: people_domain.reset_password(Actor.from_request(request), person),
        lambda password: _(
            "已重置密码，临时密码 {result}（仅显示一次，请转告本人；登录后须立即修改）。"
        ).format(result=password),
    )


@admin_required
@require_POST
def person_set_active(request, person_id: int):
    person = access_manageable_person(request.user, person_id)
    active = request.POST.get("active") == "1"
    return _domain_action(
        request,
        person,
        lambda: people_domain.set_person_active(
            Actor.from_request(request), person, active, reason=request.POST.get("reason", "")
        ),
        _("账号已启用。") if active else _("账号已停用，历史记录保留。"),
    )


@admin_required
@require_POST
def person_move(request, person_id: int):
    person = access_manageable_person(request.user, person_id)
    unit = unit_by_code(request.user, request.POST.get("unit_code", ""))
    if unit is None or not rules.covers(request.user, unit):
        messages.error(request, _("找不到该代码的单位，或它不在您的管理范围内，请核对代码。"))
        return redirect("manage:person_detail", person.pk)
    return _domain_action(
        request,
        person,
        lambda: people_domain.move_person(
            Actor.from_request(request), person, unit, reason=request.POST.get("reason", "")
        ),
        lambda moved: _("已调动到“{result.unit.name}”。").format(result=moved),
    )


@admin_required
@require_POST
def grant_create(request, person_id: int):
    person = access_manageable_person(request.user, person_id)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写单位代码并选择角色。"))
        return redirect("manage:person_detail", person.pk)
    unit = unit_by_code(request.user, form.cleaned_data["unit_code"])
    if unit is None or not rules.covers(request.user, unit):
        messages.error(request, _("只能在您管理范围内的单位上授予角色，请核对单位代码。"))
        return redirect("manage:person_detail", person.pk)
    return _domain_action(
        request,
        person,
        lambda: people_domain.grant_role(
            Actor.from_request(request), person, unit, form.cleaned_data["role"]
        ),
        lambda grant: _("已授予角色：{result}。").format(result=grant),
    )


@admin_required
@require_POST
def grant_revoke(request, grant_id: int):
    grant = access_manageable_grant(request.user, grant_id)
    return _domain_action(
        request,
        grant.person,
        lambda: people_domain.revoke_role(
            Actor.from_request(request), grant, reason=request.POST.get("reason", "")
        ),
        _("角色已撤销。"),
    )


@admin_required
@require_POST
def expert_areas(request, person_id: int):
    person = access_manageable_person(request.user, person_id)
    ids = [int(v) for v in request.POST.getlist("areas") if v.isdigit()]
    return _domain_action(
        request,
        person,
        lambda: people_domain.set_expert_areas(
            Actor.from_request(request), person, ids, request.POST.get("note", "")
        ),
        _("评审学段/学科已保存。"),
    )
