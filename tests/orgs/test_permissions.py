"""The role × scope permission matrix, as a table (BRIEF §7: an id from another county is 404)."""

import pytest
from django.urls import reverse

from youke.orgs import rules

pytestmark = pytest.mark.django_db

# viewer → set of unit attributes (on the province fixture) the viewer administers
MATRIX = {
    "platform_admin": {
        "ministry",
        "province",
        "city",
        "county_a",
        "county_b",
        "school_a",
        "school_b",
        "point_a",
    },
    "province_admin": {
        "province",
        "city",
        "county_a",
        "county_b",
        "school_a",
        "school_b",
        "point_a",
    },
    "city_admin": {"city", "county_a", "county_b", "school_a", "school_b", "point_a"},
    "county_a_admin": {"county_a", "school_a", "point_a"},
    "county_b_admin": {"county_b", "school_b"},
    "school_a_admin": {"school_a", "point_a"},
    "teacher_a": set(),
    "expert": set(),
    "research": set(),
}
UNITS = ["ministry", "province", "city", "county_a", "county_b", "school_a", "school_b", "point_a"]


@pytest.mark.parametrize("viewer", MATRIX)
@pytest.mark.parametrize("unit", UNITS)
def test_covers_matches_matrix(province, viewer, unit):
    person = getattr(province, viewer)
    assert rules.covers(person, getattr(province, unit)) is (unit in MATRIX[viewer])


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_units_queryset_matches_predicate(province, viewer):
    person = getattr(province, viewer)
    visible = set(rules.units_visible_to(person).values_list("pk", flat=True))
    expected = {getattr(province, u).pk for u in MATRIX[viewer]} | {person.unit_id}
    assert visible == expected
    for unit in UNITS:
        obj = getattr(province, unit)
        assert rules.can_view_unit(person, obj) is (obj.pk in visible)


@pytest.mark.parametrize("viewer", MATRIX)
def test_visible_people_queryset_matches_predicate(province, viewer):
    from youke.orgs.models import Person

    person = getattr(province, viewer)
    visible = set(rules.people_visible_to(person).values_list("pk", flat=True))
    for other in Person.objects.select_related("unit"):
        assert rules.can_view_person(person, other) is (other.pk in visible), other.username


@pytest.mark.parametrize(
    ("viewer", "unit", "status"),
    [
        ("county_a_admin", "county_a", 200),
        ("county_a_admin", "school_a", 200),
        ("county_a_admin", "county_b", 404),
        ("county_a_admin", "school_b", 404),
        ("county_a_admin", "city", 404),
        ("school_a_admin", "county_a", 404),
        ("city_admin", "school_b", 200),
        ("teacher_a", "school_a", 404),
        ("expert", "city", 404),
    ],
)
def test_unit_page_status(client, province, viewer, unit, status):
    client.force_login(getattr(province, viewer))
    url = reverse("manage:unit_detail", args=[getattr(province, unit).pk])
    assert client.get(url).status_code == status


def test_missing_and_foreign_ids_look_the_same(client, province):
    client.force_login(province.county_a_admin)
    foreign = client.get(reverse("manage:person_detail", args=[province.teacher_b.pk]))
    missing = client.get(reverse("manage:person_detail", args=[999999]))
    assert foreign.status_code == missing.status_code == 404


def test_restructure_needs_admin_above(province):
    assert not rules.can_restructure_unit(province.county_a_admin, province.county_a)
    assert rules.can_restructure_unit(province.county_a_admin, province.school_a)
    assert rules.can_restructure_unit(province.city_admin, province.county_a)
    assert rules.can_restructure_unit(province.platform_admin, province.ministry)
