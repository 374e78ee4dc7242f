"""Property checks over key endpoints (what schemathesis would do, with hypothesis).

Any text (NUL, lone surrogates, astral characters, very long) and any whole number sent to a
unit update, a person creation, a quota and a list filter gives a JSON answer that is a
success or a 4xx naming the field, never a 500; a refused write changes nothing, and what
is stored is what both databases can hold.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from youke.orgs.models import Person, Unit

ANY_TEXT = st.one_of(
    st.text(max_size=300),  # hypothesis text includes surrogates and NUL
    st.text(alphabet=st.sampled_from("东湖\x00\ud800 a"), min_size=90, max_size=260),
)
ANY_INT = st.one_of(st.integers(), st.integers(min_value=2**31 - 2, max_value=2**64))
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def storable(text: str, max_length: int) -> bool:
    return (
        len(text) <= max_length
        and "\x00" not in text
        and not any("\ud800" <= c <= "\udfff" for c in text)
    )


@pytest.fixture
def admin(province):
    client = Client()
    client.force_login(province.platform_admin)
    return client


@EXAMPLES
@given(name=ANY_TEXT, address=ANY_TEXT)
def test_unit_update_never_fails_and_stores_only_what_fits(admin, province, name, address):
    unit = province.county_a
    before = Unit.objects.values("name", "address").get(pk=unit.pk)

    response = admin.patch(
        f"/api/v1/units/{unit.pk}",
        json.dumps({"name": name, "address": address}),
        content_type="application/json",
    )

    assert response.status_code in (200, 422), response.content[:300]
    after = Unit.objects.values("name", "address").get(pk=unit.pk)
    if response.status_code == 422:
        assert after == before
        assert set(response.json()["detail"]) <= {"name", "address", "__all__"}
    else:
        assert storable(after["name"], 100) and storable(after["address"], 200)
    if not storable(name, 100):
        assert response.status_code == 422
        assert "name" in response.json()["detail"]


@EXAMPLES
@given(full_name=ANY_TEXT, email=ANY_TEXT, mobile=ANY_TEXT)
def test_person_creation_never_fails(admin, province, full_name, email, mobile):
    people = Person.objects.count()

    response = admin.post(
        "/api/v1/people",
        json.dumps(
            {
                "unit_id": province.school_a.pk,
                "full_name": full_name,
                "email": email,
                "mobile": mobile,
            }
        ),
        content_type="application/json",
    )

    assert response.status_code in (201, 422), response.content[:300]
    if response.status_code == 422:
        assert Person.objects.count() == people
        assert isinstance(response.json()["detail"], dict)


@EXAMPLES
@given(allowed=ANY_INT, campaign=ANY_INT)
def test_quota_numbers_never_fail(admin, province, allowed, campaign):
    response = admin.post(
        "/api/v1/selection/quotas",
        json.dumps(
            {"campaign": campaign, "level": 1, "unit": province.county_a.pk, "allowed": allowed}
        ),
        content_type="application/json",
    )

    # no such campaign: 404 once every number is in range, 422 naming the field before
    assert response.status_code in (404, 422), response.content[:300]
    detail = response.json()["detail"]
    if not 0 <= allowed <= 2**31 - 1:
        assert "allowed" in detail
    if not 1 <= campaign <= 2**63 - 1:
        assert "campaign" in detail


@EXAMPLES
@given(q=ANY_TEXT, page=ANY_INT)
def test_list_filters_never_fail(admin, province, q, page):
    # sent as a real client would: UTF-8 bytes, a lone surrogate as its raw bytes
    raw = urllib.parse.quote(q.encode("utf-8", "surrogatepass"))
    response = admin.get(f"/api/v1/units?q={raw}&page={page}")

    assert response.status_code in (200, 400, 422), response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 200:
        assert set(response.json()) == {"items", "count"}
