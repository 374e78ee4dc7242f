import pytest
from django.urls import reverse

from tests.selection.conftest import level, submitted
from youke.core.actor import Actor
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.domain.quotas import allocate_quota
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry, Quota, ScreeningRecord

pytestmark = pytest.mark.django_db


def inbox(client, campaign, unit, **extra):
    return client.get(
        reverse("manage_selection:inbox"), {"campaign": campaign.pk, "unit": unit.pk, **extra}
    )


def test_school_inbox_lists_entries_with_quota(client, province, campaign, lessons):
    submitted(campaign, province.teacher_a, lessons[0], "甲")
    submitted(campaign, province.teacher_b, lessons[1], "乙")  # other county
    allocate_quota(
        Actor(province.county_a_admin), campaign, level(campaign, "school"), province.school_a, 3
    )
    client.force_login(province.school_a_admin)
    response = inbox(client, campaign, province.school_a)
    assert [e.submission.title for e in response.context["page"]] == ["甲"]
    assert (response.context["usage"].used, response.context["usage"].allowed) == (0, 3)
    assert "已推荐 0 / 名额 3" in response.content.decode()


def test_decide_and_bulk_through_pages(client, province, campaign, lessons, catalog):
    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙")
    c = submitted(campaign, province.teacher_a, lessons[1], "丙")  # same node as 乙
    client.force_login(province.school_a_admin)
    url = reverse("manage_selection:entry_decide", args=[a.pk])
    response = client.post(url, {"decision": "not_recommended"}, follow=True)
    assert "请填写理由" in response.content.decode()
    client.post(url, {"decision": "not_recommended", "reason": "主题不符"})
    response = client.post(
        reverse("manage_selection:bulk_recommend"), {"entry": [b.pk, c.pk]}, follow=True
    )
    text = response.content.decode()
    assert "已推荐 1 件，共选择 2 件。" in text
    assert "《丙》：同一课程节点已推荐《乙》" in text
    states = dict(LevelEntry.objects.values_list("submission__title", "state"))
    assert states == {"甲": "not_recommended", "乙": "recommended", "丙": "pending"}
    client.post(
        url.replace(str(a.pk), str(c.pk)), {"decision": "not_recommended", "reason": "重复"}
    )
    response = client.post(
        reverse("manage_selection:confirm"),
        {
            "campaign": campaign.pk,
            "unit": province.school_a.pk,
            "level": level(campaign, "school").pk,
            "confirmed": "1",
        },
        follow=True,
    )
    assert "推荐名单已确认并报送上级" in response.content.decode()
    assert response.context["confirmed"] is True
    county = LevelEntry.objects.get(level__key="county")
    assert (county.submission.title, county.unit) == ("乙", province.county_a)


def test_other_county_gets_404(client, province, campaign, lessons):
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    decide(Actor(province.school_a_admin), entry, EntryState.RECOMMENDED)
    confirm_list(
        Actor(province.school_a_admin), campaign, level(campaign, "school"), province.school_a
    )
    county_entry = LevelEntry.objects.get(level__key="county")
    client.force_login(province.county_b_admin)
    assert inbox(client, campaign, province.county_a).status_code == 404
    decide_url = reverse("manage_selection:entry_decide", args=[county_entry.pk])
    assert client.post(decide_url, {"decision": "recommended"}).status_code == 404
    screening_url = reverse("manage_selection:screening", args=[county_entry.pk])
    assert client.get(screening_url).status_code == 404
    assert (
        client.post(
            reverse("manage_selection:confirm"),
            {"campaign": campaign.pk, "unit": province.county_a.pk},
        ).status_code
        == 404
    )
    county_entry.refresh_from_db()
    assert county_entry.state == EntryState.PENDING
    # Their own county's inbox is empty; teachers get 404 on the whole page.
    assert list(inbox(client, campaign, province.county_b).context["page"]) == []
    client.force_login(province.teacher_a)
    assert client.get(reverse("manage_selection:inbox")).status_code == 404


def test_screening_form(client, province, campaign, lessons):
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    decide(Actor(province.school_a_admin), entry, EntryState.RECOMMENDED)
    confirm_list(
        Actor(province.school_a_admin), campaign, level(campaign, "school"), province.school_a
    )
    county_entry = LevelEntry.objects.get(level__key="county")
    client.force_login(province.county_a_admin)
    # No screening at the school level.
    assert client.get(reverse("manage_selection:screening", args=[entry.pk])).status_code == 404
    url = reverse("manage_selection:screening", args=[county_entry.pk])
    response = client.post(
        url,
        {
            "technical_check": "pass",
            "trial_date": "2026-09-16",
            "panel": "张老师、李老师",
            "trial_result": "pass",
            "comments": "教学设计清晰",
        },
    )
    assert response.status_code == 302
    record = ScreeningRecord.objects.get(entry=county_entry)
    assert (record.passed, record.panel, str(record.trial_date)) == (
        True,
        "张老师、李老师",
        "2026-09-16",
    )
    response = inbox(client, campaign, province.county_a)
    assert [e.screening.passed for e in response.context["page"]] == [True]


def test_quota_page_hand_and_proportional_preview(client, province, campaign, lessons):
    submitted(campaign, province.teacher_a, lessons[0], "甲")
    submitted(campaign, province.teacher_a, lessons[1], "乙")
    submitted(campaign, province.teacher_b, lessons[2], "丙")
    county = level(campaign, "county")
    client.force_login(province.city_admin)
    url = reverse("manage_selection:quotas")
    params = {"campaign": campaign.pk, "unit": province.city.pk, "level": county.pk}
    client.post(url, {**params, f"allowed_{province.county_a.pk}": "4"})
    assert dict(Quota.objects.values_list("unit__name", "allowed")) == {"东湖区": 4}
    response = client.get(url, {**params, "total": "9"})
    assert [(r.unit.name, r.allowed) for r in response.context["preview"]] == [
        ("东湖区", 6),
        ("西岭县", 3),
    ]
    assert Quota.objects.get(unit=province.county_a).allowed == 4  # preview saves nothing
    client.post(url, {**params, "action": "proportional", "total": "9", "bonus": "0"})
    assert dict(Quota.objects.values_list("unit__name", "allowed")) == {"东湖区": 6, "西岭县": 3}
    # A county cannot allocate its own quota: the page refuses with 404.
    client.force_login(province.county_a_admin)
    response = client.post(
        url,
        {
            "campaign": campaign.pk,
            "unit": province.county_a.pk,
            f"allowed_{province.school_a.pk}": "2",
        },
    )
    assert response.status_code == 302  # schools are the county's children: allowed
    assert Quota.objects.get(unit=province.school_a).allowed == 2


def test_inbox_query_count_is_flat(
    client, province, campaign, lessons, django_assert_max_num_queries
):
    client.force_login(province.school_a_admin)
    submitted(campaign, province.teacher_a, lessons[0], "一")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            inbox(client, campaign, province.school_a)
        return len(ctx.captured_queries)

    one = count()
    submitted(campaign, province.teacher_a, lessons[1], "二")
    submitted(campaign, province.teacher_a, lessons[2], "三")
    assert count() == one


def test_quota_page_takes_a_non_ascii_digit_as_missing(client, province, campaign):
    """ "²" passes ``str.isdigit`` but not ``int``: it used to answer 500."""
    county = level(campaign, "county")
    client.force_login(province.city_admin)
    url = reverse("manage_selection:quotas")
    params = {"campaign": campaign.pk, "unit": province.city.pk, "level": county.pk}
    response = client.post(url, {**params, "action": "proportional", "total": "²", "bonus": "²"})
    assert response.status_code in (200, 302)
