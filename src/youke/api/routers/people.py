"""People: real-name accounts in the caller's scope; ID-card numbers only ever masked."""

from django.db.models import Prefetch, Q, prefetch_related_objects
from ninja import Query, Router, Status

from youke.api.common import actor, changes, paginated, viewer
from youke.api.schemas import (
    ErrorOut,
    PersonCreatedOut,
    PersonCreateIn,
    PersonFilters,
    PersonOut,
    PersonUpdateIn,
    ValidationErrorOut,
)
from youke.orgs import rules
from youke.orgs.access import access_manageable_person, access_person, access_unit
from youke.orgs.domain import people as people_domain
from youke.orgs.models import Person, RoleGrant, Unit

router = Router(tags=["people"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _visible_grants(person: Person) -> Prefetch:
    # Roles held on units outside the caller's scope stay hidden, as in GET /roles.
    grants = rules.grants_visible_to(person).select_related("unit").order_by("id")
    return Prefetch("grants", queryset=grants, to_attr="visible_grants")


def _loaded(request, person: Person) -> Person:
    prefetch_related_objects([person], _visible_grants(viewer(request)))
    return person


@router.get("/people", response=list[PersonOut], operation_id="list_people")
@paginated
def list_people(request, filters: Query[PersonFilters]):
    """People the caller may see: their admin subtrees, or only themself."""
    people = rules.people_visible_to(viewer(request))
    if filters.unit_id is not None:
        # Narrows an already scoped queryset: an out-of-scope id only empties the list.
        path = Unit.objects.filter(pk=filters.unit_id).values_list("path", flat=True).first()
        if path is None:
            return Person.objects.none()
        people = people.filter(unit__path__under=path)
    if filters.role:
        people = people.filter(
            pk__in=RoleGrant.objects.filter(role=filters.role).values("person_id")
        )
    if filters.title is not None:
        people = people.filter(title=filters.title)
    if filters.is_active is not None:
        people = people.filter(is_active=filters.is_active)
    if filters.q and filters.q.strip():
        term = filters.q.strip()
        people = people.filter(
            Q(full_name__icontains=term) | Q(username__icontains=term) | Q(mobile__startswith=term)
        )
    return (
        people.select_related("unit")
        .prefetch_related(_visible_grants(viewer(request)))
        .order_by("unit__path", "full_name", "id")
    )


@router.get(
    "/people/{person_id}", response={200: PersonOut, 404: ErrorOut}, operation_id="get_person"
)
def get_person(request, person_id: int):
    return _loaded(request, access_person(viewer(request), person_id))


@router.post(
    "/people", response={201: PersonCreatedOut, **WRITE_ERRORS}, operation_id="create_person"
)
def create_person(request, payload: PersonCreateIn):
    """Create an account; the initial password is in this response and nowhere else."""
    unit = access_unit(viewer(request), payload.unit_id)
    fields = payload.model_dump(mode="json", exclude={"unit_id", "roles"})
    if not fields["username"]:
        del fields["username"]  # the domain falls back to the mobile
    person, password = people_domain.create_person(
        actor(request), unit, roles=tuple(payload.roles), **fields
    )
    person = _loaded(request, access_person(viewer(request), person.pk))
    person.initial_password = password
    return Status(201, person)


@router.patch(
    "/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS}, operation_id="update_person"
)
def update_person(request, person_id: int, payload: PersonUpdateIn):
    """Edit a person the caller may manage (every role they hold in scope), or oneself."""
    me = viewer(request)
    if person_id == me.pk:
        person = access_person(me, person_id)
    else:
        person = access_manageable_person(me, person_id)
    person = people_domain.update_person(
        actor(request), person, **changes(payload, required=("full_name",))
    )
    return _loaded(request, access_person(viewer(request), person.pk))
