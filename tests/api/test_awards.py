"""Proposed recommendation list and awards through the API (issue 4 items 9, 10, 15)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import NOT_FOUND, ids
from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level, otol_campaign  # noqa: F401  (fixture)
from tests.selection.test_awards import ranked  # noqa: F401  (fixture)
from tests.selection.test_proposal import example  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.campaigns.models import PastAward
from youke.selection.enums import EntryState
from youke.selection.models import Award, LevelEntry

pytestmark = pytest.mark.django_db


def _query(camp, city, province, review_round=None) -> dict:
    query = {"campaign": camp.pk, "level": city.pk, "unit": province.city.pk}
    if review_round is not None:
        query["round"] = review_round.pk
    return query


# --- proposal --------------------------------------------------------------------------------


def test_get_proposal_rows_and_skip_reasons(province, example, api_as):  # noqa: F811
    camp, city, e, review_round, x = example
    response = api_as(province.city_admin).get(
        "/selection/proposal", **_query(camp, city, province, review_round)
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["round_id"], body["proposed"]) == (review_round.pk, 3)
    got = [(r["title"], r["score"], r["proposed"], r["skip_reason"]) for r in body["rows"]]
    assert got == [
        ("戊", 99, False, "评审一票否决"),
        ("甲", 95, True, ""),
        ("乙", 90, False, f"{x.name}名额已满（1/1）"),
        ("丙", 88, False, "该教师已有作品被推荐（每位教师限推荐一件）"),
        ("丁", 85, False, "同一课程节点已推荐《甲》（每个节点原则上推荐一件）"),
        ("己", 80, True, ""),
        ("庚", None, True, ""),
        ("辛", None, False, "名额已满（3/3）"),
    ]
    assert body["rows"][1]["entry_id"] == e["e1"].pk
    assert body["rows"][0]["vetoed"] is True


def test_proposal_scope_404(province, example, api_as):  # noqa: F811
    camp, city, _e, review_round, _x = example
    query = _query(camp, city, province, review_round)
    county = api_as(province.county_a_admin)
    assert county.get("/selection/proposal", **query).json() == NOT_FOUND
    assert county.post("/selection/proposal/apply", query).status_code == 404
    admin = api_as(province.city_admin)
    # A level of another unit kind, a round of another level: 404 as on the page.
    county_level = level(camp, "county")
    wrong_level = {**query, "level": county_level.pk}
    assert admin.get("/selection/proposal", **wrong_level).status_code == 404
    assert admin.get("/selection/proposal", **{**query, "round": 999999}).status_code == 404
    assert api_as(province.teacher_a).get("/selection/proposal", **query).status_code == 404


def test_apply_proposal(province, example, api_as):  # noqa: F811
    camp, city, e, review_round, _x = example
    admin = api_as(province.city_admin)
    query = _query(camp, city, province, review_round)
    response = admin.post("/selection/proposal/apply", query)
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["recommended"]) == sorted([e["e1"].pk, e["e6"].pk, e["e7"].pk])
    assert body["kept"] == [] and body["refused"] == []
    recommended = LevelEntry.objects.filter(level=city, state=EntryState.RECOMMENDED)
    assert set(recommended.values_list("submission__title", flat=True)) == {"甲", "己", "庚"}
    again = admin.post("/selection/proposal/apply", query).json()
    assert again["recommended"] == [] and len(again["kept"]) == 3


def test_proposal_missing_parameters_422_in_chinese(province, example, api_as):  # noqa: F811
    response = api_as(province.city_admin).get("/selection/proposal")
    assert response.status_code == 422
    assert response.json()["detail"]["campaign"] == ["此项为必填项，请填写。"]


# --- awards ----------------------------------------------------------------------------------


def test_propose_awards(province, ranked, api_as):  # noqa: F811
    review_round, entries, grades = ranked
    response = api_as(province.city_admin).get(
        f"/selection/rounds/{review_round.pk}/awards/proposal"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["closed"] is True
    assert [g["name"] for g in body["grades"]] == ["一等奖", "二等奖", "三等奖"]
    got = [(r["title"], r["rank"], r["grade"] and r["grade"]["name"]) for r in body["rows"]]
    assert got == [
        ("甲", 1, "一等奖"),
        ("乙", 2, "二等奖"),
        ("丙", 3, "二等奖"),
        ("丁", 4, "三等奖"),
        ("戊", 5, None),
    ]
    assert body["rows"][0]["score"] == 90 and not body["rows"][0]["awarded"]
    for who in ("county_b_admin", "teacher_a", "expert"):
        other = api_as(getattr(province, who))
        assert other.get(f"/selection/rounds/{review_round.pk}/awards/proposal").json() == (
            NOT_FOUND
        )


def test_grant_list_and_revoke(province, ranked, api_as):  # noqa: F811
    review_round, entries, grades = ranked
    admin = api_as(province.city_admin)
    url = f"/selection/rounds/{review_round.pk}/awards"
    deviation = {"entry": entries[4].pk, "grade": grades[2].pk}
    first = {"entry": entries[0].pk, "grade": grades[0].pk}
    refused = admin.post(url, {"awards": [first, deviation]})
    assert refused.status_code == 422
    assert "请填写调整理由" in refused.json()["detail"]["__all__"][0]
    assert not Award.objects.exists()  # all or nothing
    granted = admin.post(url, {"awards": [first, {**deviation, "reason": "专家组复议"}]})
    assert granted.status_code == 201
    body = granted.json()
    assert [(a["title"], a["grade"]["name"], a["reason"]) for a in body] == [
        ("甲", "一等奖", ""),
        ("戊", "三等奖", "专家组复议"),
    ]
    assert body[0]["teacher_name"] == "王老师" and body[0]["active"] is True
    assert body[0]["level"]["key"] == "city" and body[0]["round_id"] == review_round.pk
    proposal = admin.get(f"/selection/rounds/{review_round.pk}/awards/proposal").json()
    assert [r["awarded"] for r in proposal["rows"]] == [True, False, False, False, True]
    again = admin.post(url, {"awards": [first]})
    assert again.status_code == 422
    assert "已获得本级奖项" in again.json()["detail"]["__all__"][0]

    award_ids = [a["id"] for a in body]
    for who, expected in {
        "city_admin": award_ids,
        "province_admin": award_ids,
        "county_a_admin": [],
        "teacher_a": [],
        "expert": [],
    }.items():
        listed = api_as(getattr(province, who)).get("/selection/awards")
        assert sorted(ids(listed)) == sorted(expected), who

    revoke = f"/selection/awards/{award_ids[0]}/revoke"
    assert api_as(province.county_b_admin).post(revoke, {"reason": "x"}).json() == NOT_FOUND
    empty = admin.post(revoke, {"reason": " "})
    assert empty.status_code == 422
    assert empty.json()["detail"]["reason"] == ["请填写撤销理由，它会记入日志。"]
    past_id = Award.objects.get(pk=award_ids[0]).past_award_id
    done = admin.post(revoke, {"reason": "公示期异议成立"})
    assert done.status_code == 200
    assert (done.json()["active"], done.json()["revoked_reason"]) == (False, "公示期异议成立")
    assert not PastAward.objects.filter(pk=past_id).exists()
    twice = admin.post(revoke, {"reason": "再次撤销"})
    assert twice.status_code == 422
    assert twice.json()["detail"]["__all__"] == ["该奖项已经撤销，无需重复操作。"]
    active = admin.get("/selection/awards", active="true", round=review_round.pk)
    assert ids(active) == [award_ids[1]]


def test_grant_refusals(province, ranked, api_as):  # noqa: F811
    review_round, entries, grades = ranked
    url = f"/selection/rounds/{review_round.pk}/awards"
    admin = api_as(province.city_admin)
    empty = admin.post(url, {"awards": []})
    assert empty.status_code == 422
    assert empty.json()["detail"]["awards"] == ["没有选择任何作品：请为要授奖的作品选择奖项。"]
    unknown = admin.post(url, {"awards": [{"entry": 999999, "grade": grades[0].pk}]})
    assert unknown.json()["detail"]["awards"] == ["所选作品或奖项不属于本轮评审：请刷新后重试。"]
    other = api_as(province.county_a_admin).post(
        url, {"awards": [{"entry": entries[0].pk, "grade": grades[0].pk}]}
    )
    assert other.json() == NOT_FOUND
    assert not Award.objects.exists()


def _count(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, **params).status_code == 200
    return len(ctx)


def test_query_counts_flat(province, ranked, example, api_as):  # noqa: F811
    review_round, entries, grades = ranked
    admin = api_as(province.city_admin)
    url = f"/selection/rounds/{review_round.pk}/awards"
    admin.post(url, {"awards": [{"entry": entries[0].pk, "grade": grades[0].pk}]})
    one = _count(admin, "/selection/awards")
    rest = [{"entry": entries[i].pk, "grade": grades[1].pk} for i in (1, 2)]
    assert admin.post(url, {"awards": rest}).status_code == 201
    assert _count(admin, "/selection/awards") == one
    proposal = f"/selection/rounds/{review_round.pk}/awards/proposal"
    before = _count(admin, proposal)
    camp, city, _e, other_round, _x = example
    query = _query(camp, city, province, other_round)
    fewer = _count(admin, "/selection/proposal", **query)
    LevelEntry.objects.filter(submission__title="辛").delete()
    assert _count(admin, "/selection/proposal", **query) == fewer
    assert _count(admin, proposal) == before
