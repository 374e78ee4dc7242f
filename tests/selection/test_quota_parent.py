"""Quotas add up: what the units below get never exceeds the parent's own quota (R7)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.selection.conftest import level, submitted
from tests.selection.test_quota_import import upload
from youke.core.actor import Actor
from youke.core.enums import JobState
from youke.core.models import Job
from youke.selection.domain.quotas import allocate_quota, apply_proportional
from youke.selection.models import Quota

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_quota(province, campaign):
    """The city may send 5 entries to the province; the province set it."""
    return allocate_quota(
        Actor(province.province_admin), campaign, level(campaign, "city"), province.city, 5
    )


def test_by_hand_refused_over_what_is_left(province, campaign, city_quota):
    county = level(campaign, "county")
    actor = Actor(province.city_admin)
    allocate_quota(actor, campaign, county, province.county_a, 3)
    with pytest.raises(ValidationError) as caught:
        allocate_quota(actor, campaign, county, province.county_b, 3)
    assert caught.value.message_dict["allowed"] == [
        "“青山市”本身的总名额为 5 件，已分给其他下级 3 件，还剩 2 件，不能给“西岭县”分配 3 件。"
        "请减少该单位或其他单位的名额，或请上级单位增加“青山市”的名额。"
    ]
    allocate_quota(actor, campaign, county, province.county_b, 2)
    # Re-setting one child replaces its own share: 3 → 1 leaves room for nothing more.
    allocate_quota(actor, campaign, county, province.county_a, 1)
    assert dict(Quota.objects.filter(level=county).values_list("unit__name", "allowed")) == {
        "东湖区": 1,
        "西岭县": 2,
    }


def test_parent_cannot_drop_below_what_it_gave(province, campaign, city_quota):
    allocate_quota(
        Actor(province.city_admin), campaign, level(campaign, "county"), province.county_a, 4
    )
    with pytest.raises(ValidationError) as caught:
        allocate_quota(
            Actor(province.province_admin), campaign, level(campaign, "city"), province.city, 3
        )
    assert caught.value.message_dict["allowed"] == [
        "“青山市”已把总名额 4 件分给下级单位，自身名额不能少于此数。请先减少下级单位的名额，再调低为 3 件。"
    ]
    assert Quota.objects.get(level__key="city", unit=province.city).allowed == 5


def test_category_quotas_add_up_separately(province, campaign, city_quota):
    category = campaign.categories.order_by("order", "id").first()
    allocate_quota(
        Actor(province.province_admin),
        campaign,
        level(campaign, "city"),
        province.city,
        1,
        category,
    )
    county = level(campaign, "county")
    actor = Actor(province.city_admin)
    allocate_quota(actor, campaign, county, province.county_a, 5)  # overall: 5 of 5
    with pytest.raises(ValidationError) as caught:
        allocate_quota(actor, campaign, county, province.county_a, 2, category)
    assert "“青山市”本身的“学科课程”类别名额为 1 件" in caught.value.messages[0]


def test_no_parent_quota_no_bound(province, campaign):
    allocate_quota(
        Actor(province.city_admin), campaign, level(campaign, "county"), province.county_a, 50
    )
    assert Quota.objects.get(unit=province.county_a).allowed == 50


def test_proportional_total_over_parent_refused_and_nothing_saved(
    province, campaign, lessons, city_quota
):
    submitted(campaign, province.teacher_a, lessons[0], "东")
    submitted(campaign, province.teacher_b, lessons[1], "西")
    county = level(campaign, "county")
    actor = Actor(province.city_admin)
    with pytest.raises(ValidationError) as caught:
        apply_proportional(actor, campaign, county, province.city, 6)
    assert "还剩" in caught.value.messages[0]
    assert not Quota.objects.filter(level=county).exists()
    # Shifting shares between siblings within the parent's quota always works.
    allocate_quota(actor, campaign, county, province.county_a, 1)
    allocate_quota(actor, campaign, county, province.county_b, 4)
    apply_proportional(actor, campaign, county, province.city, 5)
    assert dict(Quota.objects.filter(level=county).values_list("unit__name", "allowed")) == {
        "东湖区": 3,
        "西岭县": 2,
    }


def test_xlsx_rows_over_parent_listed(client, province, campaign, run_on_commit, city_quota):
    county = level(campaign, "county")
    client.force_login(province.city_admin)
    upload(
        client,
        run_on_commit,
        campaign,
        province.city,
        county,
        [["990101", "", 4], ["990102", "", 2]],
    )
    job = Job.objects.get(kind="selection.import_quotas")
    assert job.state == JobState.SUCCEEDED, job.message
    assert (job.result["created"], job.result["failed"]) == (1, 1)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [(3, "名额")]
    assert "还剩 1 件" in job.result["errors"][0]["reason"]
    assert dict(Quota.objects.filter(level=county).values_list("unit__name", "allowed")) == {
        "东湖区": 4
    }
