"""Who may see and change units, people and roles.

Every read predicate has a queryset twin (``*_visible_to``) used by every page list, export
and API list, so a list and an object check never disagree. Scope is the union of the
subtrees of the units on which the person holds the unit-admin role; the platform admin
holds the whole tree.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from youke.orgs.enums import Role

if TYPE_CHECKING:
    from youke.orgs.models import Person, RoleGrant, Unit


def active_grants(person: Person) -> list[RoleGrant]:
    """The person's role grants on active units, each with its unit, by unit path and role.

    Loaded once and kept on the person object, which Django builds afresh for every request
    (``request.user``): every rule and the role switcher of one request share one query.
    """
    if not person.is_authenticated:
        return []
    cached = getattr(person, "active_grants_cache", None)
    if cached is None:
        from youke.orgs.models import RoleGrant

        cached = list(
            RoleGrant.objects.filter(person_id=person.pk, unit__is_active=True)
            .select_related("unit")
            .order_by("unit__path", "role")
        )
        person.active_grants_cache = cached
    return cached


def admin_paths(person: Person) -> list[str] | None:
    """Materialized paths of the person's admin subtrees; None means the whole tree."""
    if not person.is_authenticated or not person.is_active:
        return []
    if person.is_platform_admin:
        return None
    paths = sorted(g.unit.path for g in active_grants(person) if g.role == Role.UNIT_ADMIN)
    # Drop paths nested inside another: fewer OR branches, same scope.
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


def subtree_q(paths: list[str] | None, field: str = "path") -> Q:
    """Q matching rows whose unit path lies under any of ``paths`` (None: everything)."""
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__under": path}) for path in paths))


def scoped(queryset: QuerySet, person: Person, field: str = "path", own: Q | None = None):
    """Rows under the person's admin subtrees, plus ``own`` (e.g. their own record).

    ``Q() | Q(x)`` collapses to ``Q(x)`` in Django, so "everything" is handled apart.
    """
    paths = admin_paths(person)
    if paths is None:
        return queryset
    if not paths:
        return queryset.filter(own) if own is not None else queryset.none()
    condition = subtree_q(paths, field)
    if own is not None:
        condition = condition | own
    return queryset.filter(condition)


def is_unit_admin(person: Person) -> bool:
    paths = admin_paths(person)
    return paths is None or bool(paths)


def covers(person: Person, unit: Unit) -> bool:
    """The person administers ``unit`` (it lies in one of their admin subtrees)."""
    paths = admin_paths(person)
    return paths is None or any(unit.path.startswith(path) for path in paths)


# --- units ---------------------------------------------------------------------------------


def units_visible_to(person: Person) -> QuerySet[Unit]:
    from youke.orgs.models import Unit

    if not person.is_authenticated:
        return Unit.objects.none()
    # The own-record OR defeats the path index, so it is added only when needed.
    own = None if covers(person, person.unit) else Q(pk=person.unit_id)
    return scoped(Unit.objects.all(), person, own=own)


def can_view_unit(person: Person, unit: Unit) -> bool:
    return person.is_authenticated and (covers(person, unit) or unit.pk == person.unit_id)


def can_change_unit(person: Person, unit: Unit) -> bool:
    return covers(person, unit)


def can_restructure_unit(person: Person, unit: Unit) -> bool:
    """Moving or deactivating needs an admin above the unit, not only of it."""
    paths = admin_paths(person)
    return paths is None or any(unit.path.startswith(p) and unit.path != p for p in paths)


def can_add_child_unit(person: Person, parent: Unit) -> bool:
    return covers(person, parent)


# --- people --------------------------------------------------------------------------------


def people_visible_to(person: Person) -> QuerySet[Person]:
    from youke.orgs.models import Person as PersonModel

    if not person.is_authenticated:
        return PersonModel.objects.none()
    own = None if covers(person, person.unit) else Q(pk=person.pk)
    return scoped(PersonModel.objects.all(), person, "unit__path", own=own)


def can_view_person(viewer: Person, person: Person) -> bool:
    return viewer.is_authenticated and (viewer.pk == person.pk or covers(viewer, person.unit))


def can_change_person(viewer: Person, person: Person) -> bool:
    """The viewer may manage the person: edit, move, reset, deactivate, grant, revoke.

    Every role the person holds must lie inside the viewer's scope, not only their home
    unit: otherwise a school admin could reset the password of a teacher who is also a
    city expert and act as that expert. Queryset twin: ``people_manageable_by``.
    """
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if person.is_platform_admin and not viewer.is_platform_admin:
        return False
    paths = admin_paths(viewer)
    if paths is None:
        return True
    if not covers(viewer, person.unit):
        return False
    from youke.orgs.models import RoleGrant

    held = RoleGrant.objects.filter(person_id=person.pk).values_list("unit__path", flat=True)
    return all(any(path.startswith(p) for p in paths) for path in held)


def people_manageable_by(viewer: Person) -> QuerySet[Person]:
    """People the viewer may manage (``can_change_person`` as one query)."""
    from youke.orgs.models import Person as PersonModel
    from youke.orgs.models import RoleGrant

    paths = admin_paths(viewer)
    if paths is None:
        return PersonModel.objects.all()
    if not paths:
        return PersonModel.objects.none()
    outside = RoleGrant.objects.filter(person_id=OuterRef("pk")).exclude(
        subtree_q(paths, "unit__path")
    )
    return PersonModel.objects.filter(
        subtree_q(paths, "unit__path"), ~Exists(outside), is_platform_admin=False
    )


def can_see_full_identity(viewer: Person, person: Person) -> bool:
    """Full ID-card numbers are never shown; this guards the unmasked mobile only."""
    return viewer.pk == person.pk or covers(viewer, person.unit)


# --- roles ---------------------------------------------------------------------------------


def grants_visible_to(person: Person):
    from youke.orgs.models import RoleGrant

    if not person.is_authenticated:
        return RoleGrant.objects.none()
    return scoped(RoleGrant.objects.all(), person, "unit__path", own=Q(person=person))


def can_grant_role(viewer: Person, unit: Unit, person: Person) -> bool:
    """Granting or revoking needs the unit in the viewer's scope and the person manageable."""
    return covers(viewer, unit) and can_change_person(viewer, person)


def can_view_audit(person: Person) -> bool:
    return is_unit_admin(person)


def audit_visible_to(person: Person):
    from youke.core.models import AuditEvent

    if not is_unit_admin(person):
        return AuditEvent.objects.none()
    return scoped(AuditEvent.objects.all(), person, "unit__path")
