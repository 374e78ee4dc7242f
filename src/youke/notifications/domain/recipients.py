"""Who receives a message about a unit or a package."""

from __future__ import annotations

from django.db.models import QuerySet

from youke.orgs.enums import Role
from youke.orgs.models import Person


def unit_admins(unit_ids) -> QuerySet[Person]:
    """Active people holding the unit-admin role on exactly these units (not above them)."""
    return (
        Person.objects.filter(
            grants__unit_id__in=list(unit_ids), grants__role=Role.UNIT_ADMIN, is_active=True
        )
        .distinct()
        .order_by("id")
    )
