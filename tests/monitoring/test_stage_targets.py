"""Targets by school stage (学段): a school's figure uses its stage's target; the dashboard and
the API break a subtree's schools down by stage; schools carry the stage (form and import)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.orgs.test_imports import UNIT_HEADERS, run_import, xlsx
from youke.core.actor import Actor
from youke.monitoring.domain import registry, targets
from youke.monitoring.domain.reading import stage_breakdown, unit_report
from youke.monitoring.models import Indicator
from youke.orgs.domain import units as units_domain
from youke.orgs.models import Unit

pytestmark = pytest.mark.django_db


def cells(row):
    return {cell.key: (cell.value, cell.target, cell.light) for cell in row.cells}


@pytest.fixture
def staged(province, tree):
    Unit.objects.filter(pk=province.school_a.pk).update(stage="primary")
    Unit.objects.filter(pk=province.school_b.pk).update(stage="junior")
    registry.ensure_defaults()
    participation = Indicator.objects.get(key="participation")
    owner = Actor(province.platform_admin)
    targets.set_campaign_target(
        owner, tree.campaign, participation, "", Decimal("80"), stage="primary"
    )
    targets.set_campaign_target(
        owner, tree.campaign, participation, "", Decimal("100"), stage="junior"
    )
    return tree


def test_a_school_takes_its_stage_target_and_others_keep_theirs(province, staged):
    county_a = {r.name: r for r in unit_report(staged.campaign, province.county_a).children}
    # 实验小学 (小学): 3 of 4 showcased = 75 % against the 小学 target 80 → amber
    assert cells(county_a["东湖区实验小学"])["participation"] == (75.0, 80.0, "amber")
    assert county_a["东湖区实验小学"].stage == "primary"
    # the school without a stage keeps the 城区 target of every stage (90)
    assert cells(county_a["东湖区空白学校"])["participation"] == (None, 90.0, "none")
    county_b = unit_report(staged.campaign, province.county_b).children
    assert cells(county_b[0])["participation"] == (100.0, 100.0, "green")
    # the counties themselves (no stage) keep the area target
    city = {r.name: r for r in unit_report(staged.campaign, province.city).children}
    assert cells(city["东湖区"])["participation"] == (75.0, 90.0, "amber")
    # other indicators of a stage without its own row fall back to the area rows
    assert cells(county_a["东湖区实验小学"])["excellent_rate"] == (50.0, 40.0, "green")


def test_a_typed_stage_row_wins_over_the_untyped_one(province, staged):
    participation = Indicator.objects.get(key="participation")
    targets.set_campaign_target(
        Actor(province.platform_admin),
        staged.campaign,
        participation,
        "urban",
        Decimal("70"),
        stage="primary",
    )
    row = next(
        r
        for r in unit_report(staged.campaign, province.county_a).children
        if r.unit_id == province.school_a.pk
    )
    assert cells(row)["participation"] == (75.0, 70.0, "green")


def test_stage_breakdown_sums_schools_of_the_subtree(province, staged):
    report = unit_report(staged.campaign, province.city)
    rows = stage_breakdown(staged.campaign, province.city, report.targets)
    assert [(r["stage"], r["schools"], r["teachers"], r["lessons"]) for r in rows] == [
        ("primary", 1, 4, 5),  # the teaching point is inside its school's figure
        ("junior", 1, 3, 6),
        ("", 1, 0, 0),  # the empty school has no stage
    ]
    by_stage = {r["stage"]: {c.key: (c.value, c.target, c.light) for c in r["cells"]} for r in rows}
    assert by_stage["primary"]["participation"] == (75.0, 80.0, "amber")
    assert by_stage["junior"]["participation"] == (100.0, 100.0, "green")
    only_b = stage_breakdown(staged.campaign, province.county_b, report.targets)
    assert [r["stage"] for r in only_b] == ["junior"]


def test_dashboard_and_api_show_the_stages(client, province, staged):
    client.force_login(province.city_admin)
    page = client.get(
        reverse("manage_monitoring:dashboard"),
        {"campaign": staged.campaign.pk, "unit": province.city.pk},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="stage-figures"' in html and 'data-stage="junior"' in html
    answer = client.get(
        "/api/v1/monitoring/figures",
        {"campaign": staged.campaign.pk, "unit": province.county_a.pk},
    ).json()
    assert [s["stage"] for s in answer["stages"]] == ["primary", ""]
    school = next(c for c in answer["children"] if c["unit_id"] == province.school_a.pk)
    assert school["stage"] == "primary"
    # another county's figures stay out of reach
    client.force_login(province.county_b_admin)
    other = client.get(
        "/api/v1/monitoring/figures",
        {"campaign": staged.campaign.pk, "unit": province.county_a.pk},
    )
    assert other.status_code == 404


def test_stage_target_rows_are_listed_and_checked(client, province, staged):
    client.force_login(province.platform_admin)
    listed = client.get("/api/v1/monitoring/indicators", {"campaign": staged.campaign.pk}).json()
    rows = next(i for i in listed if i["key"] == "participation")["targets"]
    assert {"area_type": "", "stage": "junior", "value": "100.00"} in rows
    with pytest.raises(ValidationError):
        targets.set_campaign_target(
            Actor(province.platform_admin),
            staged.campaign,
            Indicator.objects.get(key="participation"),
            "",
            Decimal("50"),
            stage="kindergarten",
        )


def test_only_schools_carry_a_stage(province):
    actor = Actor(province.platform_admin)
    with pytest.raises(ValidationError) as caught:
        units_domain.update_unit(actor, province.county_a, stage="primary")
    assert "stage" in caught.value.message_dict
    units_domain.update_unit(actor, province.school_a, stage="senior")
    province.school_a.refresh_from_db()
    assert province.school_a.get_stage_display() == "高中"


def test_unit_import_reads_the_stage_column(province, run_on_commit):
    blank = [""] * (len(UNIT_HEADERS) - 5)
    upload = xlsx(
        UNIT_HEADERS,
        [
            ["9901010020", "东湖区第二初级中学", "学校", "990101", "城区", *blank[:-1], "初中"],
            ["9901010021", "东湖区幼儿园", "学校", "990101", "城区", *blank[:-1], "幼儿园"],
        ],
    )
    job = run_import(run_on_commit, province.county_a_admin, "orgs.import_units", upload)
    assert (job.result["created"], job.result["failed"]) == (1, 1)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [(3, "学段")]
    assert Unit.objects.get(code="9901010020").stage == "junior"
