"""Review rounds: automatic assignment, scoring validation and aggregation (issue 4, 5–8)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import make_person
from tests.selection.conftest import level, submitted
from youke.campaigns.models import Criterion
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.enums import Role
from youke.orgs.models import ExpertProfile
from youke.selection.domain.assignment import add_expert, assign, auto_assign, declare_conflict
from youke.selection.domain.review import (
    create_round,
    identity_leaks,
    round_results,
    save_scores,
    set_round_state,
)
from youke.selection.enums import AssignmentState, EntryState
from youke.selection.models import Assignment, LevelEntry, ReviewRound, RoundExpert
from youke.submissions.models import CoAuthor

pytestmark = pytest.mark.django_db


def expert(unit, name, *areas, on=None):
    person = make_person(unit, Role.EXPERT, on=on, full_name=name)
    ExpertProfile.objects.create(person=person).areas.set(areas)
    return person


def city_entry(campaign, teacher, node, title):
    """A package already at the city level (the chain below is tested elsewhere)."""
    school_entry = submitted(campaign, teacher, node, title)
    return LevelEntry.objects.create(
        submission=school_entry.submission,
        level=level(campaign, "city"),
        unit=teacher.unit.get_parent().get_parent(),
        state=EntryState.PENDING,
    )


def city_round(province, campaign, **settings):
    settings.setdefault("deadline", timezone.now() + datetime.timedelta(days=5))
    settings.setdefault("reviews_per_entry", 2)
    settings.setdefault("name", "市级评审")
    return create_round(
        Actor(province.city_admin),
        campaign,
        level(campaign, "city"),
        province.city,
        **settings,
    )


def opened(province, review_round, *experts, max_load=20):
    set_round_state(Actor(province.city_admin), review_round, "open")
    for person in experts:
        add_expert(Actor(province.city_admin), review_round, person, max_load)
    return review_round


@pytest.fixture
def panel(province, catalog):
    return {
        "own_school": expert(province.school_a, "甲校专家", catalog.primary, on=province.city),
        "county_b": expert(province.county_b, "西岭专家", catalog.primary, on=province.city),
        "city": expert(province.city, "市专家", catalog.primary),
        "junior": expert(province.city, "初中专家", catalog.junior),
    }


def test_only_the_round_units_admins_create_and_open(province, campaign):
    with pytest.raises(Exception, match="review round"):
        create_round(
            Actor(province.county_a_admin),
            campaign,
            level(campaign, "city"),
            province.city,
            name="x",
            deadline=timezone.now() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="不能由"):
        create_round(
            Actor(province.city_admin),
            campaign,
            level(campaign, "county"),
            province.city,
            name="x",
            deadline=timezone.now() + datetime.timedelta(days=1),
        )


def test_open_fixes_entries_and_pool_matches_areas(province, campaign, lessons, panel):
    a = city_entry(campaign, province.teacher_a, lessons[0], "甲")
    b = city_entry(campaign, province.teacher_b, lessons[1], "乙")
    review_round = city_round(province, campaign)
    set_round_state(Actor(province.city_admin), review_round, "open")
    city_entry(campaign, province.teacher_a, lessons[2], "迟到")
    assert set(review_round.entries.all()) == {a, b}
    from youke.selection.domain.assignment import expert_pool

    assert {p.full_name for p in expert_pool(review_round)} == {"甲校专家", "西岭专家", "市专家"}
    with pytest.raises(ValidationError, match="不在本轮的专家库"):
        add_expert(Actor(province.city_admin), review_round, panel["junior"])
    assert AuditEvent.objects.filter(object_type="selection.reviewround").count() == 2


def test_auto_assign_respects_conflicts_and_reports(province, campaign, lessons, panel):
    city_entry(campaign, province.teacher_a, lessons[0], "甲")  # school_a, county_a
    b = city_entry(campaign, province.teacher_b, lessons[1], "乙")  # school_b, county_b
    author_expert = expert(
        province.school_b, "乙作者", panel["city"].expert_profile.areas.first(), on=province.city
    )
    CoAuthor.objects.create(submission=b.submission, person=author_expert)
    review_round = city_round(province, campaign, exclude_same_county=True, reviews_per_entry=3)
    opened(
        province, review_round, panel["own_school"], panel["county_b"], panel["city"], author_expert
    )
    report = auto_assign(Actor(province.city_admin), review_round)
    pairs = {
        (x.entry.submission.title, x.expert.full_name)
        for x in Assignment.objects.filter(round=review_round)
    }
    assert pairs == {
        ("甲", "西岭专家"),
        ("甲", "市专家"),
        ("甲", "乙作者"),
        ("乙", "甲校专家"),
        ("乙", "市专家"),
    }
    assert report.created == 5
    assert report.problems == [
        "《乙》还差 1 位专家（西岭专家：本县(区)作品；乙作者：本人作品）："
        "请添加符合条件的专家或提高评审上限。"
    ]
    # Running again changes nothing: deterministic and idempotent.
    assert auto_assign(Actor(province.city_admin), review_round).created == 0


def test_auto_assign_caps_balance_and_determinism(province, campaign, lessons, catalog):
    entries = [city_entry(campaign, province.teacher_a, lessons[i], f"作品{i}") for i in range(7)]
    experts = [expert(province.city, f"专家{i}", catalog.primary) for i in range(4)]
    review_round = city_round(province, campaign, reviews_per_entry=2)
    opened(province, review_round, *experts[:3])
    add_expert(Actor(province.city_admin), review_round, experts[3], max_load=2)
    report = auto_assign(Actor(province.city_admin), review_round)
    assert report.created == 14 and report.problems == []
    loads = {
        e.full_name: Assignment.objects.filter(round=review_round, expert=e).count()
        for e in experts
    }
    assert loads["专家3"] == 2
    free = [loads[f"专家{i}"] for i in range(3)]
    assert max(free) - min(free) <= 1 and sum(free) == 12
    for entry in entries:
        assert Assignment.objects.filter(round=review_round, entry=entry).count() == 2
    first = sorted(Assignment.objects.values_list("entry_id", "expert_id"))
    Assignment.objects.all().delete()
    auto_assign(Actor(province.city_admin), review_round)
    assert sorted(Assignment.objects.values_list("entry_id", "expert_id")) == first


def test_declared_conflict_and_manual_assign(province, campaign, lessons, panel):
    a = city_entry(campaign, province.teacher_a, lessons[0], "甲")
    review_round = city_round(province, campaign)
    opened(province, review_round, panel["city"], panel["own_school"])
    with pytest.raises(ValidationError, match="本校作品"):
        assign(Actor(province.city_admin), review_round, a, panel["own_school"])
    made = assign(Actor(province.city_admin), review_round, a, panel["city"])
    declare_conflict(
        Actor(panel["city"]), panel["city"], "曾指导该课", entry=a, review_round=review_round
    )
    assert not Assignment.objects.filter(pk=made.pk).exists()
    with pytest.raises(ValidationError, match="已申报回避"):
        assign(Actor(province.city_admin), review_round, a, panel["city"])


@pytest.fixture
def scoring(province, campaign, lessons, panel):
    a = city_entry(campaign, province.teacher_a, lessons[0], "甲")
    review_round = city_round(province, campaign)
    opened(province, review_round, panel["city"])
    made = assign(Actor(province.city_admin), review_round, a, panel["city"])
    criteria = list(Criterion.objects.filter(category=a.submission.category))
    return made, [c for c in criteria if not c.is_veto], [c for c in criteria if c.is_veto]


def test_scoring_validation(province, panel, scoring):
    made, scored, vetoes = scoring
    me = Actor(panel["city"])
    with pytest.raises(Exception, match="assignment"):
        save_scores(Actor(province.city_admin), made, {})
    first = scored[0]
    with pytest.raises(ValidationError, match=f"“{first.name}”的得分须在 0 到 {first.points}"):
        save_scores(me, made, {first.pk: first.points + 1})
    save_scores(me, made, {first.pk: first.points}, comment="草稿")
    made.refresh_from_db()
    assert (made.state, made.total) == (AssignmentState.DRAFT, first.points)
    with pytest.raises(ValidationError, match="还有评分项未打分"):
        save_scores(me, made, {first.pk: 1}, submit=True)
    full = {c.pk: c.points for c in scored}
    if vetoes:
        with pytest.raises(ValidationError, match="一票否决须填写理由"):
            save_scores(me, made, {**full, vetoes[0].pk: 1}, submit=True)
    save_scores(me, made, full, submit=True)
    made.refresh_from_db()
    assert (made.state, made.total) == (AssignmentState.SUBMITTED, sum(full.values()))
    with pytest.raises(ValidationError, match="已提交"):
        save_scores(me, made, full, submit=True)


def test_scoring_after_deadline_refused(panel, scoring):
    made, scored, _vetoes = scoring
    ReviewRound.objects.update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="截止"):
        save_scores(Actor(panel["city"]), made, {scored[0].pk: 1})


def test_aggregation_exact_values(province, campaign, lessons, catalog):
    """Hand-made: 3 entries × 4 experts, one veto; values worked out on paper."""
    entries = [
        city_entry(campaign, province.teacher_a, lessons[i], t)
        for i, t in enumerate(["甲", "乙", "丙"])
    ]
    experts = [expert(province.city, f"专家{i}", catalog.primary) for i in range(4)]
    review_round = city_round(province, campaign, disagreement_threshold=15)
    opened(province, review_round, *experts)
    totals = {  # entry → scores of 专家0..3
        "甲": [90, 80, 70, 60],
        "乙": [80, 80, 80, 80],
        "丙": [70, 60, 80, 100],
    }
    for entry in entries:
        for person, total in zip(experts, totals[entry.submission.title], strict=True):
            Assignment.objects.create(
                round=review_round,
                entry=entry,
                expert=person,
                total=total,
                state=AssignmentState.SUBMITTED,
                veto=(entry.submission.title == "丙" and person == experts[0]),
            )
    results, report = round_results(review_round)
    by_title = {r.entry.submission.title: r for r in results}
    assert by_title["甲"].mean == 75 and by_title["甲"].trimmed_mean == 75
    assert by_title["丙"].mean == 77.5 and by_title["丙"].trimmed_mean == 75
    assert by_title["甲"].disagreement and not by_title["乙"].disagreement
    assert by_title["丙"].veto and by_title["丙"].rank is None
    assert [r.entry.submission.title for r in results] == ["乙", "甲", "丙"]
    assert [r.rank for r in results] == [1, 2, None]
    # Per expert over 甲/乙/丙 (population stdev): 专家0 90/80/70 → z 1.2247, 0;
    # 专家1 80/80/60 → 0.7071, 0.7071; 专家2 70/80/80 → −1.4142, 0.7071;
    # 专家3 60/80/100 → −1.2247, 0. Entry z-score = mean over its four experts.
    assert by_title["甲"].zscore == pytest.approx((1.224745 + 0.707107 - 1.414214 - 1.224745) / 4)
    assert by_title["乙"].zscore == pytest.approx((0.707107 + 0.707107) / 4)
    first = report[0]
    assert (first.count, first.mean) == (3, 80)
    assert first.stdev == pytest.approx(8.164966, 1e-5)
    assert first.deviation == pytest.approx(((90 - 75) + 0 + (70 - 77.5)) / 3)
    review_round.ranking_method = "zscore"
    ranked, _ = round_results(review_round)
    assert [r.entry.submission.title for r in ranked] == ["乙", "甲", "丙"]


def test_zero_variance_expert_counts_as_zero(province, campaign, lessons, catalog):
    a = city_entry(campaign, province.teacher_a, lessons[0], "甲")
    person = expert(province.city, "专家", catalog.primary)
    review_round = city_round(province, campaign)
    opened(province, review_round, person)
    Assignment.objects.create(
        round=review_round, entry=a, expert=person, total=88, state=AssignmentState.SUBMITTED
    )
    results, _ = round_results(review_round)
    assert results[0].zscore == 0 and results[0].mean == 88


def test_identity_leaks_in_file_names(province, campaign, lessons):
    from tests.submissions.conftest import PDF, requirement, stored_upload
    from youke.submissions.models import Material

    a = city_entry(campaign, province.teacher_a, lessons[0], "甲")
    upload = stored_upload(province.teacher_a, "王老师-教学设计.pdf", PDF)
    Material.objects.create(
        submission=a.submission,
        requirement=requirement(campaign, a.submission.category.code, "teaching_design"),
        upload=upload,
    )
    assert identity_leaks(a) == [
        "《甲》的教学设计“王老师-教学设计.pdf”含有“王老师”，匿名评审会泄露身份："
        "请让作者改名后重新上传，或关闭匿名评审。"
    ]
    assert RoundExpert.objects.count() == 0
