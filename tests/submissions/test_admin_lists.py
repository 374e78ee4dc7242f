import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from youke.core.actor import Actor
from youke.submissions.domain import packages

pytestmark = pytest.mark.django_db


def start(teacher, campaign, node, title):
    return packages.start_submission(
        Actor(teacher), campaign, campaign.categories.get(code="subject"), node, title=title
    )


def test_school_admin_list_with_counts(client, province, campaign, catalog):
    start(province.teacher_a, campaign, catalog.lesson4, "甲")
    start(province.teacher_b, campaign, catalog.lesson4, "乙")
    client.force_login(province.school_a_admin)
    response = client.get(reverse("manage_submissions:submission_list"))
    assert [s.title for s in response.context["page"]] == ["甲"]
    assert response.context["counts"][0] == ("草稿", 1)


def test_county_admin_sees_counts_not_contents(client, province, campaign, catalog):
    start(province.teacher_a, campaign, catalog.lesson4, "甲")
    client.force_login(province.county_a_admin)
    assert list(client.get(reverse("manage_submissions:submission_list")).context["page"]) == []
    counts = client.get(
        reverse("manage_submissions:submission_counts"), {"campaign": campaign.pk}
    ).context["rows"]
    assert [(unit.name, numbers, total) for unit, numbers, total in counts] == [
        ("东湖区实验小学", [1, 0, 0], 1)
    ]


def test_city_counts_roll_up_by_county(client, province, campaign, catalog):
    start(province.teacher_a, campaign, catalog.lesson4, "甲")
    start(province.teacher_b, campaign, catalog.lesson4b, "乙")
    client.force_login(province.city_admin)
    rows = client.get(
        reverse("manage_submissions:submission_counts"), {"campaign": campaign.pk}
    ).context["rows"]
    assert [(unit.name, total) for unit, _n, total in rows] == [("东湖区", 1), ("西岭县", 1)]


def test_school_list_query_count_is_flat(client, province, campaign, catalog):
    client.force_login(province.school_a_admin)
    url = reverse("manage_submissions:submission_list")
    start(province.teacher_a, campaign, catalog.lesson4, "一")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    one = count()
    for i in range(2):
        teacher = make_person(province.school_a, "teacher", full_name=f"教师{i}")
        start(teacher, campaign, catalog.lesson4b, f"作品{i}")
    assert count() == one
