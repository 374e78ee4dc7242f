"""What each role sees after log-in: what it can do and what waits for it, computed from data."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from youke.campaigns import rules as campaign_rules
from youke.campaigns.enums import CampaignState
from youke.classrooms.domain import dashboard as classrooms_dashboard
from youke.core.domain.audit_sentences import describe
from youke.core.models import Job
from youke.orgs import rules
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit
from youke.portal.dashboard import admin, expert, teacher
from youke.portal.roles import RoleChoice


def scope_unit(person, active: RoleChoice | None) -> Unit | None:
    """The unit the active role looks at; the platform admin looks from the top of the tree."""
    if active is None:
        return None
    if active.unit_id is None:
        return Unit.objects.filter(depth=1).order_by("path").first()
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


def _chart_context(person, unit: Unit, campaign_id: str) -> dict:
    campaigns = list(
        campaign_rules.campaigns_visible_to(person)
        .filter(state=CampaignState.PUBLISHED)
        .order_by("-opens_at", "id")
        .values("pk", "name")
    )
    chosen = next((c for c in campaigns if str(c["pk"]) == campaign_id), None)
    chosen = chosen or (campaigns[0] if campaigns else None)
    has_children = Unit.objects.filter(
        path__under=unit.path, depth=unit.depth + 1, is_active=True
    ).exists()
    url = ""
    if chosen and has_children:
        query = urlencode({"campaign": chosen["pk"], "unit": unit.pk})
        url = f"{reverse('portal:dashboard_charts')}?{query}"
    return {"chart_campaigns": campaigns, "chart_campaign": chosen, "chart_url": url}


def build(person, active: RoleChoice | None, *, campaign_id: str = "") -> dict:
    unit = scope_unit(person, active)
    context: dict = {"active": active, "scope_unit": unit}
    role = active.role if active else None
    if role in ("platform", Role.UNIT_ADMIN) and unit is not None:
        context["stats"] = _unit_stats(None if role == "platform" else unit)
        context["todo"] = admin.todo_list(person, unit)
        context["next_deadline"] = admin.next_deadline(person, unit)
        context["recent_jobs"] = list(
            Job.objects.filter(created_by=person).order_by("-created_at")[:5]
        )
        context["recent_audit"] = describe(
            rules.audit_visible_to(person).select_related("unit")[:8]
        )
        context.update(_chart_context(person, unit, campaign_id))
        context["template_role"] = "admin"
        context["classrooms"] = classrooms_dashboard.region_summary(unit)
    elif role in (Role.RESEARCH, Role.ELEARNING):
        context["stats"] = _unit_stats(unit)
        context["campaigns"] = teacher.open_campaigns(person)
        context["template_role"] = "staff"
        context["classrooms"] = classrooms_dashboard.region_summary(unit)
    elif role == Role.EXPERT:
        profile = getattr(person, "expert_profile", None)
        context["areas"] = list(profile.areas.all()) if profile else []
        context.update(expert.build(person))
        context["template_role"] = "expert"
    elif role == Role.TEACHER:
        context.update(teacher.build(person))
        context["template_role"] = "teacher"
        context["missing_profile"] = [
            label
            for label, value in ((_("电子邮箱"), person.email), (_("身份证号"), person.id_card))
            if not value
        ]
    else:
        context["template_role"] = "none"
    return context
