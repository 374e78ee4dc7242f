"""Units: the organisation tree, filtered to the caller's scope."""

from django.db.models import Q
from ninja import Query, Router, Status

from youke.api.common import actor, changes, paginated, viewer, with_parent_pk
from youke.api.schemas import (
    ErrorOut,
    UnitCreateIn,
    UnitFilters,
    UnitMoveIn,
    UnitOut,
    UnitUpdateIn,
    ValidationErrorOut,
)
from youke.orgs import rules
from youke.orgs.access import access_unit
from youke.orgs.domain import units as unit_domain
from youke.orgs.models import Unit

router = Router(tags=["units"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _node_path(unit_id: int) -> tuple[str, int] | None:
    # Only used to narrow an already scoped queryset, so an id outside scope leaks nothing.
    return Unit.objects.filter(pk=unit_id).values_list("path", "depth").first()


@router.get("/units", response=list[UnitOut], operation_id="list_units")
@paginated
def list_units(request, filters: Query[UnitFilters]):
    """Units the caller may see, in tree order."""
    units = rules.units_visible_to(viewer(request))
    for unit_id, direct in ((filters.parent_id, True), (filters.under, False)):
        if unit_id is None:
            continue
        found = _node_path(unit_id)
        if found is None:
            return Unit.objects.none()
        path, depth = found
        units = units.filter(path__under=path)
        units = units.filter(depth=depth + 1) if direct else units
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.area_type:
        units = units.filter(area_type=filters.area_type)
    if filters.is_active is not None:
        units = units.filter(is_active=filters.is_active)
    if filters.q and filters.q.strip():
        term = filters.q.strip()
        units = units.filter(Q(name__icontains=term) | Q(code__startswith=term))
    return with_parent_pk(units.order_by("path"))


@router.get("/units/{unit_id}", response={200: UnitOut, 404: ErrorOut}, operation_id="get_unit")
def get_unit(request, unit_id: int):
    return access_unit(viewer(request), unit_id)


@router.post("/units", response={201: UnitOut, **WRITE_ERRORS}, operation_id="create_unit")
def create_unit(request, payload: UnitCreateIn):
    parent = None
    if payload.parent_id is not None:
        parent = access_unit(viewer(request), payload.parent_id)
    fields = payload.model_dump(mode="json", exclude={"parent_id"})
    fields["area_type"] = fields["area_type"] or ""
    fields["stage"] = fields["stage"] or ""
    return Status(201, unit_domain.create_unit(actor(request), parent, **fields))


@router.patch(
    "/units/{unit_id}", response={200: UnitOut, **WRITE_ERRORS}, operation_id="update_unit"
)
def update_unit(request, unit_id: int, payload: UnitUpdateIn):
    unit = access_unit(viewer(request), unit_id)
    return unit_domain.update_unit(
        actor(request), unit, **changes(payload, required=("name", "code"))
    )


@router.post(
    "/units/{unit_id}/move", response={200: UnitOut, **WRITE_ERRORS}, operation_id="move_unit"
)
def move_unit(request, unit_id: int, payload: UnitMoveIn):
    unit = access_unit(viewer(request), unit_id)
    new_parent = access_unit(viewer(request), payload.parent_id)
    return unit_domain.move_unit(actor(request), unit, new_parent, reason=payload.reason)
