"""The ledger, manual credits, totals and honours record through /api/v1, scoped."""

from __future__ import annotations

from tests.api.conftest import NOT_FOUND, api_as  # noqa: F401  (fixture)
from tests.training.conftest import grant, showcase
from tests.training.test_pages import manual, tree  # noqa: F401  (fixture)
from youke.training.models import TrainingCredit


def test_list_is_scoped_and_names_sources(api_as, province, campaign, lessons):  # noqa: F811
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    grant(submission, "province", province.province, province.province_admin)
    showcase(campaign, province.teacher_b, lessons[1], "分数的意义")
    county_a = api_as(province.county_a_admin).get("/training/credits").json()
    assert [(c["teacher_name"], c["hours"], c["source"]) for c in county_a["items"]] == [
        ("王老师", 50.0, "《圆的面积》获省级遴选优课（一师一优课测试）"),
        ("王老师", 10.0, "晒课《圆的面积》（一师一优课测试）"),
    ]
    own = api_as(province.teacher_b).get("/training/credits").json()
    assert [c["teacher_name"] for c in own["items"]] == ["李老师"]
    other = api_as(province.county_b_admin).get("/training/credits", unit=province.county_a.pk)
    assert other.json() == {"items": [], "count": 0}


def test_add_credit_with_reason_and_404_outside(api_as, province):  # noqa: F811
    body = {
        "teacher": province.teacher_a.pk,
        "kind": "manual",
        "year": 2026,
        "hours": "6.5",
        "source": "市级培训",
        "reason": "补登",
    }
    outside = api_as(province.county_b_admin).post("/training/credits", body)
    assert (outside.status_code, outside.json()) == (404, NOT_FOUND)
    missing = api_as(province.county_a_admin).post("/training/credits", {**body, "reason": " "})
    assert missing.status_code == 422 and "reason" in missing.json()["detail"]
    made = api_as(province.county_a_admin).post("/training/credits", body)
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("kind", "hours", "reason", "teacher_id")} == {
        "kind": "manual",
        "hours": 6.5,
        "reason": "补登",
        "teacher_id": province.teacher_a.pk,
    }
    assert TrainingCredit.objects.count() == 1
    # A teacher cannot credit themself.
    own = api_as(province.teacher_a).post("/training/credits", body)
    assert own.status_code == 404 and TrainingCredit.objects.count() == 1


def test_totals_drill_down(api_as, province, tree):  # noqa: F811
    client = api_as(province.city_admin)
    answer = client.get("/training/totals", unit=province.city.pk, year=2026).json()
    assert answer["total"]["hours"] == 18.0 and answer["total"]["teachers"] == 4
    assert [(c["unit"] and c["unit"]["code"], c["hours"]) for c in answer["children"]] == [
        ("990101", 13.0),
        ("990102", 3.0),
        (None, 2.0),
    ]
    refused = api_as(province.county_b_admin).get("/training/totals", unit=province.county_a.pk)
    assert refused.status_code == 404


def test_honours_record_own_and_in_scope(api_as, province, campaign, lessons):  # noqa: F811
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    grant(submission, "province", province.province, province.province_admin)
    path = f"/training/teachers/{province.teacher_a.pk}/honours"
    own = api_as(province.teacher_a).get(path).json()
    assert own["total_hours"] == 60.0
    assert [(a["level"], a["grade"]) for a in own["awards"]] == [("省级遴选", "省级遴选优课")]
    assert own["hours_by_year"] == [
        {"year": 2026, "showcase": 10.0, "excellent": 50.0, "other": 0.0, "total": 60.0}
    ]
    assert api_as(province.county_a_admin).get(path).json()["teacher_name"] == "王老师"
    assert api_as(province.county_b_admin).get(path).status_code == 404
    assert api_as(province.teacher_b).get(path).status_code == 404
