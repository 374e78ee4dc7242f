import pytest

from tests.factories import make_unit
from tests.selection.conftest import level, submitted
from youke.campaigns.models import PastAward
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.enums import UnitKind
from youke.selection.domain.quotas import apply_proportional, largest_remainder, proportional_quotas
from youke.selection.models import Quota


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [5, 3, 2], [5, 3, 2]),
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [0, 0], [4, 3]),
        (5, [3, 1, 1, 1], [2, 1, 1, 1]),
        (0, [2, 2], [0, 0]),
    ],
)
def test_largest_remainder_sums_exactly(total, weights, expected):
    parts = largest_remainder(total, weights)
    assert parts == expected and sum(parts) == total


@pytest.mark.django_db
def test_proportional_by_node_counts_with_award_bonus(province, campaign, lessons):
    for i in range(3):
        submitted(campaign, province.teacher_a, lessons[i], f"东{i}")
    submitted(campaign, province.teacher_a, lessons[0], "东重复")  # same node counts once
    submitted(campaign, province.teacher_b, lessons[5], "西")
    county = level(campaign, "county")
    PastAward.objects.create(
        node=lessons[9], level="province", year=2025, title="旧课", unit_name="西岭县第一中学"
    )
    PastAward.objects.create(  # another year: no bonus
        node=lessons[9], level="province", year=2024, title="更旧", unit_name="西岭县第一中学"
    )
    rows = proportional_quotas(campaign, county, province.city, 8, bonus_per_award=2)
    assert [(r.unit.name, r.nodes, r.base, r.awards, r.bonus, r.allowed) for r in rows] == [
        ("东湖区", 3, 6, 0, 0, 6),
        ("西岭县", 1, 2, 1, 2, 4),
    ]
    apply_proportional(
        Actor(province.city_admin), campaign, county, province.city, 8, bonus_per_award=2
    )
    assert dict(Quota.objects.filter(level=county).values_list("unit__name", "allowed")) == {
        "东湖区": 6,
        "西岭县": 4,
    }
    assert set(Quota.objects.values_list("basis", flat=True)) == {"proportional"}
    assert AuditEvent.objects.filter(object_type="selection.quota").count() == 2


@pytest.mark.django_db
def test_ambiguous_award_names_give_no_bonus(province, campaign, lessons):
    make_unit(province.county_a, UnitKind.SCHOOL, "同名小学")
    make_unit(province.county_b, UnitKind.SCHOOL, "同名小学")
    PastAward.objects.create(
        node=lessons[9], level="province", year=2025, title="旧课", unit_name="同名小学"
    )
    rows = proportional_quotas(
        campaign, level(campaign, "county"), province.city, 2, bonus_per_award=1
    )
    assert [r.bonus for r in rows] == [0, 0]
