"""Catalog permissions: every signed-in person reads it; national admins edit it."""

from youke.orgs.enums import Role, UnitKind


def can_view_catalog(person) -> bool:
    return person.is_authenticated


def can_edit_catalog(person) -> bool:
    if not person.is_authenticated:
        return False
    if person.is_platform_admin:
        return True
    return person.grants.filter(role=Role.UNIT_ADMIN, unit__kind=UnitKind.MINISTRY).exists()


def nodes_visible_to(person):
    from youke.catalog.models import CourseNode

    if not can_view_catalog(person):
        return CourseNode.objects.none()
    return CourseNode.objects.all()
