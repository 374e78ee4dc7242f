"""The monitoring operations: scoped like the pages, figures equal to the dashboard's."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"


def test_figures_and_scope(client, province, tree):
    client.force_login(province.county_a_admin)
    answer = client.get(f"{API}/figures", {"campaign": tree.campaign.pk}).json()
    assert answer["unit_id"] == province.county_a.pk
    assert (answer["total"]["teachers"], answer["total"]["showcased"]) == (4, 3)
    assert [c["name"] for c in answer["children"]] == ["东湖区实验小学", "东湖区空白学校"]
    other = client.get(
        f"{API}/figures", {"campaign": tree.campaign.pk, "unit": province.county_b.pk}
    )
    assert other.status_code == 404
    assert (
        client.get(
            f"{API}/figures", {"campaign": tree.campaign.pk, "unit": province.city.pk}
        ).status_code
        == 404
    )


def test_indicators_targets_and_refresh(client, province, tree):
    client.force_login(province.city_admin)
    listed = client.get(f"{API}/indicators", {"campaign": tree.campaign.pk}).json()
    excellent = next(i for i in listed if i["key"] == "excellent_rate")
    assert excellent["targets"] == [
        {"area_type": "county", "stage": "", "value": "30.00"},
        {"area_type": "urban", "stage": "", "value": "40.00"},
    ]
    body = {"campaign": tree.campaign.pk, "indicator": "participation", "value": "80"}
    # the city does not own the province's campaign
    assert client.put(f"{API}/targets", body, content_type="application/json").status_code == 404
    assert (
        client.post(
            f"{API}/refresh", {"campaign": tree.campaign.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(province.province_admin)
    answer = client.put(f"{API}/targets", body, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["targets"] == [{"area_type": "", "stage": "", "value": "80.00"}]
    refreshed = client.post(
        f"{API}/refresh", {"campaign": tree.campaign.pk}, content_type="application/json"
    )
    assert refreshed.json()["units"] == 8  # province, city, 2 counties, 3 schools, 1 point


def test_compose_publish_and_list(client, province, tree):
    client.force_login(province.city_admin)
    body = {
        "campaign": tree.campaign.pk,
        "unit": province.city.pk,
        "title": "四月通报",
        "period_start": "2026-04-01",
        "period_end": "2026-04-30",
        "indicators": ["participation", "excellent_rate"],
    }
    made = client.post(f"{API}/bulletins", body, content_type="application/json")
    assert made.status_code == 201
    bulletin = made.json()
    assert bulletin["state"] == "draft" and bulletin["doc_number"] == ""
    figures = client.get(f"{API}/figures", {"campaign": tree.campaign.pk}).json()
    assert bulletin["snapshot"]["total"]["showcased"] == figures["total"]["showcased"]
    published = client.post(f"{API}/bulletins/{bulletin['id']}/publish").json()
    assert published["doc_number"].endswith("1号")
    again = client.post(f"{API}/bulletins/{bulletin['id']}/publish")
    assert again.status_code == 422
    client.force_login(province.county_b_admin)
    listed = client.get(f"{API}/bulletins").json()
    assert [b["title"] for b in listed["items"]] == ["四月通报"]
    # a county cannot issue for its sibling
    body["unit"] = province.county_a.pk
    assert client.post(f"{API}/bulletins", body, content_type="application/json").status_code == 404


def test_bulletin_list_query_count_is_flat(client, province, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from youke.core.actor import Actor
    from youke.monitoring.domain import bulletins

    from .test_bulletins import compose

    client.force_login(province.city_admin)
    counts = []
    for n in (1, 3):
        while bulletins.bulletins_visible_to(province.city_admin).count() < n:
            bulletins.publish(Actor(province.city_admin), compose(province, tree))
        with CaptureQueriesContext(connection) as queries:
            listed = client.get(f"{API}/bulletins").json()
        assert listed["count"] == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
