"""Lists and record pages run the same number of queries for 1 and for 3 teachers."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from tests.training.test_pages import manual
from youke.orgs.enums import Role


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_pages_and_api_do_not_grow_with_the_rows(client, province):
    admin = province.county_a_admin
    client.force_login(admin)
    teachers = [province.teacher_a] + [
        make_person(province.school_a, Role.TEACHER, full_name=f"老师{i}") for i in range(2)
    ]
    manual(admin, teachers[0], "8")
    one = {
        "totals": queries(client, "/manage/training/", unit=province.county_a.pk),
        "api": queries(client, "/api/v1/training/credits"),
        "record": queries(client, f"/manage/training/teachers/{teachers[0].pk}/"),
    }
    for teacher in teachers[1:]:
        manual(admin, teacher, "4")
    for _ in range(2):
        manual(admin, teachers[0], "2")
    three = {
        "totals": queries(client, "/manage/training/", unit=province.county_a.pk),
        "api": queries(client, "/api/v1/training/credits"),
        "record": queries(client, f"/manage/training/teachers/{teachers[0].pk}/"),
    }
    assert three == one
