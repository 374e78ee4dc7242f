"""按学科批量创建评审轮次 page and the expert picker on the round page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import level
from tests.selection.test_review_domain import expert
from tests.selection.test_subject_rounds import chinese, entries, experts  # noqa: F401
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.selection.domain.review import create_round, set_round_state
from youke.selection.models import Assignment, ReviewRound, RoundExpert

pytestmark = pytest.mark.django_db

URL = reverse("manage_reviews:by_subject")


def form(province, campaign, action, **extra):  # noqa: F811
    deadline = timezone.localtime(timezone.now() + datetime.timedelta(days=5))
    return {
        "level": level(campaign, "city").pk,
        "unit": province.city.pk,
        "name_prefix": "市级评审",
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "reviews_per_entry": 2,
        "max_load": 10,
        "blind": "on",
        "action": action,
        **extra,
    }


def test_preview_then_create(client, province, campaign, entries, experts):  # noqa: F811
    client.force_login(province.city_admin)
    listing = client.get(reverse("manage_reviews:rounds")).content.decode()
    assert f'href="{URL}"' in listing and "按学科批量创建评审轮次" in listing
    preview = client.post(URL, form(province, campaign, "preview"))
    assert [
        (g.name, len(g.entry_ids), [p.full_name for p in g.experts], bool(w))
        for g, w in (preview.context["rows"])
    ] == [
        ("市级评审·小学数学", 2, ["小学专家", "数学专家"], False),
        ("市级评审·小学语文", 1, ["小学专家"], True),
        ("市级评审·初中物理", 1, [], True),
    ]
    text = preview.content.decode()
    assert "创建 3 个评审轮次" in text and "专家名单为空" in text
    assert not ReviewRound.objects.exists()
    created = client.post(URL, form(province, campaign, "create"), follow=True)
    assert created.redirect_chain == [(reverse("manage_reviews:rounds"), 302)]
    shown = [str(m) for m in created.context["messages"]]
    assert shown[0] == (
        "已按学科创建 3 个评审轮次：市级评审·小学数学、市级评审·小学语文、市级评审·初中物理。"
    )
    assert len(shown) == 3 and "只有 1 位" in shown[1] and "专家名单为空" in shown[2]
    assert list(ReviewRound.objects.order_by("id").values_list("name", "blind")) == [
        ("市级评审·小学数学", True),
        ("市级评审·小学语文", True),
        ("市级评审·初中物理", True),
    ]
    assert set(RoundExpert.objects.values_list("max_load", flat=True)) == {10}
    again = client.post(URL, form(province, campaign, "create"))
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [
        "评审轮次名称已被本单位在该活动中使用：“市级评审·小学数学”、“市级评审·小学语文”、"
        "“市级评审·初中物理”。请换一个名称（或名称前缀）。"
    ]
    assert again.context["form"]["name_prefix"].value() == "市级评审"  # what was typed stays


def test_other_county_admin_cannot_use_the_city(client, province, campaign, entries):  # noqa: F811
    client.force_login(province.county_a_admin)
    response = client.post(URL, form(province, campaign, "create"))
    # The city is not among the county admin's units: the form refuses it.
    assert "unit" in response.context["form"].errors
    assert not ReviewRound.objects.exists()
    client.force_login(province.teacher_a)
    assert client.get(URL).status_code == 404
    client.force_login(province.city_admin)
    client.post(URL, form(province, campaign, "create"))
    math_round = ReviewRound.objects.get(name="市级评审·小学数学")
    client.force_login(province.county_b_admin)
    assert client.get(reverse("manage_reviews:round", args=[math_round.pk])).status_code == 404


def test_picker_columns(client, province, campaign, entries, experts, catalog):  # noqa: F811
    admin = Actor(province.city_admin)
    busy = create_round(
        admin,
        campaign,
        level(campaign, "city"),
        province.city,
        name="忙",
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    set_round_state(admin, busy, "open")
    Assignment.objects.create(round=busy, entry=entries["数学甲"], expert=experts["小学"])
    Assignment.objects.create(round=busy, entry=entries["语文"], expert=experts["小学"])
    client.force_login(province.city_admin)
    client.post(URL, form(province, campaign, "create"))
    math_round = ReviewRound.objects.get(name="市级评审·小学数学")
    RoundExpert.objects.filter(round=math_round).delete()
    # teaches at school B, where 数学乙 comes from
    expert(province.school_b, "乙校专家", catalog.primary, on=province.city)
    url = reverse("manage_reviews:round", args=[math_round.pk])
    page = client.get(url)
    rows = [
        (c.expert.full_name, c.areas, c.load, c.conflicts, c.mismatch)
        for c in page.context["candidates"]
    ]
    assert rows == [
        ("乙校专家", ["小学"], 0, 1, False),
        ("小学专家", ["小学"], 2, 0, False),
        ("数学专家", ["小学数学"], 0, 0, False),
        ("无学科专家", [], 0, 0, True),
        ("物理专家", ["初中物理"], 0, 1, True),
        ("赵专家", [], 0, 0, True),
    ]
    text = page.content.decode()
    assert text.count('class="badge text-bg-warning mismatch"') == 3
    assert "学段学科不符仍添加" in text
    mismatched = experts["物理"]
    refused = client.post(url, {"action": "add_expert", "expert": mismatched.pk}, follow=True)
    assert "请勾选“学段学科不符仍添加”" in " ".join(str(m) for m in refused.context["messages"])
    assert not RoundExpert.objects.filter(round=math_round).exists()
    client.post(
        url,
        {"action": "add_expert", "expert": mismatched.pk, "max_load": "5", "confirm_mismatch": "1"},
    )
    assert list(
        RoundExpert.objects.filter(round=math_round).values_list("expert_id", "max_load")
    ) == [(mismatched.pk, 5)]


def test_picker_queries_flat(client, province, campaign, entries, experts, catalog):  # noqa: F811
    client.force_login(province.city_admin)
    client.post(URL, form(province, campaign, "create"))
    math_round = ReviewRound.objects.get(name="市级评审·小学数学")
    url = reverse("manage_reviews:round", args=[math_round.pk])
    counts = []
    for n in (1, 3):
        while len(client.get(url).context["candidates"]) < n + 3:
            expert(province.city, f"新专家{ReviewRound.objects.count()}{n}", catalog.junior)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts.append((len(response.context["candidates"]), len(ctx)))
    assert [c for c, _n in counts] == [4, 6]
    assert counts[0][1] == counts[1][1]
