"""The audit log reads as sentences, one per action, with names resolved in flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.campaigns.conftest import add, catalog  # noqa: F401  (fixture)
from tests.factories import make_person
from tests.selection.conftest import lessons, level, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.core.domain.audit_sentences import describe
from youke.core.models import AuditEvent
from youke.orgs.domain.people import grant_role, reset_password
from youke.orgs.enums import Role
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.domain.quotas import allocate_quota

pytestmark = pytest.mark.django_db


def sentences(**filters) -> list[str]:
    rows = describe(AuditEvent.objects.filter(**filters).order_by("id"))
    return [row.sentence + (f"（理由：{row.reason}）" if row.reason else "") for row in rows]


def test_selection_decisions_read_as_sentences(province, campaign, lessons):  # noqa: F811
    first = submitted(campaign, province.teacher_a, lessons[0], "圆的面积")
    second = submitted(campaign, province.teacher_a, lessons[1], "分数的意义")
    school = Actor(province.school_a_admin)
    decide(school, first, "recommended", reason="课堂结构清晰")
    decide(school, second, "returned", reason="视频缺少片头")
    assert sentences(object_type="selection.levelentry", action="update") == [
        "东湖小学管理员 将《圆的面积》推荐至县级初选（理由：课堂结构清晰）",
        "东湖小学管理员 将《分数的意义》退回教师修改（理由：视频缺少片头）",
    ]
    decide(school, first, "not_recommended", reason="名额有限")
    assert sentences(object_type="selection.levelentry", action="update")[-1] == (
        "东湖小学管理员 在“学校推荐”决定不推荐《圆的面积》（理由：名额有限）"
    )
    decide(school, first, "recommended")
    confirm_list(school, campaign, level(campaign, "school"), province.school_a)
    assert sentences(object_type="selection.levellist") == [
        "东湖小学管理员 确认了东湖区实验小学“学校推荐”推荐名单，1 件作品上报上一级"
    ]
    assert sentences(object_type="selection.levelentry", action="create")[-1] == (
        "《圆的面积》进入东湖区的“县级初选”待审名单"
    )


def test_quota_role_and_password_sentences(province, campaign):  # noqa: F811
    allocate_quota(
        Actor(province.county_a_admin), campaign, level(campaign, "school"), province.school_a, 3
    )
    allocate_quota(
        Actor(province.county_a_admin), campaign, level(campaign, "school"), province.school_a, 5
    )
    assert sentences(object_type="selection.quota") == [
        "东湖区管理员 为东湖区实验小学分配“学校推荐”名额 3 个",
        "东湖区管理员 将东湖区实验小学的“学校推荐”名额改为 5 个",
    ]
    reset_password(Actor(province.school_a_admin), province.teacher_a)
    newcomer = make_person(province.school_a, username="newbie", full_name="周老师")
    grant_role(Actor(province.school_a_admin), newcomer, province.school_a, Role.TEACHER)
    assert sentences(action__in=["password_reset", "grant"]) == [
        "东湖小学管理员 重置了王老师的密码",
        "东湖小学管理员 授予周老师在东湖区实验小学的“教师”角色",
    ]


def test_no_raw_states_or_ids_on_the_audit_page(client, province, campaign, lessons):  # noqa: F811
    entry = submitted(campaign, province.teacher_a, lessons[0], "圆的面积")
    decide(Actor(province.school_a_admin), entry, "returned", reason="请补充课件")
    client.force_login(province.county_a_admin)
    html = client.get(reverse("manage:audit_list")).content.decode()
    assert "东湖小学管理员 将《圆的面积》退回教师修改（理由：请补充课件）" in html
    for raw in ("pending", "returned", f"{entry.submission_id} @", "→"):
        assert raw not in html


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("manage:audit_list"))
    return len(captured)


def test_names_resolve_in_flat_queries(client, province, campaign, lessons):  # noqa: F811
    client.force_login(province.county_a_admin)
    school = Actor(province.school_a_admin)
    decide(school, submitted(campaign, province.teacher_a, lessons[0], "课0"), "recommended")
    one = _page_queries(client)
    for i in range(1, 4):
        decide(school, submitted(campaign, province.teacher_a, lessons[i], f"课{i}"), "recommended")
    assert _page_queries(client) == one
