"""Dashboards computed from data: role × situation → the lines and counts shown."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import add, catalog  # noqa: F401  (fixture)
from tests.factories import make_unit
from tests.selection.conftest import lessons, level, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.campaigns.models import Level, UnitDeadline
from youke.core.actor import Actor
from youke.orgs.enums import UnitKind
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.domain.quotas import allocate_quota
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment, Objection, Publicity, ReviewRound
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

pytestmark = pytest.mark.django_db


def todo_of(client, person) -> list[tuple[str, int]]:
    client.force_login(person)
    return [(t.key, t.count) for t in client.get(reverse("portal:dashboard")).context["todo"]]


def _pending_two(p, camp, nodes):
    return [submitted(camp, p.teacher_a, nodes[i], f"课{i}") for i in range(2)]


def _recommended_one(p, camp, nodes):
    first, second = _pending_two(p, camp, nodes)
    decide(Actor(p.school_a_admin), first, "recommended")
    return second


def _confirmed(p, camp, nodes):
    second = _recommended_one(p, camp, nodes)
    decide(Actor(p.school_a_admin), second, "not_recommended", reason="同一节点已推荐")
    confirm_list(Actor(p.school_a_admin), camp, level(camp, "school"), p.school_a)


def _confirmed_and_quota(p, camp, nodes):
    allocate_quota(Actor(p.county_a_admin), camp, level(camp, "school"), p.school_a, 3)
    _confirmed(p, camp, nodes)


def _objection(p, camp, nodes):
    entry = submitted(camp, p.teacher_a, nodes[0], "课0")
    now = timezone.now()
    publicity = Publicity.objects.create(
        campaign=camp,
        level=level(camp, "city"),
        unit=p.city,
        title="青山市公示",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=5),
        created_by=p.city_admin,
    )
    for name in ("甲", "乙"):
        Objection.objects.create(
            publicity=publicity, entry=entry, name=name, contact="13800000000", reason="雷同"
        )


# The province fixture has no contact sheets: every admin sees the units missing one.
TABLE = [
    ("school_a_admin", None, [("contact", 1)]),
    ("school_a_admin", _pending_two, [("inbox", 2), ("contact", 1)]),
    ("school_a_admin", _recommended_one, [("inbox", 1), ("list", 1), ("contact", 1)]),
    ("school_a_admin", _confirmed, [("sheet", 1), ("contact", 1)]),
    ("county_a_admin", None, [("quota", 1), ("contact", 2)]),
    ("county_a_admin", _confirmed, [("inbox", 1), ("quota", 1), ("contact", 2)]),
    ("county_a_admin", _confirmed_and_quota, [("inbox", 1), ("contact", 2)]),
    ("county_b_admin", _confirmed, [("quota", 1), ("contact", 2)]),
    ("city_admin", _objection, [("objection", 2), ("quota", 2), ("contact", 5)]),
    ("province_admin", None, [("quota", 1), ("contact", 6)]),
]


@pytest.mark.parametrize(("who", "situation", "expected"), TABLE)
def test_admin_todo_table(client, province, campaign, lessons, who, situation, expected):  # noqa: F811
    if situation is not None:
        situation(province, campaign, lessons)
    assert todo_of(client, getattr(province, who)) == expected


def test_todo_lines_name_the_work_and_link_to_it(client, province, campaign, lessons):  # noqa: F811
    _recommended_one(province, campaign, lessons)
    client.force_login(province.school_a_admin)
    todo = client.get(reverse("portal:dashboard")).context["todo"]
    school = level(campaign, "school")
    assert [t.text for t in todo[:2]] == [
        f"《精品课测试》{school.name}：1 个作品等待您推荐或退回。",
        f"《精品课测试》{school.name}：推荐名单（已推荐 1 个）尚未确认上报。",
    ]
    assert todo[0].url == (
        f"/manage/selection/?campaign={campaign.pk}&unit={province.school_a.pk}&level={school.pk}"
    )


def test_next_deadline_of_the_admins_level(client, province, campaign):  # noqa: F811
    county = level(campaign, "county")
    client.force_login(province.county_a_admin)
    shown = client.get(reverse("portal:dashboard")).context["next_deadline"]
    assert (shown.level_name, shown.at) == (county.name, county.deadline)
    tighter = county.deadline - datetime.timedelta(days=2)
    UnitDeadline.objects.create(
        campaign=campaign, level=county, unit=province.city, deadline=tighter
    )
    shown = client.get(reverse("portal:dashboard")).context["next_deadline"]
    assert shown.at == tighter


def test_teacher_sees_open_campaigns_packages_and_returns(client, province, campaign, lessons):  # noqa: F811
    school = level(campaign, "school")
    client.force_login(province.teacher_a)
    context = client.get(reverse("portal:dashboard")).context
    assert [(o.campaign.name, o.deadline) for o in context["open_campaigns"]] == [
        ("精品课测试", school.deadline)
    ]
    assert context["packages"] == [] and context["returned"] == []

    tighter = school.deadline - datetime.timedelta(days=3)
    UnitDeadline.objects.create(
        campaign=campaign, level=school, unit=province.county_a, deadline=tighter
    )
    sent = submitted(campaign, province.teacher_a, lessons[0], "圆的面积")
    submitted(campaign, province.teacher_a, lessons[1], "分数")
    decide(Actor(province.school_a_admin), sent, "returned", reason="视频缺少片头")
    context = client.get(reverse("portal:dashboard")).context
    assert context["open_campaigns"][0].deadline == tighter
    rows = {r.submission.title: (r.status, r.deadline) for r in context["packages"]}
    assert rows == {"圆的面积": ("退回修改", tighter), "分数": ("东湖区实验小学：待审", None)}
    assert [(r.submission.title, r.returned_reason) for r in context["returned"]] == [
        ("圆的面积", "视频缺少片头")
    ]
    # Another school's teacher sees the campaign but none of these packages.
    client.force_login(province.teacher_b)
    context = client.get(reverse("portal:dashboard")).context
    assert context["packages"] == [] and len(context["open_campaigns"]) == 1


def test_teacher_without_open_campaign_sees_what_would_appear(client, province):
    client.force_login(province.teacher_a)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "目前没有您可以申报的活动" in page
    assert "当前没有进行中的" not in page


def _round(p, camp, entries, expert, done: int, name="县级评审"):
    review_round = ReviewRound.objects.create(
        campaign=camp,
        level=level(camp, "county"),
        unit=p.county_a,
        name=name,
        deadline=timezone.now() + datetime.timedelta(days=4),
        state=RoundState.OPEN,
    )
    for index, entry in enumerate(entries):
        Assignment.objects.create(
            round=review_round,
            entry=entry,
            expert=expert,
            state=AssignmentState.SUBMITTED if index < done else AssignmentState.ASSIGNED,
        )
    return review_round


def test_expert_sees_tasks_per_round(client, province, campaign, lessons):  # noqa: F811
    entries = [submitted(campaign, province.teacher_a, lessons[i], f"课{i}") for i in range(3)]
    review_round = _round(province, campaign, entries, province.expert, done=1)
    client.force_login(province.expert)
    context = client.get(reverse("portal:dashboard")).context
    assert [
        (r["round__name"], r["done"], r["total"], r["round__deadline"]) for r in context["rounds"]
    ] == [("县级评审", 1, 3, review_round.deadline)]
    assert context["tasks_left"] == 2
    assert (
        "目前没有分配给您的评审任务" not in client.get(reverse("portal:dashboard")).content.decode()
    )


def test_chart_data_is_exact(client, province, campaign, lessons):  # noqa: F811
    first, second = _pending_two(province, campaign, lessons)
    decide(Actor(province.school_a_admin), first, "recommended")
    Submission.objects.create(
        campaign=campaign,
        category=first.submission.category,
        node=lessons[5],
        teacher=province.teacher_a,
        unit=province.school_a,
        title="草稿",
        state=SubmissionState.DRAFT,
    )
    allocate_quota(
        Actor(province.county_a_admin), campaign, level(campaign, "school"), province.school_a, 3
    )
    _round(province, campaign, [first, second], province.expert, done=1)
    client.force_login(province.city_admin)
    response = client.get(
        reverse("portal:dashboard_charts"), {"campaign": campaign.pk, "unit": province.city.pk}
    )
    assert response.json() == {
        "campaign": "精品课测试",
        "unit": "青山市",
        "units": ["东湖区", "西岭县"],
        "states": [
            {"key": "draft", "label": "草稿", "counts": [1, 0]},
            {"key": "submitted", "label": "已提交", "counts": [2, 0]},
            {"key": "withdrawn", "label": "已撤回", "counts": [0, 0]},
        ],
        "recommended": [0, 0],
        "quota": [0, 0],
        "reviews_done": [1, 0],
        "reviews_total": [2, 0],
    }
    client.force_login(province.county_a_admin)
    data = client.get(
        reverse("portal:dashboard_charts"), {"campaign": campaign.pk, "unit": province.county_a.pk}
    ).json()
    assert (data["units"], data["recommended"], data["quota"]) == (["东湖区实验小学"], [1], [3])


def test_chart_data_of_another_county_is_hidden(client, province, campaign):  # noqa: F811
    client.force_login(province.county_a_admin)
    url = reverse("portal:dashboard_charts")
    assert (
        client.get(url, {"campaign": campaign.pk, "unit": province.county_b.pk}).status_code == 404
    )
    client.force_login(province.teacher_a)
    assert (
        client.get(url, {"campaign": campaign.pk, "unit": province.school_a.pk}).status_code == 404
    )


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return len(captured)


def test_admin_dashboard_and_charts_stay_flat(client, province, campaign, lessons):  # noqa: F811
    """The same number of queries with 1 and with 3 child schools, each with work in it."""
    client.force_login(province.county_a_admin)
    chart = {"campaign": campaign.pk, "unit": province.county_a.pk}
    _pending_two(province, campaign, lessons)
    counts = [
        (
            _queries(client, reverse("portal:dashboard")),
            _queries(client, reverse("portal:dashboard_charts"), chart),
        )
    ]
    for i in range(2):
        school = make_unit(
            province.county_a, UnitKind.SCHOOL, f"新学校{i}", code=f"99010100{i + 5}"
        )
        teacher = province.teacher_a.__class__.objects.create(
            username=f"t{i}", full_name=f"新老师{i}", unit=school
        )
        submitted(campaign, teacher, lessons[10 + i], f"新课{i}")
    counts.append(
        (
            _queries(client, reverse("portal:dashboard")),
            _queries(client, reverse("portal:dashboard_charts"), chart),
        )
    )
    assert counts[0] == counts[1]


def test_research_staff_see_the_campaigns_of_their_region(client, province, campaign):  # noqa: F811
    client.force_login(province.research)
    context = client.get(reverse("portal:dashboard")).context
    assert [(o.campaign.name, o.deadline) for o in context["campaigns"]] == [
        ("精品课测试", level(campaign, "school").deadline)
    ]


def test_platform_admin_gets_no_quota_line_for_a_publicity_step(client, province, campaign):  # noqa: F811
    # A province-run publicity step: the provinces' 公示 has nothing to allocate.
    Level.objects.filter(campaign=campaign, key="publicity").update(unit_kind="province")
    assert todo_of(client, province.platform_admin) == [("quota", 1), ("contact", 7)]
