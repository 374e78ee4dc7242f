"""What each role sees after log-in: what it can do and what waits for it."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from youke.core.enums import JobState
from youke.core.models import Job
from youke.orgs import rules
from youke.orgs.enums import ContactRole, Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit
from youke.portal.roles import RoleChoice


def _scope_unit(person, active: RoleChoice | None) -> Unit | None:
    if active is None or active.unit_id is None:
        return None
    return Unit.objects.filter(pk=active.unit_id).first()


def _unit_stats(unit: Unit | None) -> dict:
    units = Unit.objects.filter(is_active=True)
    people = Person.objects.filter(is_active=True)
    if unit is not None:
        units = units.filter(path__under=unit.path)
        people = people.filter(unit__path__under=unit.path)
    # order_by() drops the tree ordering, which would otherwise split the GROUP BY per row.
    by_kind = dict(units.order_by().values_list("kind").annotate(n=Count("id")))
    teachers = RoleGrant.objects.filter(role=Role.TEACHER, person__is_active=True)
    if unit is not None:
        teachers = teachers.filter(unit__path__under=unit.path)
    return {
        "schools": by_kind.get(UnitKind.SCHOOL, 0),
        "teaching_points": by_kind.get(UnitKind.TEACHING_POINT, 0),
        "counties": by_kind.get(UnitKind.COUNTY, 0),
        "teachers": teachers.values("person").distinct().count(),
        "people": people.count(),
        "never_logged_in": people.filter(last_login__isnull=True).count(),
    }


def _admin_todo(person, unit: Unit | None) -> list[dict]:
    todo = []
    units = Unit.objects.filter(is_active=True).exclude(kind=UnitKind.TEACHING_POINT)
    if unit is not None:
        units = units.filter(path__under=unit.path)
    missing_contacts = units.exclude(Q(contacts__role=ContactRole.CONTACT)).count()
    if missing_contacts:
        todo.append(
            {
                "text": _("%(n)s 个单位的联系表缺少联系人，请补全（上级下发通知时需要）。")
                % {"n": missing_contacts},
                "url": reverse("manage:unit_list") + "?missing_contact=1",
            }
        )
    failed = Job.objects.filter(created_by=person, state=JobState.FAILED).count()
    with_errors = Job.objects.filter(
        created_by=person, state=JobState.SUCCEEDED, result__failed__gt=0
    ).count()
    if failed or with_errors:
        todo.append(
            {
                "text": _("有 %(n)s 个导入任务失败或含错误行，请查看错误报告并修正后重新导入。")
                % {"n": failed + with_errors},
                "url": reverse("manage:import_list"),
            }
        )
    return todo


def build(person, active: RoleChoice | None) -> dict:
    unit = _scope_unit(person, active)
    context: dict = {"active": active, "scope_unit": unit}
    role = active.role if active else None
    if role in ("platform", Role.UNIT_ADMIN):
        context["stats"] = _unit_stats(unit)
        context["todo"] = _admin_todo(person, unit)
        context["recent_jobs"] = list(
            Job.objects.filter(created_by=person).order_by("-created_at")[:5]
        )
        context["recent_audit"] = list(rules.audit_visible_to(person).select_related("unit")[:8])
        context["template_role"] = "admin"
    elif role in (Role.RESEARCH, Role.ELEARNING):
        context["stats"] = _unit_stats(unit)
        context["template_role"] = "staff"
    elif role == Role.EXPERT:
        profile = getattr(person, "expert_profile", None)
        context["areas"] = list(profile.areas.all()) if profile else []
        context["template_role"] = "expert"
    elif role == Role.TEACHER:
        context["template_role"] = "teacher"
        context["missing_profile"] = [
            label
            for label, value in ((_("电子邮箱"), person.email), (_("身份证号"), person.id_card))
            if not value
        ]
    else:
        context["template_role"] = "none"
    return context
