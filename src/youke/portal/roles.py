"""The active role: a person may hold roles on several units and switches between them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from youke.orgs.enums import Role
from youke.orgs.rules import active_grants

SESSION_KEY = "active_grant"


@dataclass(frozen=True)
class RoleChoice:
    key: str  # grant id, or "platform"
    role: str
    role_label: str
    unit_id: int | None
    unit_name: str


def role_choices(person) -> list[RoleChoice]:
    choices = []
    if person.is_platform_admin:
        choices.append(RoleChoice("platform", "platform", _("平台管理员"), None, _("全平台")))
    for grant in active_grants(person):
        choices.append(
            RoleChoice(
                str(grant.pk), grant.role, grant.get_role_display(), grant.unit_id, grant.unit.name
            )
        )
    return choices


def active_choice(request) -> RoleChoice | None:
    if not request.user.is_authenticated:
        return None
    cached = getattr(request, "_role_choices", None)
    if cached is None:
        cached = role_choices(request.user)
        request._role_choices = cached
    if not cached:
        return None
    wanted = request.session.get(SESSION_KEY)
    for choice in cached:
        if choice.key == wanted:
            return choice
    # Default: the most powerful role first (admin over expert over teacher).
    order = ["platform", Role.UNIT_ADMIN, Role.RESEARCH, Role.ELEARNING, Role.TEACHER, Role.EXPERT]
    return sorted(cached, key=lambda c: order.index(c.role))[0]


def roles_context(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    active = active_choice(request)
    choices = getattr(request, "_role_choices", [])
    return {
        "role_choices": choices,
        "active_role": active,
        # Teachers reach their packages whatever role they are looking through.
        "is_teacher": any(c.role == Role.TEACHER for c in choices),
        "is_expert": any(c.role == Role.EXPERT for c in choices),
    }
