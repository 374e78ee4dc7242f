"""Selection API: scope, decisions under quotas and R5, confirmation, quotas, screening."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import NOT_FOUND, ids
from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.selection.domain.entries import decide
from youke.selection.models import LevelEntry, Quota

pytestmark = pytest.mark.django_db

QUOTA_FULL = "本级名额已用完：已推荐 1 件，名额 1 件。请先取消其他推荐，或请上级单位调整名额。"


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        ("school_a_admin", True),
        ("county_a_admin", True),
        ("city_admin", True),
        ("platform_admin", True),
        ("county_b_admin", False),
        ("teacher_a", False),
        ("expert", False),
        ("research", False),
    ],
)
def test_permission_table(province, campaign, lessons, api_as, viewer, allowed):  # noqa: F811
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    client = api_as(getattr(province, viewer))

    assert ids(client.get("/selection/entries")) == ([entry.pk] if allowed else [])
    detail = client.get(f"/selection/entries/{entry.pk}")
    recommend = client.post(f"/selection/entries/{entry.pk}/recommend")
    if allowed:
        assert (detail.status_code, recommend.status_code) == (200, 200)
        assert detail.json()["title"] == "甲"
        assert recommend.json()["state"] == "recommended"
        assert recommend.json()["state_label"] == "推荐"
    else:
        assert (detail.status_code, detail.json()) == (404, NOT_FOUND)
        assert (recommend.status_code, recommend.json()) == (404, NOT_FOUND)
        entry.refresh_from_db()
        assert entry.state == "pending"


def test_entry_shape_and_filters(province, campaign, lessons, api_as):  # noqa: F811
    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙")
    submitted(campaign, province.teacher_b, lessons[2], "丙")
    decide(Actor(province.school_a_admin), b, "not_recommended", reason="主题不符")
    client = api_as(province.county_a_admin)
    school = level(campaign, "school")
    assert ids(client.get("/selection/entries", state="pending")) == [a.pk]
    assert ids(client.get("/selection/entries", unit=province.school_a.pk)) == [a.pk, b.pk]
    assert ids(client.get("/selection/entries", level=school.pk, campaign=campaign.pk)) == [
        a.pk,
        b.pk,
    ]
    body = client.get(f"/selection/entries/{b.pk}").json()
    assert body == {
        "id": b.pk,
        "campaign_id": campaign.pk,
        "level": {"id": school.pk, "key": "school", "name": "学校推荐"},
        "unit": {"id": province.school_a.pk, "name": "东湖区实验小学", "code": "9901010001"},
        "submission_id": b.submission_id,
        "title": "乙",
        "teacher_name": "王老师",
        "school": {"id": province.school_a.pk, "name": "东湖区实验小学", "code": "9901010001"},
        "category_id": b.submission.category_id,
        "state": "not_recommended",
        "state_label": "不推荐",
        "reason": "主题不符",
        "override_reason": "",
        "decided_at": body["decided_at"],
        "created_at": body["created_at"],
    }
    assert body["decided_at"] is not None


def test_reasons_are_required_in_chinese(province, campaign, lessons, api_as):  # noqa: F811
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    client = api_as(province.school_a_admin)
    response = client.post(f"/selection/entries/{entry.pk}/return")
    assert (response.status_code, response.json()) == (
        422,
        {"detail": {"reason": ["此项为必填项，请填写。"]}},
    )
    response = client.post(f"/selection/entries/{entry.pk}/not-recommend", {"reason": "  "})
    assert (response.status_code, response.json()) == (
        422,
        {"detail": {"reason": ["请填写理由，下级单位和教师会看到它。"]}},
    )
    response = client.post(f"/selection/entries/{entry.pk}/return", {"reason": "视频模糊"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reason"]) == ("returned", "视频模糊")
    entry.submission.refresh_from_db()
    assert entry.submission.state == "draft"  # a school return gives the teacher a draft


def test_quota_set_by_level_above_and_refusal(province, campaign, lessons, api_as):  # noqa: F811
    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙")
    school = level(campaign, "school")
    body = {"campaign": campaign.pk, "level": school.pk, "unit": province.school_a.pk}
    school_admin = api_as(province.school_a_admin)
    # A unit never sets its own quota: only the level above may (R7).
    response = school_admin.post("/selection/quotas", {**body, "allowed": 5})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)

    response = api_as(province.county_a_admin).post("/selection/quotas", {**body, "allowed": 1})
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("allowed", "used", "basis", "category_id")} == {
        "allowed": 1,
        "used": 0,
        "basis": "hand",
        "category_id": None,
    }
    assert school_admin.post(f"/selection/entries/{a.pk}/recommend").status_code == 200
    response = school_admin.post(f"/selection/entries/{b.pk}/recommend")
    assert (response.status_code, response.json()) == (422, {"detail": {"__all__": [QUOTA_FULL]}})
    b.refresh_from_db()
    assert b.state == "pending"
    quotas = school_admin.get("/selection/quotas", campaign=campaign.pk).json()["items"]
    assert [(q["unit"]["id"], q["used"], q["allowed"]) for q in quotas] == [
        (province.school_a.pk, 1, 1)
    ]
    negative = api_as(province.county_a_admin).post("/selection/quotas", {**body, "allowed": -1})
    assert negative.json() == {"detail": {"allowed": ["数值不能小于 0。"]}}


def test_r5_needs_override_reason(province, campaign, lessons, api_as):  # noqa: F811
    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[0], "乙")  # same lesson node
    client = api_as(province.school_a_admin)
    assert client.post(f"/selection/entries/{a.pk}/recommend").status_code == 200
    response = client.post(f"/selection/entries/{b.pk}/recommend")
    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": {
                "__all__": [
                    "同一课程节点已推荐《甲》（每个节点原则上推荐一件）。"
                    "请取消其中一件，或填写特批理由。"
                ]
            }
        },
    )
    response = client.post(
        f"/selection/entries/{b.pk}/recommend", {"override_reason": "两节课分属不同课时"}
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["override_reason"]) == (
        "recommended",
        "两节课分属不同课时",
    )


def test_confirm_moves_entries_up(province, campaign, lessons, api_as):  # noqa: F811
    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙")
    school, county = level(campaign, "school"), level(campaign, "county")
    client = api_as(province.school_a_admin)
    body = {"campaign": campaign.pk, "level": school.pk, "unit": province.school_a.pk}
    client.post(f"/selection/entries/{a.pk}/recommend")
    response = client.post("/selection/lists/confirm", body)
    assert (response.status_code, response.json()) == (
        422,
        {"detail": {"__all__": ["还有 1 件作品待审，请先逐一处理后再确认名单。"]}},
    )
    client.post(f"/selection/entries/{b.pk}/not-recommend", {"reason": "重复"})
    response = client.post("/selection/lists/confirm", body)
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("campaign_id", "state", "state_label")} == {
        "campaign_id": campaign.pk,
        "state": "confirmed",
        "state_label": "已确认",
    }
    upper = api_as(province.county_a_admin).get("/selection/entries", level=county.pk).json()
    assert [(e["title"], e["unit"]["id"], e["state"]) for e in upper["items"]] == [
        ("甲", province.county_a.pk, "pending")
    ]
    # Confirmed lists are locked.
    response = client.post(f"/selection/entries/{b.pk}/recommend")
    assert response.json() == {
        "detail": {"__all__": ["本级推荐名单已确认，不能再修改。如需调整，请联系上级单位。"]}
    }
    # Another county cannot confirm this school's list.
    other = api_as(province.county_b_admin).post("/selection/lists/confirm", body)
    assert (other.status_code, other.json()) == (404, NOT_FOUND)


def test_proportional_preview_then_apply(province, campaign, lessons, api_as):  # noqa: F811
    submitted(campaign, province.teacher_a, lessons[0], "甲")
    submitted(campaign, province.teacher_a, lessons[1], "乙")
    submitted(campaign, province.teacher_b, lessons[2], "丙")
    body = {
        "campaign": campaign.pk,
        "level": level(campaign, "county").pk,
        "parent_unit": province.city.pk,
        "total": 3,
    }
    client = api_as(province.city_admin)
    preview = client.post("/selection/quotas/proportional", body)
    assert preview.status_code == 200
    rows = [(r["unit"]["id"], r["nodes"], r["allowed"]) for r in preview.json()["rows"]]
    assert rows == [(province.county_a.pk, 2, 2), (province.county_b.pk, 1, 1)]
    assert (preview.json()["applied"], Quota.objects.count()) == (False, 0)
    applied = client.post("/selection/quotas/proportional", {**body, "apply": True})
    assert applied.json()["applied"] is True
    assert sorted(Quota.objects.values_list("unit_id", "allowed", "basis")) == sorted(
        [(province.county_a.pk, 2, "proportional"), (province.county_b.pk, 1, "proportional")]
    )
    denied = api_as(province.county_a_admin).post("/selection/quotas/proportional", body)
    assert (denied.status_code, denied.json()) == (404, NOT_FOUND)


def test_screening_gates_county_recommendation(province, campaign, lessons, api_as):  # noqa: F811
    from youke.selection.domain.entries import confirm_list

    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    decide(Actor(province.school_a_admin), a, "recommended")
    confirm_list(
        Actor(province.school_a_admin), campaign, level(campaign, "school"), province.school_a
    )
    upper = LevelEntry.objects.get(level__key="county")
    client = api_as(province.county_a_admin)
    response = client.post(f"/selection/entries/{upper.pk}/recommend")
    assert response.json() == {
        "detail": {"__all__": ["《甲》还没有初选记录：请先登记技术审核和试讲结果。"]}
    }
    response = client.post(
        f"/selection/entries/{upper.pk}/screening",
        {"technical_check": "pass", "trial_result": "pass", "trial_date": "2026-09-16"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "entry_id": upper.pk,
        "technical_check": "pass",
        "technical_note": "",
        "trial_date": "2026-09-16",
        "panel": "",
        "trial_result": "pass",
        "comments": "",
        "passed": True,
    }
    assert client.post(f"/selection/entries/{upper.pk}/recommend").status_code == 200
    school_level = client.post(f"/selection/entries/{a.pk}/screening", {"panel": "x"})
    assert school_level.json() == {"detail": {"__all__": ["“学校推荐”不含试讲，无需登记初选。"]}}


def _grow_entries(province, campaign, lessons, n, start):  # noqa: F811
    for i in range(n):
        submitted(campaign, province.teacher_a, lessons[start + i], f"作品{start + i}")
    return "/selection/entries", {"campaign": campaign.pk}


def _grow_quotas(province, campaign, lessons, n, start):  # noqa: F811
    from tests.factories import make_unit
    from youke.selection.domain.quotas import allocate_quota

    school = level(campaign, "school")
    for i in range(n):
        unit = province.school_a if start + i == 0 else make_unit(province.county_a, "school")
        submitted(campaign, province.teacher_a, lessons[start + i], f"作品{start + i}")
        allocate_quota(Actor(province.county_a_admin), campaign, school, unit, 2)
    return "/selection/quotas", {"campaign": campaign.pk}


@pytest.mark.parametrize("grow", [_grow_entries, _grow_quotas], ids=["entries", "quotas"])
@pytest.mark.parametrize("viewer", ["county_a_admin", "platform_admin"])
def test_list_query_counts_flat(province, campaign, lessons, api_as, grow, viewer):  # noqa: F811
    client = api_as(getattr(province, viewer))
    path, params = grow(province, campaign, lessons, 1, 0)
    with CaptureQueriesContext(connection) as one:
        first = client.get(path, **params).json()
    grow(province, campaign, lessons, 2, 1)
    with CaptureQueriesContext(connection) as three:
        second = client.get(path, **params).json()
    assert (first["count"], len(first["items"])) == (1, 1)
    assert (second["count"], len(second["items"])) == (3, 3)
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]
    assert len(one) <= 8  # the page's ids, then its rows by id
