"""List pages run a fixed number of queries whatever the page size (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person, make_unit
from youke.core.actor import Actor
from youke.orgs.domain import units as units_domain
from youke.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_items(province, n: int) -> None:
    for i in range(n):
        school = make_unit(province.county_a, UnitKind.SCHOOL, f"加测学校{i}")
        make_person(school, "teacher", "expert", full_name=f"加测教师{i}")
        units_domain.update_unit(Actor(province.county_a_admin), school, address=f"路{i}号")


@pytest.mark.parametrize(
    "url_name", ["manage:unit_list", "manage:person_list", "manage:audit_list"]
)
def test_list_query_count_is_flat(client, province, url_name):
    client.force_login(province.county_a_admin)
    url = reverse(url_name)
    add_items(province, 1)
    with_one = count_queries(client, url)
    add_items(province, 2)
    with_three = count_queries(client, url)
    assert with_one == with_three


def test_unit_detail_query_count_is_flat(client, province):
    client.force_login(province.county_a_admin)
    url = reverse("manage:unit_detail", args=[province.county_a.pk])
    add_items(province, 1)
    with_one = count_queries(client, url)
    add_items(province, 2)
    assert count_queries(client, url) == with_one
