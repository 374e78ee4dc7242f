"""Node status per campaign: R4 awards, admin closures, R9 windows; fixed query count."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from youke.campaigns.domain.nodes import (
    NodeStatus,
    close_node,
    node_statuses,
    reopen_node,
    teacher_node_list,
)
from youke.campaigns.models import NodeClosure, PastAward
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied

pytestmark = pytest.mark.django_db
IN_WINDOWS = datetime.date(2026, 4, 15)  # every primary/junior window is open


def award(node, level, n=1, year=2024):
    for i in range(n):
        PastAward.objects.create(node=node, level=level, year=year, title=f"{node.name}{i}")


def test_ministry_award_closes_node_for_quality_course(quality, catalog):
    award(catalog.period4, "ministry")  # recorded on a 课时: counts for its 课
    award(catalog.lesson1, "province", 3)
    statuses = node_statuses(
        quality, [catalog.lesson4, catalog.period4, catalog.lesson1], today=IN_WINDOWS
    )
    reason = (
        "该节点已有 1 堂部级及以上获奖课例，达到本活动的关闭条件（1 堂），不再接受新的申报。"
        "请选择其他节点。"
    )
    assert statuses == {
        catalog.lesson4.pk: NodeStatus(False, "award_rule", reason),
        catalog.period4.pk: NodeStatus(False, "award_rule", reason),
        catalog.lesson1.pk: NodeStatus(True, "open", ""),
    }


@pytest.mark.parametrize(("count", "is_open"), [(5, True), (6, False)])
def test_more_than_five_provincial_closes_for_showcase(showcase, catalog, count, is_open):
    award(catalog.lesson4, "province", count)
    status = node_statuses(showcase, [catalog.lesson4], today=IN_WINDOWS)[catalog.lesson4.pk]
    assert status.open is is_open
    if not is_open:
        assert status.reason_text == (
            "该节点已有 6 堂省级及以上获奖课例，达到本活动的关闭条件（6 堂），不再接受新的申报。"
            "请选择其他节点。"
        )


def test_ministry_awards_count_as_provincial_or_higher(showcase, catalog):
    award(catalog.lesson4, "province", 3)
    award(catalog.lesson4, "ministry", 3)
    award(catalog.lesson4, "city", 10)
    status = node_statuses(showcase, [catalog.lesson4], today=IN_WINDOWS)[catalog.lesson4.pk]
    assert (status.open, status.reason_code) == (False, "award_rule")


def test_unawarded_nodes_are_promoted(showcase, catalog):
    award(catalog.lesson4, "province")
    award(catalog.lesson4b, "city", 2)
    statuses = node_statuses(showcase, [catalog.lesson4, catalog.lesson4b], today=IN_WINDOWS)
    assert not statuses[catalog.lesson4.pk].promoted
    assert statuses[catalog.lesson4b.pk] == NodeStatus(True, "open", "", promoted=True)


def test_admin_closure_with_reason_covers_subtree(quality, catalog, province):
    actor = Actor(province.province_admin)
    close_node(actor, quality, catalog.grade4, reason="本册教材今年修订")
    statuses = node_statuses(quality, [catalog.lesson4, catalog.lesson1], today=IN_WINDOWS)
    assert statuses[catalog.lesson4.pk] == NodeStatus(
        False, "closed_by_admin", "管理员已关闭该节点：本册教材今年修订"
    )
    assert statuses[catalog.lesson1.pk].open
    with pytest.raises(ValidationError) as exc:
        close_node(actor, quality, catalog.grade4, reason="再关一次")
    assert exc.value.messages == ["节点“四年级上册”已经关闭，无需重复操作。"]
    with pytest.raises(ValidationError) as exc:
        close_node(actor, quality, catalog.lesson1, reason=" ")
    assert exc.value.messages == ["请填写关闭原因，教师会看到它。"]
    reopen_node(actor, quality, catalog.grade4)
    assert node_statuses(quality, [catalog.lesson4], today=IN_WINDOWS)[catalog.lesson4.pk].open
    assert list(
        AuditEvent.objects.filter(object_type="campaigns.nodeclosure")
        .order_by("id")
        .values_list("action", "reason")
    ) == [("create", "本册教材今年修订"), ("delete", "")]


def test_closure_needs_a_manager(quality, catalog, province):
    with pytest.raises(PermissionDenied):
        close_node(Actor(province.city_admin), quality, catalog.lesson4, reason="x")
    assert not NodeClosure.objects.exists()


@pytest.mark.parametrize(
    ("today", "grade4_open", "grade1_open", "junior_open"),
    [
        (datetime.date(2026, 3, 15), False, False, False),
        (datetime.date(2026, 3, 16), True, True, False),
        (datetime.date(2026, 4, 30), True, True, True),
        (datetime.date(2026, 5, 1), False, True, True),
        (datetime.date(2026, 5, 31), False, True, True),
        (datetime.date(2026, 7, 1), False, False, False),
    ],
)
def test_r9_windows_by_date(showcase, catalog, today, grade4_open, grade1_open, junior_open):
    statuses = node_statuses(
        showcase, [catalog.lesson4, catalog.lesson1, catalog.lesson7], today=today
    )
    assert [statuses[n.pk].open for n in (catalog.lesson4, catalog.lesson1, catalog.lesson7)] == [
        grade4_open,
        grade1_open,
        junior_open,
    ]


def test_window_reason_text(showcase, catalog):
    status = node_statuses(showcase, [catalog.lesson4], today=datetime.date(2026, 5, 1))
    assert status[catalog.lesson4.pk] == NodeStatus(
        False,
        "outside_window",
        "“小学四至六年级”的上传时间为 3月16日 至 4月30日，当前不在上传时间内。",
    )


def test_quality_course_has_no_windows(quality, catalog):
    status = node_statuses(quality, [catalog.lesson7], today=datetime.date(2026, 12, 1))
    assert status[catalog.lesson7.pk].open


def test_teacher_list_open_first_with_reasons(showcase, catalog, province):
    award(catalog.lesson4, "province", 6)
    close_node(Actor(province.city_admin), showcase, catalog.lesson7, reason="节点重复")
    award(catalog.lesson1, "province")
    pairs = teacher_node_list(
        showcase,
        [catalog.lesson7, catalog.lesson4, catalog.lesson1, catalog.lesson4b],
        today=IN_WINDOWS,
    )
    assert [(n.name, s.open, s.promoted, s.reason_code) for n, s in pairs] == [
        ("亿以内数的读法", True, True, "open"),
        ("数一数", True, False, "open"),
        ("亿以内数的认识", False, False, "award_rule"),
        ("长度和时间的测量", False, False, "closed_by_admin"),
    ]


def test_query_count_is_fixed(showcase, catalog, province):
    award(catalog.lesson4, "province", 2)
    close_node(Actor(province.city_admin), showcase, catalog.lesson7, reason="节点重复")

    def queries(nodes):
        with CaptureQueriesContext(connection) as ctx:
            node_statuses(showcase, nodes, today=IN_WINDOWS)
        return len(ctx.captured_queries)

    one = queries([catalog.lesson4])
    three = queries([catalog.lesson4, catalog.lesson1, catalog.lesson7])
    assert one == three == 3


def test_many_nodes_use_the_prefix_query(showcase, catalog, monkeypatch):
    from youke.campaigns.domain import nodes as nodes_domain

    monkeypatch.setattr(nodes_domain, "OR_LIMIT", 1)
    award(catalog.period4, "province", 6)
    statuses = node_statuses(showcase, [catalog.lesson4, catalog.lesson4b], today=IN_WINDOWS)
    assert (statuses[catalog.lesson4.pk].reason_code, statuses[catalog.lesson4b.pk].open) == (
        "award_rule",
        True,
    )
