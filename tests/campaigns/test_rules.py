"""Visibility and management as tables; each predicate agrees with its queryset twin."""

import pytest
from django.http import Http404

from tests.factories import make_admin, make_person, make_unit
from youke.campaigns import rules
from youke.campaigns.access import access_campaign
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.core.actor import Actor
from youke.orgs.enums import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, showcase):
    """The city's published campaign, the city's draft, and a second city with its own."""
    other_city = make_unit(province.province, UnitKind.CITY, "白水市", code="990200")
    other_school = make_unit(other_city, UnitKind.SCHOOL, "白水市第一小学", code="9902000001")
    people = {
        "platform": province.platform_admin,
        "province_admin": province.province_admin,
        "city_admin": province.city_admin,
        "county_a_admin": province.county_a_admin,
        "school_a_admin": province.school_a_admin,
        "teacher_a": province.teacher_a,
        "teacher_b": province.teacher_b,
        "expert": province.expert,
        "other_city_admin": make_admin(other_city, username="othercity"),
        "other_teacher": make_person(other_school, Role.TEACHER, username="otherteacher"),
    }
    set_campaign_state(showcase, "published", actor=Actor(province.city_admin))
    draft = create_campaign_from_template(
        Actor(province.city_admin), province.city, "quality_course", name="市级草稿", year=2026
    )
    other = create_campaign_from_template(
        Actor(people["other_city_admin"]), other_city, "one_teacher_one_lesson", name="", year=2026
    )
    set_campaign_state(other, "published", actor=Actor(people["other_city_admin"]))
    return people, {"city": showcase, "draft": draft, "other": other}


VISIBLE = {
    "platform": {"city", "draft", "other"},
    "province_admin": {"city", "draft", "other"},
    "city_admin": {"city", "draft"},
    "county_a_admin": {"city"},
    "school_a_admin": {"city"},
    "teacher_a": {"city"},
    "teacher_b": {"city"},
    "expert": {"city"},
    "other_city_admin": {"other"},
    "other_teacher": {"other"},
}
MANAGES = {
    "platform": {"city", "draft", "other"},
    "province_admin": {"city", "draft", "other"},
    "city_admin": {"city", "draft"},
    "other_city_admin": {"other"},
}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_visibility_table(world, who):
    people, campaigns = world
    person = people[who]
    listed = set(rules.campaigns_visible_to(person).values_list("pk", flat=True))
    assert listed == {campaigns[k].pk for k in VISIBLE[who]}
    for key, campaign in campaigns.items():
        assert rules.can_view_campaign(person, campaign) is (key in VISIBLE[who])
        assert rules.can_manage_campaign(person, campaign) is (key in MANAGES.get(who, set()))


def test_access_campaign_404(world):
    people, campaigns = world
    assert access_campaign(people["teacher_a"], campaigns["city"].pk) == campaigns["city"]
    with pytest.raises(Http404):
        access_campaign(people["teacher_a"], campaigns["other"].pk)
    with pytest.raises(Http404):
        access_campaign(people["county_a_admin"], campaigns["city"].pk, manage=True)
    with pytest.raises(Http404):
        access_campaign(people["teacher_a"], 999999)


def test_unit_deadline_permission(world, province):
    people, campaigns = world
    city = campaigns["city"]
    assert rules.can_set_unit_deadline(people["county_a_admin"], city, province.county_a)
    assert rules.can_set_unit_deadline(people["county_a_admin"], city, province.school_a)
    assert not rules.can_set_unit_deadline(people["county_a_admin"], city, province.county_b)
    assert not rules.can_set_unit_deadline(people["teacher_a"], city, province.school_a)
    assert not rules.can_set_unit_deadline(people["province_admin"], city, province.province)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("platform", True),
        ("province_admin", True),
        ("city_admin", True),
        ("county_a_admin", False),
        ("teacher_a", False),
    ],
)
def test_who_imports_past_awards(world, who, allowed):
    people, _campaigns = world
    assert rules.can_import_past_awards(people[who]) is allowed
