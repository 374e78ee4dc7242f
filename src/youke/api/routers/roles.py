"""Role grants: a role on a unit covers that unit and everything under it."""

from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.fields import Reason
from youke.api.schemas import ErrorOut, GrantCreateIn, GrantFilters, GrantOut, ValidationErrorOut
from youke.orgs import rules
from youke.orgs.access import (
    access_grant,
    access_manageable_grant,
    access_manageable_person,
    access_unit,
)
from youke.orgs.domain import people as people_domain

router = Router(tags=["roles"])


@router.get("/roles", response=list[GrantOut], operation_id="list_roles")
@paginated
def list_roles(request, filters: Query[GrantFilters]):
    grants = rules.grants_visible_to(viewer(request))
    if filters.person_id is not None:
        grants = grants.filter(person_id=filters.person_id)
    if filters.unit_id is not None:
        grants = grants.filter(unit_id=filters.unit_id)
    if filters.role:
        grants = grants.filter(role=filters.role)
    return grants.select_related("person", "unit").order_by("unit__path", "person_id", "id")


@router.post(
    "/roles",
    response={201: GrantOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="grant_role",
)
def grant_role(request, payload: GrantCreateIn):
    """Grant a role (idempotent: an existing identical grant is returned as is)."""
    person = access_manageable_person(viewer(request), payload.person_id)
    unit = access_unit(viewer(request), payload.unit_id)
    grant = people_domain.grant_role(actor(request), person, unit, payload.role)
    return Status(201, access_grant(viewer(request), grant.pk))


@router.delete(
    "/roles/{grant_id}",
    response={204: None, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="revoke_role",
)
def revoke_role(request, grant_id: int, reason: Reason = ""):
    grant = access_manageable_grant(viewer(request), grant_id)
    people_domain.revoke_role(actor(request), grant, reason=reason)
    return Status(204, None)
