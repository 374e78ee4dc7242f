"""Rounds by subject through the API: preview, create, names, scope, mismatch confirmation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.api.conftest import NOT_FOUND
from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import level
from tests.selection.test_subject_rounds import chinese, entries, experts  # noqa: F401
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.selection.models import ReviewRound, RoundExpert

pytestmark = pytest.mark.django_db


def body(province, campaign, **extra):  # noqa: F811
    return {
        "campaign": campaign.pk,
        "level": level(campaign, "city").pk,
        "unit": province.city.pk,
        "name_prefix": "市级评审",
        "reviews_per_entry": 2,
        "deadline": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        **extra,
    }


def test_preview_then_create(province, campaign, entries, experts, api_as):  # noqa: F811
    client = api_as(province.city_admin)
    preview = client.post("/reviews/rounds/by-subject", body(province, campaign, preview=True))
    assert preview.status_code == 200
    assert [
        (g["round_id"], g["name"], g["entry_count"], [e["full_name"] for e in g["experts"]])
        for g in preview.json()
    ] == [
        (None, "市级评审·小学数学", 2, ["小学专家", "数学专家"]),
        (None, "市级评审·小学语文", 1, ["小学专家"]),
        (None, "市级评审·初中物理", 1, []),
    ]
    assert not ReviewRound.objects.exists()
    created = client.post("/reviews/rounds/by-subject", body(province, campaign))
    assert created.status_code == 201
    rounds = list(ReviewRound.objects.order_by("id"))
    assert [g["round_id"] for g in created.json()] == [r.pk for r in rounds]
    assert [(g["stage"], g["subject"], g["warning"] == "") for g in created.json()] == [
        ("小学", "数学", True),
        ("小学", "语文", False),
        ("初中", "物理", False),
    ]
    assert "专家名单为空" in created.json()[2]["warning"]
    again = client.post("/reviews/rounds/by-subject", body(province, campaign))
    assert again.status_code == 422
    assert again.json()["detail"] == {
        "__all__": [
            "评审轮次名称已被本单位在该活动中使用：“市级评审·小学数学”、“市级评审·小学语文”、"
            "“市级评审·初中物理”。请换一个名称（或名称前缀）。"
        ]
    }
    assert ReviewRound.objects.count() == 3


def test_other_county_admin_gets_404(province, campaign, entries, experts, api_as):  # noqa: F811
    for who in ("county_a_admin", "teacher_a"):
        response = api_as(getattr(province, who)).post(
            "/reviews/rounds/by-subject", body(province, campaign)
        )
        assert (response.status_code, response.json()) == (404, NOT_FOUND), who
    assert not ReviewRound.objects.exists()


def test_mismatched_expert_needs_confirmation(province, campaign, entries, experts, api_as):  # noqa: F811
    client = api_as(province.city_admin)
    client.post("/reviews/rounds/by-subject", body(province, campaign))
    physics = ReviewRound.objects.get(name="市级评审·初中物理")
    path = f"/reviews/rounds/{physics.pk}/experts"
    refused = client.post(path, {"expert": experts["数学"].pk})
    assert refused.status_code == 422
    assert "请勾选“学段学科不符仍添加”" in str(refused.json()["detail"])
    added = client.post(path, {"expert": experts["数学"].pk, "confirm_mismatch": True})
    assert added.status_code == 200
    assert added.json()["expert"]["full_name"] == "数学专家"
    assert list(RoundExpert.objects.filter(round=physics).values_list("expert_id", flat=True)) == [
        experts["数学"].pk
    ]
