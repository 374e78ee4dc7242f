"""Load objects for a person: missing and not-yours both raise Http404 (no leak)."""

from django.http import Http404

from youke.orgs import rules
from youke.orgs.models import Person, RoleGrant, Unit


def access_unit(viewer: Person, unit_id: int) -> Unit:
    unit = rules.units_visible_to(viewer).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("unit")
    return unit


def access_person(viewer: Person, person_id: int) -> Person:
    person = rules.people_visible_to(viewer).select_related("unit").filter(pk=person_id).first()
    if person is None:
        raise Http404("person")
    return person


def access_manageable_person(viewer: Person, person_id: int) -> Person:
    """A person the viewer may manage; one they may only see is 404 here too."""
    person = rules.people_manageable_by(viewer).select_related("unit").filter(pk=person_id).first()
    if person is None:
        raise Http404("person")
    return person


def access_grant(viewer: Person, grant_id: int) -> RoleGrant:
    grant = (
        rules.grants_visible_to(viewer).select_related("unit", "person").filter(pk=grant_id).first()
    )
    if grant is None:
        raise Http404("grant")
    return grant


def access_manageable_grant(viewer: Person, grant_id: int) -> RoleGrant:
    """A grant the viewer sees, held by a person the viewer may manage."""
    grant = (
        rules.grants_visible_to(viewer)
        .filter(person__in=rules.people_manageable_by(viewer))
        .select_related("unit", "person")
        .filter(pk=grant_id)
        .first()
    )
    if grant is None:
        raise Http404("grant")
    return grant
