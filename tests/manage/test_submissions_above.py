"""The 作品 menu above school: packages recommended out of the schools, scoped and filterable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.campaigns.conftest import add, catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.models import LevelEntry

pytestmark = pytest.mark.django_db

URL = "/manage/submissions/"


def _send_up(actor, campaign, school, entries, declined=()):  # noqa: F811
    for entry in entries:
        decide(actor, entry, "recommended")
    for entry in declined:
        decide(actor, entry, "not_recommended", reason="名额有限")
    confirm_list(actor, campaign, level(campaign, "school"), school)


@pytest.fixture
def sent(province, campaign, lessons):  # noqa: F811
    a = [submitted(campaign, province.teacher_a, lessons[i], t) for i, t in enumerate("甲乙丙")]
    b = submitted(campaign, province.teacher_b, lessons[5], "丁")
    _send_up(Actor(province.school_a_admin), campaign, province.school_a, a[:2], declined=a[2:])
    _send_up(Actor(province.county_b_admin), campaign, province.school_b, [b])
    return a, b


def listed(client, person, **query):
    client.force_login(person)
    response = client.get(URL, query)
    assert response.status_code == 200
    return (
        sorted(s.title for s in response.context["page"]),
        [(u.name, n) for u, n in response.context["children"]],
    )


def test_county_sees_what_its_schools_recommended(client, province, sent):
    assert listed(client, province.county_a_admin) == (["乙", "甲"], [("东湖区实验小学", 2)])
    assert listed(client, province.county_b_admin) == (["丁"], [("西岭县第一中学", 1)])


def test_city_counts_per_child_and_drills_down(client, province, sent):
    assert listed(client, province.city_admin) == (
        ["丁", "乙", "甲"],
        [("东湖区", 2), ("西岭县", 1)],
    )
    assert listed(client, province.city_admin, unit=province.county_a.pk) == (
        ["乙", "甲"],
        [("东湖区实验小学", 2)],
    )
    html = client.get(URL, {"unit": province.county_a.pk}).content.decode()
    assert f'<a href="?unit={province.city.pk}">青山市</a>' in html  # the way back up


def test_filters_state_text_and_campaign(client, province, campaign, sent):  # noqa: F811
    county_entry = LevelEntry.objects.get(level__key="county", submission__title="甲")
    decide(Actor(province.county_a_admin), county_entry, "not_recommended", reason="试讲未完成")
    assert listed(client, province.city_admin, state="not_recommended")[0] == ["甲"]
    assert listed(client, province.city_admin, state="pending")[0] == ["丁", "乙"]
    assert listed(client, province.city_admin, q="李老师")[0] == ["丁"]
    assert listed(client, province.city_admin, q="乙")[0] == ["乙"]
    assert listed(client, province.city_admin, campaign=campaign.pk + 999)[0] == []


def test_another_county_stays_invisible(client, province, sent):
    client.force_login(province.county_a_admin)
    assert client.get(URL, {"unit": province.county_b.pk}).status_code == 404
    assert client.get(URL, {"unit": province.school_b.pk}).status_code == 404


def test_school_admin_keeps_the_school_list(client, province, sent):
    client.force_login(province.school_a_admin)
    response = client.get(URL)
    assert "本校作品" in response.content.decode()
    assert sorted(s.title for s in response.context["page"]) == ["丙", "乙", "甲"]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    return len(captured)


def test_query_count_is_flat(client, province, campaign, lessons):  # noqa: F811
    client.force_login(province.city_admin)
    one = submitted(campaign, province.teacher_a, lessons[0], "一")
    _send_up(Actor(province.school_a_admin), campaign, province.school_a, [one])
    first = _queries(client)
    more = [submitted(campaign, province.teacher_b, lessons[i], f"课{i}") for i in (1, 2)]
    _send_up(Actor(province.county_b_admin), campaign, province.school_b, more)
    assert len(listed(client, province.city_admin)[0]) == 3
    assert _queries(client) == first
