"""Campaigns over the API: visibility by unit chain, settings, deadlines, node status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import NOT_FOUND, ids
from tests.campaigns import conftest as campaign_fixtures
from tests.factories import make_person
from tests.submissions import conftest as package_fixtures
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.deadlines import set_unit_deadline
from youke.campaigns.domain.nodes import close_node
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import Campaign, Level, PastAward, UploadWindow
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.orgs.enums import Role

pytestmark = pytest.mark.django_db

# Fixtures shared with tests/submissions and tests/campaigns.
campaign = package_fixtures.campaign
catalog = package_fixtures.catalog
showcase = campaign_fixtures.showcase


def iso(moment: datetime.datetime) -> str:
    """A datetime as the API renders it (UTC, ISO 8601 with Z, at most milliseconds)."""
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.astimezone(datetime.UTC).isoformat(timespec=spec).replace("+00:00", "Z")


@pytest.fixture
def campaigns(province, campaign, showcase):
    """The province's published 精品课, the city's draft and county B's published own."""
    county = create_campaign_from_template(
        Actor(province.county_b_admin),
        province.county_b,
        "one_teacher_one_lesson",
        name="西岭县一师一优课",
        year=2026,
    )
    set_campaign_state(county, "published", actor=Actor(province.county_b_admin))
    return {"province": campaign, "city_draft": showcase, "county_b": county}


VISIBLE = {
    "platform_admin": {"province", "city_draft", "county_b"},
    "province_admin": {"province", "city_draft", "county_b"},
    "city_admin": {"province", "city_draft", "county_b"},
    "county_a_admin": {"province"},
    "county_b_admin": {"province", "county_b"},
    "school_a_admin": {"province"},
    "teacher_a": {"province"},
    "teacher_b": {"province", "county_b"},
    "expert": {"province"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_campaign_visibility_follows_the_unit_chain(province, campaigns, api_as, who):
    client = api_as(getattr(province, who))
    names = {c.pk: key for key, c in campaigns.items()}

    listed = client.get("/campaigns")
    assert listed.status_code == 200
    assert {names[i] for i in ids(listed)} == VISIBLE[who]
    for key, item in campaigns.items():
        response = client.get(f"/campaigns/{item.pk}")
        if key in VISIBLE[who]:
            assert response.status_code == 200
            assert response.json()["id"] == item.pk
        else:
            assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_list_filters_and_item_shape(province, campaigns, api_as):
    client = api_as(province.city_admin)
    county = campaigns["county_b"]
    assert ids(client.get("/campaigns", state="draft")) == [campaigns["city_draft"].pk]
    assert ids(client.get("/campaigns", template="one_teacher_one_lesson", state="published")) == [
        county.pk
    ]
    assert ids(client.get("/campaigns", year=2025)) == []
    item = next(i for i in client.get("/campaigns").json()["items"] if i["id"] == county.pk)
    assert item == {
        "id": county.pk,
        "name": "西岭县一师一优课",
        "template_key": "one_teacher_one_lesson",
        "template_label": "一师一优课、一课一名师",
        "year": 2026,
        "owner_unit": {
            "id": province.county_b.pk,
            "name": "西岭县",
            "code": "990102",
        },
        "state": "published",
        "state_label": "进行中",
        "opens_at": iso(county.opens_at),
        "closes_at": iso(county.closes_at),
        "max_upload_bytes": county.max_upload_bytes,
    }
    bad = client.get("/campaigns", state="running")
    assert bad.status_code == 422
    assert bad.json() == {"detail": {"state": ["取值无效，可选值：draft、published、closed。"]}}


def test_detail_lists_materials_rules_checklist_and_rubric(province, campaign, api_as):
    body = api_as(province.teacher_a).get(f"/campaigns/{campaign.pk}").json()
    assert [c["code"] for c in body["categories"]] == [
        "subject",
        "special_education",
        "experiment",
    ]
    subject = body["categories"][0]
    assert (subject["name"], subject["max_periods"], subject["is_micro_lesson"]) == (
        "学科课程",
        3,
        True,
    )
    video = subject["materials"][0]
    rules = video.pop("video_rules")
    assert {k: v for k, v in video.items() if k != "id"} == {
        "code": "micro_video",
        "name": "微课视频",
        "kind": "video",
        "kind_label": "视频",
        "required": True,
        "required_from_level": "",
        "per_period": True,
        "accepts_link": False,
        "allowed_extensions": ["mp4"],
        "max_bytes": 1024**3,
        "checklist": [
            "片头不超过 5 秒，显示教材版本、学科、年级、课题名称、主讲教师",
            "画面清晰稳定，声音清楚，字幕与画面无错漏",
        ],
    }
    assert rules[:3] == [
        {
            "rule": "container",
            "rule_label": "封装格式（如 mp4）",
            "value": "mp4",
            "severity": "blocks",
            "severity_label": "不通过",
            "stage_code": None,
            "stage_name": None,
        },
        {
            "rule": "aspect_ratio",
            "rule_label": "画面比例（如 16:9）",
            "value": "16:9",
            "severity": "blocks",
            "severity_label": "不通过",
            "stage_code": None,
            "stage_name": None,
        },
        {
            "rule": "exact_width",
            "rule_label": "宽度（像素）",
            "value": "1920",
            "severity": "warns",
            "severity_label": "警告",
            "stage_code": None,
            "stage_name": None,
        },
    ]
    # R3a: the all-stage rules, then the duration ranges of the catalog's stages.
    assert [(r["rule"], r["value"], r["stage_name"]) for r in rules[12:]] == [
        ("min_duration_seconds", "600", "小学"),
        ("max_duration_seconds", "900", "小学"),
        ("min_duration_seconds", "900", "初中"),
        ("max_duration_seconds", "1200", "初中"),
    ]
    assert {r["stage_code"] for r in rules[12:]} == {"C01", "C02"}
    design = subject["materials"][1]
    assert (design["code"], design["allowed_extensions"], design["video_rules"]) == (
        "teaching_design",
        ["doc", "docx", "pdf"],
        [],
    )
    criteria = subject["criteria"]
    assert sum(c["points"] for c in criteria) == 100
    assert [c["name"] for c in criteria if c["is_veto"]][
        0
    ] == "使用国家通用语言文字（民族语文、外语课程除外）"
    assert {c["group_label"] for c in criteria if c["is_veto"]} == {"一票否决"}
    assert body["windows"] == []
    assert (body["node_close_award_level"], body["node_close_award_threshold"]) == ("ministry", 1)
    assert (body["video_due"], body["filming_days"]) == ("after_screening", 14)


def test_levels_show_the_deadline_of_the_callers_unit(province, campaign, api_as):
    school = Level.objects.get(campaign=campaign, key="school")
    tighter = school.deadline - datetime.timedelta(days=3)
    set_unit_deadline(Actor(province.county_a_admin), campaign, school, province.county_a, tighter)

    def levels(person):
        return api_as(person).get(f"/campaigns/{campaign.pk}").json()["levels"]

    mine = levels(province.teacher_a)  # school A is in county A
    theirs = levels(province.teacher_b)  # school B is in county B
    assert [lv["key"] for lv in mine] == [
        "school",
        "county",
        "city",
        "province",
        "publicity",
    ]
    assert mine[0] == {
        "id": school.pk,
        "order": school.order,
        "key": "school",
        "name": "学校推荐",
        "unit_kind": "school",
        "has_trial_lecture": False,
        "level_deadline": iso(school.deadline),
        "deadline": iso(tighter),
    }
    assert (theirs[0]["level_deadline"], theirs[0]["deadline"]) == (
        iso(school.deadline),
        iso(school.deadline),
    )
    assert [lv["deadline"] for lv in mine[1:]] == [lv["deadline"] for lv in theirs[1:]]


def test_node_status_with_reasons(province, campaign, catalog, api_as):
    close_node(Actor(province.province_admin), campaign, catalog.lesson4b, reason="本年度不征集")
    PastAward.objects.create(node=catalog.lesson1, level="ministry", year=2024, title="数一数")
    today = timezone.localdate()
    window = UploadWindow.objects.create(
        campaign=campaign,
        label="初中",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=20),
    )
    window.nodes.add(catalog.junior)
    client = api_as(province.teacher_a)
    unit4 = catalog.lesson4.get_parent()

    children = client.get(f"/campaigns/{campaign.pk}/nodes", parent_id=unit4.pk).json()
    assert children == {
        "count": 2,
        "items": [
            {
                "id": catalog.lesson4.pk,
                "parent_id": unit4.pk,
                "code": "C010201040101",
                "name": "亿以内数的认识",
                "level": "lesson",
                "level_label": catalog.lesson4.get_level_display(),
                "children_count": 1,
                "open": True,
                "reason_code": "open",
                "reason_text": "",
                "promoted": False,
            },
            {
                "id": catalog.lesson4b.pk,
                "parent_id": unit4.pk,
                "code": "C010201040102",
                "name": "亿以内数的读法",
                "level": "lesson",
                "level_label": catalog.lesson4b.get_level_display(),
                "children_count": 0,
                "open": False,
                "reason_code": "closed_by_admin",
                "reason_text": "管理员已关闭该节点：本年度不征集",
                "promoted": False,
            },
        ],
    }
    found = client.get(f"/campaigns/{campaign.pk}/nodes", q="数一数").json()["items"]
    assert [(n["id"], n["open"], n["reason_code"]) for n in found] == [
        (catalog.lesson1.pk, False, "award_rule")
    ]
    assert found[0]["reason_text"].startswith("该节点已有 1 堂部级及以上获奖课例")
    junior = client.get(f"/campaigns/{campaign.pk}/nodes", q="长度").json()["items"]
    assert [(n["id"], n["reason_code"]) for n in junior] == [(catalog.lesson7.pk, "outside_window")]
    assert junior[0]["reason_text"].startswith("“初中”的上传时间为")
    stages = client.get(f"/campaigns/{campaign.pk}/nodes").json()["items"]
    assert [(n["name"], n["open"]) for n in stages] == [("小学", True), ("初中", False)]


def test_nodes_of_an_invisible_campaign_are_404(province, campaigns, api_as):
    client = api_as(province.teacher_a)
    response = client.get(f"/campaigns/{campaigns['county_b'].pk}/nodes")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_promoted_nodes_are_marked(province, campaign, catalog, api_as):
    Campaign.objects.filter(pk=campaign.pk).update(promote_unawarded_nodes=True)
    PastAward.objects.create(node=catalog.lesson4b, level="city", year=2024, title="读法")
    items = (
        api_as(province.teacher_a)
        .get(f"/campaigns/{campaign.pk}/nodes", parent_id=catalog.lesson4.get_parent().pk)
        .json()["items"]
    )
    assert [(n["id"], n["open"], n["promoted"]) for n in items] == [
        (catalog.lesson4.pk, True, True),
        (catalog.lesson4b.pk, True, True),  # a city award does not count against promotion
    ]


# --- publish and close -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("province_admin", 200),
        ("platform_admin", 200),
        ("city_admin", 404),  # sees the campaign, does not run it
        ("school_a_admin", 404),
        ("teacher_a", 404),
    ],
)
def test_only_the_owner_units_admins_close(province, campaign, api_as, who, status):
    response = api_as(getattr(province, who)).post(
        f"/campaigns/{campaign.pk}/close", {"reason": "提前结束"}
    )
    assert response.status_code == status
    campaign.refresh_from_db()
    assert campaign.state == ("closed" if status == 200 else "published")
    if status == 200:
        assert (response.json()["state"], response.json()["state_label"]) == ("closed", "已结束")
    else:
        assert response.json() == NOT_FOUND


def test_publish_validates_and_refuses_illegal_moves(province, showcase, api_as):
    client = api_as(province.city_admin)
    levels = list(Level.objects.filter(campaign=showcase).order_by("order"))
    Level.objects.filter(pk=levels[1].pk).update(deadline=levels[0].deadline)
    refused = client.post(f"/campaigns/{showcase.pk}/publish")
    assert refused.status_code == 422
    assert list(refused.json()["detail"]) == [f"level_{levels[1].pk}"]
    assert "必须晚于上一级" in refused.json()["detail"][f"level_{levels[1].pk}"][0]

    Level.objects.filter(pk=levels[1].pk).update(deadline=levels[1].deadline)
    published = client.post(f"/campaigns/{showcase.pk}/publish")
    assert (published.status_code, published.json()["state"]) == (200, "published")
    again = client.post(f"/campaigns/{showcase.pk}/publish")
    assert again.status_code == 422
    assert again.json() == {"detail": {"__all__": ["活动当前为“进行中”，不能变为“进行中”。"]}}


# --- query counts ----------------------------------------------------------------------------


def _add_campaigns(province, n):
    now = timezone.now()
    for i in range(n):
        Campaign.objects.create(
            name=f"活动{i}",
            template_key="quality_course",
            year=2030,
            owner_unit=province.city,
            state="published",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=30),
        )
    return "/campaigns", {"year": 2030}


def _add_nodes(campaign, parent, n):
    for _ in range(n):
        parent.refresh_from_db()
        node = parent.add_child(
            code=f"{parent.code}{parent.numchild + 1:02d}", name="课", level="lesson"
        )
        PastAward.objects.create(node=node, level="city", year=2024, title=node.code)
    return f"/campaigns/{campaign.pk}/nodes", {"parent_id": parent.pk}


@pytest.mark.parametrize("who", ["teacher_a", "city_admin", "platform_admin"])
def test_campaign_lists_cost_the_same_at_1_and_3(province, campaign, catalog, api_as, who):
    client = api_as(getattr(province, who))
    parent = CourseNode.objects.get(pk=catalog.lesson4.get_parent().pk)
    for grow in (
        lambda n: _add_campaigns(province, n),
        lambda n: _add_nodes(campaign, parent, n),
    ):
        path, params = grow(1)
        with CaptureQueriesContext(connection) as one:
            first = client.get(path, **params).json()
        grow(2)
        with CaptureQueriesContext(connection) as three:
            second = client.get(path, **params).json()
        assert len(second["items"]) == len(first["items"]) + 2
        assert len(three) == len(one), [q["sql"] for q in three.captured_queries]
        assert len(one) <= 11  # auth 4, campaign, parent node, page, count, status 3


def test_a_teacher_elsewhere_does_not_see_the_province_campaign(province, campaign, api_as):
    from tests.factories import make_unit
    from youke.orgs.enums import UnitKind

    other = make_unit(province.ministry, UnitKind.PROVINCE, "别省", code="980000")
    school = make_unit(other, UnitKind.SCHOOL, "别省一中", code="9800000001")
    outsider = make_person(school, Role.TEACHER)
    client = api_as(outsider)
    assert ids(client.get("/campaigns")) == []
    assert client.get(f"/campaigns/{campaign.pk}").status_code == 404
