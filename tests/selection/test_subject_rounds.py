"""Rounds by subject (分学科): grouping, panels, names, warnings, scope and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.campaigns.conftest import add
from tests.selection.conftest import level
from tests.selection.test_review_domain import city_entry, city_round, expert
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person
from youke.selection.domain.assignment import add_expert, expert_pool
from youke.selection.domain.review import candidate_entries, create_round, set_round_state
from youke.selection.domain.subject_rounds import create_subject_rounds, subject_groups
from youke.selection.models import ReviewRound, RoundExpert

pytestmark = pytest.mark.django_db


def soon():
    return timezone.now() + datetime.timedelta(days=5)


@pytest.fixture
def chinese(catalog):
    """小学 › 语文 › … › 一课, next to the fixture's 小学数学 and 初中物理."""
    subject = add(catalog.primary, "C0101", "语文", NodeLevel.SUBJECT)
    node = subject
    for code, name, lvl in [
        ("C010101", "统编版", NodeLevel.EDITION),
        ("C01010101", "一年级上册", NodeLevel.VOLUME),
        ("C0101010101", "识字", NodeLevel.UNIT),
        ("C010101010101", "天地人", NodeLevel.LESSON),
    ]:
        node = add(node, code, name, lvl)
    return node


@pytest.fixture
def entries(province, campaign, catalog, chinese):
    return {
        "数学甲": city_entry(campaign, province.teacher_a, catalog.lesson1, "数学甲"),
        "数学乙": city_entry(campaign, province.teacher_b, catalog.lesson4, "数学乙"),
        "语文": city_entry(campaign, province.teacher_a, chinese, "语文"),
        "物理": city_entry(campaign, province.teacher_b, catalog.lesson7, "物理"),
    }


@pytest.fixture
def experts(province, catalog):
    math = CourseNode.objects.get(code="C0102")
    physics = CourseNode.objects.get(code="C0208")
    return {
        "小学": expert(province.city, "小学专家", catalog.primary),
        "数学": expert(province.county_a, "数学专家", math, on=province.city),
        # teaches at the only school with physics entries: own-school conflict on all of them
        "物理": expert(province.school_b, "物理专家", physics, on=province.city),
        "他市": expert(province.county_a, "无学科专家", on=province.county_a),
    }


def make(province, campaign, **kwargs):
    kwargs.setdefault("name_prefix", "市级评审")
    kwargs.setdefault("deadline", soon())
    kwargs.setdefault("reviews_per_entry", 2)
    return create_subject_rounds(
        Actor(province.city_admin), campaign, level(campaign, "city"), province.city, **kwargs
    )


def test_groups_rounds_and_panels(province, campaign, entries, experts):
    groups = make(province, campaign, blind=False, max_load=7)
    table = [
        (
            g.review_round.name,
            sorted(e.submission.title for e in candidate_entries(g.review_round)),
            sorted(m.expert.full_name for m in g.review_round.panel.select_related("expert")),
            g.warning(2) != "",
        )
        for g in groups
    ]
    assert table == [
        ("市级评审·小学数学", ["数学乙", "数学甲"], ["小学专家", "数学专家"], False),
        ("市级评审·小学语文", ["语文"], ["小学专家"], True),
        ("市级评审·初中物理", ["物理"], [], True),
    ]
    physics = groups[2]
    assert "专家名单为空" in physics.warning(2)
    assert "只有 1 位" in groups[1].warning(2)
    rounds = ReviewRound.objects.filter(unit=province.city).order_by("id")
    assert [(r.blind, r.reviews_per_entry, r.node_scope.name) for r in rounds] == [
        (False, 2, "数学"),
        (False, 2, "语文"),
        (False, 2, "物理"),
    ]
    assert set(RoundExpert.objects.values_list("max_load", flat=True)) == {7}
    assert AuditEvent.objects.filter(object_type="selection.reviewround").count() == 3
    assert AuditEvent.objects.filter(object_type="selection.roundexpert").count() == 3
    # Opening a round fixes only its subject's entries; its pool is its subject's experts.
    math_round = groups[0].review_round
    set_round_state(Actor(province.city_admin), math_round, "open")
    assert {e.submission.title for e in math_round.entries.all()} == {"数学甲", "数学乙"}
    assert {p.full_name for p in expert_pool(math_round)} == {"小学专家", "数学专家"}


def test_preview_creates_nothing(province, campaign, entries, experts):
    groups = subject_groups(
        Actor(province.city_admin),
        campaign,
        level(campaign, "city"),
        province.city,
        name_prefix=" 复评 ",
    )
    assert [(g.name, len(g.entry_ids), len(g.experts)) for g in groups] == [
        ("复评·小学数学", 2, 2),
        ("复评·小学语文", 1, 1),
        ("复评·初中物理", 1, 0),
    ]
    assert not ReviewRound.objects.exists()


def test_loaded_experts_stay_off_the_panel(province, campaign, entries, experts):
    from youke.selection.models import Assignment

    other = city_round(province, campaign)
    set_round_state(Actor(province.city_admin), other, "open")
    Assignment.objects.create(round=other, entry=entries["数学甲"], expert=experts["数学"])
    groups = make(province, campaign, name_prefix="二轮", max_load=1)
    assert [g.name for g in groups if experts["数学"] in g.experts] == []
    assert [g.name for g in groups if experts["小学"] in g.experts] == [
        "二轮·小学数学",
        "二轮·小学语文",
    ]


def test_duplicate_names_refused_and_listed(province, campaign, entries, experts):
    create_round(
        Actor(province.city_admin),
        campaign,
        level(campaign, "city"),
        province.city,
        name="市级评审·小学数学",
        deadline=soon(),
    )
    with pytest.raises(ValidationError) as caught:
        make(province, campaign)
    assert caught.value.messages == [
        "评审轮次名称已被本单位在该活动中使用：“市级评审·小学数学”。请换一个名称（或名称前缀）。"
    ]
    assert ReviewRound.objects.count() == 1


def test_create_round_refuses_a_taken_name(province, campaign):
    city_round(province, campaign)
    with pytest.raises(ValidationError, match="“市级评审”。请换一个名称"):
        city_round(province, campaign)
    assert ReviewRound.objects.count() == 1


def test_bad_settings_and_empty_level(province, campaign, experts):
    with pytest.raises(ValidationError) as caught:
        make(province, campaign, name_prefix=" ", deadline=timezone.now(), max_load=0)
    assert caught.value.messages == [
        "评审截止时间已过：请设置一个将来的时间。",
        "请填写评审轮次名称前缀，例如“市级评审”。",
        "评审上限至少为 1：请修改。",
    ]
    with pytest.raises(ValidationError, match="还没有待评审的作品"):
        make(province, campaign)


def test_other_units_admin_refused(province, campaign, entries):
    with pytest.raises(PermissionDenied):
        create_subject_rounds(
            Actor(province.county_a_admin),
            campaign,
            level(campaign, "city"),
            province.city,
            name_prefix="x",
            deadline=soon(),
        )
    assert not ReviewRound.objects.exists()


def test_mismatched_expert_needs_confirmation(province, campaign, entries, experts):
    math_round = make(province, campaign)[0].review_round
    admin = Actor(province.city_admin)
    with pytest.raises(ValidationError, match="请勾选“学段学科不符仍添加”"):
        add_expert(admin, math_round, experts["他市"])
    member = add_expert(admin, math_round, experts["他市"], confirm_mismatch=True)
    assert member.expert == experts["他市"]
    event = AuditEvent.objects.filter(object_type="selection.roundexpert").order_by("id").last()
    assert event.after == {"expert": experts["他市"].pk, "max_load": 20, "mismatch_confirmed": True}


def test_queries_flat_in_number_of_groups(province, campaign, catalog, experts):
    expert(province.city, "初中专家", catalog.junior)  # on every group's panel
    counts, sizes = [], []
    for prefix, n_subjects in (("一", 1), ("三", 3)):
        ReviewRound.objects.all().delete()
        for i in range(n_subjects):
            code = f"C03{prefix == '三'}{i}"
            node = add(catalog.junior, f"{code}S", f"科{i}", NodeLevel.SUBJECT)
            for suffix, lvl in (("E", NodeLevel.EDITION), ("V", NodeLevel.VOLUME)):
                node = add(node, f"{code}{suffix}", f"{suffix}{i}", lvl)
            node = add(node, f"{code}U", "单元", NodeLevel.UNIT)
            lesson = add(node, f"{code}L", "课", NodeLevel.LESSON)
            city_entry(campaign, province.teacher_a, lesson, f"{prefix}{i}")
        admin = Person.objects.get(pk=province.city_admin.pk)  # no permission cache carried over
        city_level = level(campaign, "city")
        with CaptureQueriesContext(connection) as ctx:
            groups = create_subject_rounds(
                Actor(admin),
                campaign,
                city_level,
                province.city,
                name_prefix=prefix,
                deadline=soon(),
            )
        counts.append(len(ctx))
        sizes.append(len(groups))
    assert sizes == [1, 4]
    assert RoundExpert.objects.filter(expert__full_name="初中专家").count() == 4
    assert counts[0] == counts[1]
