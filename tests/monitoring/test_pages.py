"""The dashboard, drill-down, exports, registry and bulletin pages, and their scoping."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from youke.core.actor import Actor
from youke.monitoring.domain import bulletins

pytestmark = pytest.mark.django_db
URL = "/manage/monitoring/"


def test_city_dashboard_shows_children_lights_and_chart_data(client, province, tree):
    client.force_login(province.city_admin)
    response = client.get(URL, {"campaign": tree.campaign.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "数据时间" in html
    assert f'data-unit="{province.county_a.pk}"' in html
    assert f'data-unit="{province.county_b.pk}"' in html
    assert 'id="monitoring-data"' in html and "<script>" not in html  # data only, no inline JS
    rows = response.context["report"].children
    assert [row.name for row in rows] == ["东湖区", "西岭县"]
    ranked = response.context["charts"]["ranked"]["participation"]
    assert ranked["units"] == ["西岭县", "东湖区"] and ranked["values"] == [100.0, 75.0]


def test_county_never_sees_another_county(client, province, tree):
    client.force_login(province.county_a_admin)
    response = client.get(URL, {"campaign": tree.campaign.pk})
    assert response.context["unit"] == province.county_a
    for unit in (province.county_b, province.school_b, province.city):
        assert client.get(URL, {"campaign": tree.campaign.pk, "unit": unit.pk}).status_code == 404
        export = client.get(URL + "export.xlsx", {"campaign": tree.campaign.pk, "unit": unit.pk})
        assert export.status_code == 404


def test_school_admin_sees_teachers_not_showcased(client, province, tree):
    client.force_login(province.school_a_admin)
    response = client.get(URL, {"campaign": tree.campaign.pk})
    assert [p.full_name for p in response.context["idle"]] == ["未晒课的老师"]


def test_teacher_gets_404(client, province, tree):
    client.force_login(province.teacher_b)
    assert client.get(URL).status_code == 404


def test_xlsx_export_has_the_figures(client, province, tree):
    client.force_login(province.city_admin)
    response = client.get(URL + "export.xlsx", {"campaign": tree.campaign.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:5] == ("青山市", "990100", 7, 6, 11)
    assert rows[4][0] == "东湖区" and rows[5][0] == "西岭县"


def test_target_form_changes_the_light(client, province, tree):
    client.force_login(province.province_admin)
    response = client.post(
        URL + "indicators/target/",
        {
            "campaign": tree.campaign.pk,
            "indicator": "participation",
            "area_type": "urban",
            "value": "70",
        },
    )
    assert response.status_code == 302
    client.force_login(province.city_admin)
    rows = client.get(URL, {"campaign": tree.campaign.pk}).context["report"].children
    east = next(row for row in rows if row.name == "东湖区")
    assert (east.cells[0].target, east.cells[0].light) == (70.0, "green")
    # the city admin does not own the campaign: the form refuses with 404
    refused = client.post(
        URL + "indicators/target/",
        {"campaign": tree.campaign.pk, "indicator": "participation", "value": "10"},
    )
    assert refused.status_code == 404


def test_bulletin_pages_and_public_page(client, province, tree):
    client.force_login(province.city_admin)
    response = client.post(
        URL + "bulletins/new/",
        {
            "campaign": tree.campaign.pk,
            "unit_code": province.city.code,
            "title": "三月晒课通报",
            "doc_prefix": "青教电通",
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "indicators": ["participation", "excellent_rate"],
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    bulletin = bulletins.bulletins_visible_to(province.city_admin).get(title="三月晒课通报")
    preview = client.get(f"{URL}bulletins/{bulletin.pk}/file.pdf")
    assert preview.content[:5] == b"%PDF-"
    assert client.get(f"/public/bulletins/{bulletin.pk}/").status_code == 404  # a draft
    unconfirmed = client.post(f"{URL}bulletins/{bulletin.pk}/publish/")
    assert unconfirmed.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.state == "draft"
    client.post(f"{URL}bulletins/{bulletin.pk}/publish/", {"confirmed": "1"})
    bulletin.refresh_from_db()
    assert bulletin.number == 1
    client.logout()
    public = client.get(f"/public/bulletins/{bulletin.pk}/")
    assert "三月晒课通报" in public.content.decode() and "西岭县" in public.content.decode()
    assert client.get("/public/bulletins/").status_code == 200
    # another county's admin receives it; an admin of an unrelated province does not
    client.force_login(province.county_b_admin)
    assert client.get(f"{URL}bulletins/{bulletin.pk}/").status_code == 200


def test_bulletin_of_a_sibling_county_is_404(client, province, tree):
    draft = bulletins.compose(
        Actor(province.county_a_admin),
        unit=province.county_a,
        campaign=tree.campaign,
        title="东湖区通报",
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 2),
        indicators=["participation"],
    )
    bulletins.publish(Actor(province.county_a_admin), draft)
    client.force_login(province.county_b_admin)
    assert client.get(f"{URL}bulletins/{draft.pk}/").status_code == 404
    assert client.get(f"{URL}bulletins/{draft.pk}/file.pdf").status_code == 404


def test_dashboard_query_count_does_not_grow_with_children(client, province, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_person, make_unit
    from youke.monitoring.domain.figures import refresh_campaign
    from youke.orgs.enums import Role, UnitKind

    client.force_login(province.city_admin)
    url = f"{URL}?campaign={tree.campaign.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for name in ("北山县", "南河县"):
        county = make_unit(province.city, UnitKind.COUNTY, name, area_type="county")
        school = make_unit(county, UnitKind.SCHOOL, f"{name}中学", area_type="county")
        make_person(school, Role.TEACHER)
    refresh_campaign(tree.campaign)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(response.context["report"].children) == 4
    assert len(after) == len(before)
