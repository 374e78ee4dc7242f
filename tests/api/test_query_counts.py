"""Every list costs the same number of queries at 1 and at 3 items (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_catalog_path, make_person, make_unit
from youke.orgs.enums import Role, UnitKind


def add_units(province, n):
    for _ in range(n):
        make_unit(province.school_b, UnitKind.TEACHING_POINT, area_type="county")
    return "/units", {"parent_id": province.school_b.pk}


def add_people(province, n):
    for _ in range(n):
        # several roles each, so per-person role loading would show up
        make_person(province.school_b, Role.TEACHER, Role.EXPERT)
    return "/people", {"unit_id": province.school_b.pk, "role": "expert"}


def add_grants(province, n):
    for _ in range(n):
        make_person(province.school_b, Role.RESEARCH)
    return "/roles", {"role": "research", "unit_id": province.school_b.pk}


def add_nodes(province, n):
    stage = province.catalog_stage
    for i in range(n):
        stage.refresh_from_db()
        stage.add_child(code=f"S-{stage.numchild}-{i}", name=f"学科{i}", level="subject")
    return "/catalog/nodes", {"parent_id": stage.pk}


@pytest.mark.parametrize(
    "grow",
    [add_units, add_people, add_grants, add_nodes],
    ids=["units", "people", "roles", "catalog"],
)
@pytest.mark.parametrize("viewer", ["city_admin", "county_b_admin", "platform_admin"])
def test_list_query_count_does_not_grow(province, api_as, grow, viewer):
    province.catalog_stage = make_catalog_path(("高中",))[0]
    client = api_as(getattr(province, viewer))

    path, params = grow(province, 1)
    with CaptureQueriesContext(connection) as one:
        first = client.get(path, **params).json()
    grow(province, 2)
    with CaptureQueriesContext(connection) as three:
        second = client.get(path, **params).json()

    assert (first["count"], len(first["items"])) == (1, 1)
    assert (second["count"], len(second["items"])) == (3, 3)
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]
    assert len(one) <= 8  # the page's ids, then its rows by id
