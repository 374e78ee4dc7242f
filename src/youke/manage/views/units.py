"""Unit pages: scoped list, detail with children and contact sheet, create/edit/move."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.manage.forms import ContactForm, MoveForm, ReasonForm, UnitEditForm, UnitForm
from youke.manage.views.common import (
    admin_required,
    apply_errors,
    paginate,
    scope_roots,
    unit_by_code,
)
from youke.orgs import rules
from youke.orgs.access import access_unit
from youke.orgs.domain import units as units_domain
from youke.orgs.enums import AreaType, ContactRole, UnitKind
from youke.orgs.models import Contact, Unit


def _filtered_units(request):
    units = rules.units_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(Q(name__contains=q) | Q(code__startswith=q))
    kind = request.GET.get("kind", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    area = request.GET.get("area_type", "")
    if area in AreaType.values:
        units = units.filter(area_type=area)
    if request.GET.get("missing_contact"):
        units = units.exclude(kind=UnitKind.TEACHING_POINT).exclude(
            Exists(Contact.objects.filter(unit=OuterRef("pk"), role=ContactRole.CONTACT))
        )
    if not request.GET.get("inactive"):
        units = units.filter(is_active=True)
    return units


@admin_required
def unit_list(request):
    units = _filtered_units(request).annotate(people_count=Count("people")).order_by("path")
    page = paginate(request, units)
    return render(
        request,
        "manage/unit_list.html",
        {
            "page": page,
            "roots": scope_roots(request.user),
            "kinds": UnitKind.choices,
            "areas": AreaType.choices,
            "filters": request.GET,
        },
    )


@admin_required
def unit_detail(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    if not rules.can_change_unit(request.user, unit):
        raise Http404("unit")
    children = (
        Unit.objects.filter(path__under=unit.path, depth=unit.depth + 1)
        .annotate(people_count=Count("people"))
        .order_by("path")
    )
    ancestors = [a for a in unit.get_ancestors() if rules.can_change_unit(request.user, a)]
    contacts = {c.role: c for c in unit.contacts.all()}
    return render(
        request,
        "manage/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": paginate(request, children),
            "contacts": [(role, label, contacts.get(role)) for role, label in ContactRole.choices],
            "people_count": unit.people.count(),
            "subtree_people": rules.people_visible_to(request.user)
            .filter(unit__path__under=unit.path)
            .count(),
            "can_restructure": rules.can_restructure_unit(request.user, unit),
            "child_form": UnitForm(),
            "contact_form": ContactForm(),
        },
    )


@admin_required
def unit_create(request, parent_id: int):
    parent = access_unit(request.user, parent_id)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = units_domain.create_unit(
                Actor.from_request(request), parent, **form.cleaned_data
            )
        except units_domain.PermissionDenied as exc:
            raise Http404("unit") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建单位“%(name)s”。") % {"name": unit.name})
            return redirect("manage:unit_detail", unit.pk)
    return render(request, "manage/unit_form.html", {"form": form, "parent": parent})


@admin_required
def unit_edit(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    initial = {f: getattr(unit, f) for f in ("name", "code", "area_type", "stage", "address")}
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            units_domain.update_unit(Actor.from_request(request), unit, **form.cleaned_data)
        except units_domain.PermissionDenied as exc:
            raise Http404("unit") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("单位信息已保存。"))
            return redirect("manage:unit_detail", unit.pk)
    return render(request, "manage/unit_form.html", {"form": form, "unit": unit})


@admin_required
def unit_move(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parent = unit_by_code(request.user, form.cleaned_data["parent_code"])
        if parent is None:
            form.add_error(
                "parent_code", _("找不到该代码的单位，或它不在您的管理范围内，请核对代码。")
            )
        else:
            try:
                units_domain.move_unit(
                    Actor.from_request(request), unit, parent, reason=form.cleaned_data["reason"]
                )
            except units_domain.PermissionDenied:
                form.add_error(None, _("您没有权限移动该单位，需由其上级单位的管理员操作。"))
            except ValidationError as exc:
                apply_errors(form, exc, {"parent": "parent_code"})
            else:
                messages.success(
                    request,
                    _("已将“%(u)s”移动到“%(p)s”之下。") % {"u": unit.name, "p": parent.name},
                )
                return redirect("manage:unit_detail", unit.pk)
    return render(request, "manage/unit_move.html", {"form": form, "unit": unit})


@admin_required
@require_POST
def unit_set_active(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    actor = Actor.from_request(request)
    activate = request.POST.get("active") == "1"
    form = ReasonForm(request.POST)
    try:
        if activate:
            units_domain.reactivate_unit(actor, unit, reason=request.POST.get("reason", ""))
            messages.success(request, _("单位已启用。"))
        else:
            reason = form.data.get("reason", "")
            units_domain.deactivate_unit(actor, unit, reason=reason)
            messages.success(request, _("单位及其下级单位已停用；人员和历史记录均保留。"))
    except units_domain.PermissionDenied:
        messages.error(request, _("您没有权限停用或启用该单位，需由其上级单位的管理员操作。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("manage:unit_detail", unit.pk)


@admin_required
@require_POST
def unit_delete(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    parent = unit.get_parent()
    try:
        units_domain.delete_unit(Actor.from_request(request), unit)
    except units_domain.PermissionDenied:
        messages.error(request, _("您没有权限删除该单位，需由其上级单位的管理员操作。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除单位“%(name)s”。") % {"name": unit.name})
        return redirect("manage:unit_detail", parent.pk) if parent else redirect("manage:unit_list")
    return redirect("manage:unit_detail", unit.pk)


@admin_required
@require_POST
def contact_save(request, unit_id: int):
    unit = access_unit(request.user, unit_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        role = data.pop("role")
        try:
            units_domain.save_contact(Actor.from_request(request), unit, role, **data)
        except units_domain.PermissionDenied as exc:
            raise Http404("unit") from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("联系表已保存。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("manage:unit_detail", unit.pk)
