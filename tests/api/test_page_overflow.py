"""A page number past the last page: an empty page (API) or the last page (pages), never 500.

``?page=9223372036854775807`` used to become an OFFSET no database accepts. Every API list is
found through the OpenAPI schema (any GET with a ``page`` parameter), every paginated page is
listed by hand; both run with data in them, the public ones anonymously.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level  # noqa: F401  (fixture)
from tests.selection.test_summary_sheet import build_list
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.api.urls import api
from youke.notifications.models import Notification

HUGE = "9223372036854775807"
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")


def api_lists():
    for path, item in SCHEMA["paths"].items():
        operation = item.get("get")
        if operation and any(p["name"] == "page" for p in operation.get("parameters", [])):
            required = [
                p["name"]
                for p in operation["parameters"]
                if p["in"] == "query" and p.get("required")
            ]
            yield pytest.param(path, required, id=path)


@pytest.fixture
def filled(province, campaign, lessons):  # noqa: F811
    """A confirmed school list, so lists and pages have rows to page past."""
    _row, entries = build_list(province, campaign, lessons)
    return campaign, entries


@pytest.mark.parametrize(("path", "required"), list(api_lists()))
def test_every_api_list_answers_an_empty_page(filled, province, path, required):
    camp, _entries = filled
    ids = {
        "campaign": camp.pk,
        "campaign_id": camp.pk,
        "level": level(camp, "school").pk,
        "unit": province.school_a.pk,
    }
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)
    query = {name: ids.get(name, 1) for name in required} | {"page": HUGE}
    client = Client()
    client.force_login(province.platform_admin)

    response = client.get(url, query)

    assert response.status_code in (200, 404), response.content[:300]
    body = response.json()
    if response.status_code == 200:
        assert body["items"] == []
        first = client.get(url, query | {"page": 1}).json()
        assert body["count"] == first["count"]
    else:
        assert body == {"detail": "未找到该对象，或您无权访问。"}


def test_anonymous_public_list_past_the_end(filled, province):
    camp, _entries = filled
    school_admin = Client()
    school_admin.force_login(province.school_a_admin)
    created = school_admin.post(
        "/api/v1/publicity",
        {
            "campaign": camp.pk,
            "level": level(camp, "school").pk,
            "unit": province.school_a.pk,
            "title": "推荐结果公示",
            "starts_at": "2020-01-01T00:00:00+08:00",
            "ends_at": "2099-01-01T00:00:00+08:00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content

    response = Client().get("/api/v1/publicity", {"page": HUGE})

    assert (response.status_code, response.json()) == (200, {"items": [], "count": 1})
    page = Client().get(reverse("public:publicity_list"), {"page": HUGE})
    assert "推荐结果公示" in page.content.decode()


def test_page_size_and_page_past_the_end_together(province):
    client = Client()
    client.force_login(province.platform_admin)

    response = client.get("/api/v1/units", {"page": HUGE, "page_size": HUGE})

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 8}


def paginated_pages(province, camp):
    school = {
        "campaign": camp.pk,
        "unit": province.school_a.pk,
        "level": level(camp, "school").pk,
    }
    return [
        (province.platform_admin, reverse("manage:unit_list"), {}),
        (province.platform_admin, reverse("manage:unit_detail", args=[province.city.pk]), {}),
        (province.platform_admin, reverse("manage:person_list"), {}),
        (province.platform_admin, reverse("manage:audit_list"), {}),
        (province.platform_admin, reverse("manage_campaigns:campaign_list"), {}),
        (
            province.platform_admin,
            reverse("manage_campaigns:campaign_nodes", args=[camp.pk]),
            {},
        ),
        (province.school_a_admin, reverse("manage_submissions:submission_list"), {}),
        (province.school_a_admin, reverse("manage_selection:inbox"), school),
        (province.school_a_admin, reverse("manage_selection:proposal"), school),
        (province.teacher_a, reverse("portal:my_submissions"), {}),
        (province.teacher_a, reverse("notifications:list"), {}),
    ]


def test_every_paginated_page_shows_its_last_page(filled, province):
    camp, _entries = filled
    Notification.objects.create(person=province.teacher_a, title="通知", body="正文")
    shown = []
    for person, url, query in paginated_pages(province, camp):
        client = Client()
        client.force_login(person)
        response = client.get(url, query | {"page": HUGE})
        assert response.status_code == 200, (url, response.status_code)
        page = response.context["page"]
        shown.append((url, page.number == page.paginator.num_pages, len(page.object_list) > 0))
    assert shown == [(url, True, True) for _person, url, _query in paginated_pages(province, camp)]
