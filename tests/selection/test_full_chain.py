"""The full chain on the demo province: a teacher's package goes school → county → city →
province → ministry (→ the final 公示 level), with quotas, screening, an expert round, awards,
a summary sheet per confirmed list, publicity with a rejected objection, and its path.

The campaign is owned by the ministry: a campaign only has the levels at or below its owner
(``templates._create_levels``), so the province-owned one stops at 省级遴选.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import make_person
from tests.selection.conftest import film, level, submitted
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import AwardGrade, Campaign, Criterion, Level, PastAward
from youke.core.actor import Actor
from youke.core.enums import JobState
from youke.core.models import AuditEvent
from youke.orgs.enums import Role
from youke.orgs.models import ExpertProfile
from youke.selection.domain import checklist, summary
from youke.selection.domain.assignment import add_expert, auto_assign
from youke.selection.domain.awards import grant_awards
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.domain.path import staff_path, teacher_status
from youke.selection.domain.proposal import apply_proposal, propose_list
from youke.selection.domain.publicity import (
    file_objection,
    finalise,
    open_publicity,
    resolve_objection,
)
from youke.selection.domain.quotas import allocate_quota
from youke.selection.domain.review import create_round, round_results, save_scores, set_round_state
from youke.selection.domain.screening import record_screening
from youke.selection.enums import (
    AssignmentState,
    EntryState,
    ListState,
    ObjectionState,
    PublicityState,
)
from youke.selection.models import Assignment, Award, LevelEntry, LevelList
from youke.submissions.enums import SubmissionState

pytestmark = pytest.mark.django_db

CHAIN = ["school", "county", "city", "province", "ministry", "publicity"]
RECOMMENDED, NOT_RECOMMENDED = EntryState.RECOMMENDED, EntryState.NOT_RECOMMENDED


@pytest.fixture
def ministry_campaign(province, catalog) -> Campaign:
    """精品课 run by the ministry, built like the other selection fixtures, open now."""
    actor = Actor(province.platform_admin)
    created = create_campaign_from_template(
        actor, province.ministry, "quality_course", name="部级精品课全流程", year=2026
    )
    now = timezone.now()
    Campaign.objects.filter(pk=created.pk).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=300)
    )
    for index, step in enumerate(Level.objects.filter(campaign=created).order_by("order")):
        Level.objects.filter(pk=step.pk).update(
            deadline=now + datetime.timedelta(days=10 + 10 * index)
        )
    created.refresh_from_db()
    set_campaign_state(created, "published", actor=actor)
    created.refresh_from_db()
    return created


def at(camp, key, submission) -> LevelEntry:
    return LevelEntry.objects.select_related("level__campaign", "unit", "submission").get(
        level=level(camp, key), submission=submission
    )


def expert(unit, name, area, on=None):
    person = make_person(unit, Role.EXPERT, on=on, full_name=name)
    ExpertProfile.objects.create(person=person).areas.set([area])
    return person


def screen(actor, entry):
    return record_screening(
        actor,
        entry,
        technical_check="pass",
        trial_date=timezone.localdate(),
        panel="县教研员三人",
        trial_result="pass",
        comments="同意推荐",
    )


def score(person, assignment, share: float):
    criteria = Criterion.objects.filter(category_id=assignment.entry.submission.category_id)
    points = {c.pk: 0 if c.is_veto else round(c.points * share) for c in criteria}
    answers = {item.pk: (True, "") for item in checklist.items_for(assignment)}
    return save_scores(
        Actor(person), assignment, points, comment="评语", submit=True, checklist_answers=answers
    )


def sheet_lines(run_on_commit, person, row: LevelList) -> list[tuple]:
    job = run_on_commit(summary.request_summary_sheet, Actor(person), row)
    job.refresh_from_db()
    with job.output_file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        lines = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    return lines


def sheet_rows(run_on_commit, person, row: LevelList) -> tuple[int, int]:
    """Run the summary sheet job; returns (rows in the job result, data rows in the file)."""
    job = run_on_commit(summary.request_summary_sheet, Actor(person), row)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.message
    with job.output_file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        lines = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    assert lines[0][:3] == ("序号", "推荐单位", "学校")
    return job.result["rows"], len(lines) - 1


def test_full_chain_from_teacher_to_ministry(
    province, ministry_campaign, catalog, lessons, run_on_commit, filmed
):
    p, camp = province, ministry_campaign
    keys = list(Level.objects.filter(campaign=camp).order_by("order").values_list("key", flat=True))
    assert keys == CHAIN
    ministry_admin = Actor(p.platform_admin)

    # Quotas (R7), each set by the level above. The units below a parent can never get more
    # than the parent's own quota in total, so the city gives its counties none here: both
    # counties send their winner and the city's quota of one lets one of them through.
    allocate_quota(Actor(p.county_a_admin), camp, level(camp, "school"), p.school_a, 1)
    city_admin = Actor(p.city_admin)
    allocate_quota(Actor(p.province_admin), camp, level(camp, "city"), p.city, 1)
    allocate_quota(ministry_admin, camp, level(camp, "province"), p.province, 1)

    # Teachers submit: the packages enter their schools' lists.
    main = submitted(camp, p.teacher_a, lessons[0], "亿以内数的认识").submission
    second = submitted(camp, p.teacher_a, lessons[1], "同校第二件").submission
    rival = submitted(camp, p.teacher_b, lessons[2], "西岭县参评课").submission

    # School: the quota holds; school B has no admin of its own, its county acts for it.
    school_a = Actor(p.school_a_admin)
    decide(school_a, at(camp, "school", main), RECOMMENDED)
    with pytest.raises(ValidationError, match="名额已用完"):
        decide(school_a, at(camp, "school", second), RECOMMENDED)
    decide(school_a, at(camp, "school", second), NOT_RECOMMENDED, reason="名额已用完，明年再报")
    confirm_list(school_a, camp, level(camp, "school"), p.school_a)
    county_b = Actor(p.county_b_admin)
    decide(county_b, at(camp, "school", rival), RECOMMENDED)
    confirm_list(county_b, camp, level(camp, "school"), p.school_b)

    # County (trial lectures, R8): no recommendation before the screening record.
    county_a = Actor(p.county_a_admin)
    with pytest.raises(ValidationError, match="初选记录"):
        decide(county_a, at(camp, "county", main), RECOMMENDED)
    # Design first: a passed screening asks the teacher for the video; the list waits for it.
    screen(county_a, at(camp, "county", main))
    decide(county_a, at(camp, "county", main), RECOMMENDED)
    with pytest.raises(ValidationError, match="还在等待教师拍摄并提交视频"):
        confirm_list(county_a, camp, level(camp, "county"), p.county_a)
    film(main, filmed)
    confirm_list(county_a, camp, level(camp, "county"), p.county_a)
    screen(county_b, at(camp, "county", rival))
    decide(county_b, at(camp, "county", rival), RECOMMENDED)
    film(rival, filmed)
    confirm_list(county_b, camp, level(camp, "county"), p.county_b)

    # City: an expert round ranks the two county winners; the quota lets one through.
    city_level = level(camp, "city")
    review_round = create_round(
        city_admin,
        camp,
        city_level,
        p.city,
        name="市级评审",
        reviews_per_entry=2,
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    set_round_state(city_admin, review_round, "open")
    panel = [
        expert(p.city, "市专家", catalog.primary),
        expert(p.province, "省专家", catalog.primary),
    ]
    for person in panel:
        add_expert(city_admin, review_round, person)
    report = auto_assign(city_admin, review_round)
    assert report.created == 4 and report.problems == []
    for assignment in Assignment.objects.filter(round=review_round).select_related(
        "entry__submission", "expert"
    ):
        share = 0.9 if assignment.entry.submission_id == main.pk else 0.6
        score(assignment.expert, assignment, share)
    set_round_state(city_admin, review_round, "closed")
    results, _experts = round_results(review_round)
    assert [(r.entry.submission_id, r.rank, r.reviews) for r in results] == [
        (main.pk, 1, 2),
        (rival.pk, 2, 2),
    ]
    proposal = propose_list(camp, city_level, p.city, round=review_round)
    assert [(r.entry.submission_id, r.proposed) for r in proposal] == [
        (main.pk, True),
        (rival.pk, False),
    ]
    assert "名额已满" in proposal[1].skip_reason
    applied = apply_proposal(city_admin, camp, city_level, p.city, round=review_round)
    assert [e.submission_id for e in applied.recommended] == [main.pk] and not applied.refused
    decide(city_admin, at(camp, "city", rival), NOT_RECOMMENDED, reason="评审排名未进入名额")
    grade = AwardGrade.objects.get(campaign=camp, level=city_level)
    [award] = grant_awards(city_admin, review_round, [(at(camp, "city", main), grade, "")])
    confirm_list(city_admin, camp, city_level, p.city)

    # Province, then ministry.
    province_admin = Actor(p.province_admin)
    decide(province_admin, at(camp, "province", main), RECOMMENDED)
    confirm_list(province_admin, camp, level(camp, "province"), p.province)
    decide(ministry_admin, at(camp, "ministry", main), RECOMMENDED)
    confirm_list(ministry_admin, camp, level(camp, "ministry"), p.ministry)

    # Publicity of the ministry's list: an objection, rejected; the results take effect.
    now = timezone.now()
    window = open_publicity(
        ministry_admin,
        camp,
        level(camp, "ministry"),
        p.ministry,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=5),
        title="部级精品课遴选结果公示",
    )
    objection = file_objection(
        window,
        at(camp, "ministry", main),
        name="张三",
        contact="13800000000",
        reason="怀疑课件抄袭",
        ip="10.0.0.9",
    )
    with pytest.raises(ValidationError, match="异议未处理"):
        finalise(window, now=window.ends_at + datetime.timedelta(minutes=1), actor=ministry_admin)
    resolve_objection(ministry_admin, objection, upheld=False, resolution="经核实系本人原创。")
    window = finalise(
        window, now=window.ends_at + datetime.timedelta(minutes=1), actor=ministry_admin
    )
    assert window.state == PublicityState.FINAL
    objection.refresh_from_db()
    assert objection.state == ObjectionState.REJECTED and objection.resolved_by == p.platform_admin

    # The last level of the chain (公示) confirms the final list.
    decide(ministry_admin, at(camp, "publicity", main), RECOMMENDED)
    confirm_list(ministry_admin, camp, level(camp, "publicity"), p.ministry)

    # Every confirmed list has its summary sheet, one row per recommended entry.
    requesters = {
        p.school_a.pk: p.school_a_admin,
        p.school_b.pk: p.county_b_admin,
        p.county_a.pk: p.county_a_admin,
        p.county_b.pk: p.county_b_admin,
        p.city.pk: p.city_admin,
        p.province.pk: p.province_admin,
        p.ministry.pk: p.platform_admin,
    }
    lists = LevelList.objects.filter(campaign=camp).select_related("unit", "level")
    assert {row.state for row in lists} == {ListState.CONFIRMED} and lists.count() == 8
    for row in lists:
        assert sheet_rows(run_on_commit, requesters[row.unit_id], row) == (1, 1), row
    # The city reviewed and awarded its list: score, rank and award fill the last columns.
    city_lines = sheet_lines(run_on_commit, p.city_admin, lists.get(level__key="city"))
    sheet_score, sheet_rank, sheet_award = city_lines[1][-3:]
    assert sheet_score and sheet_rank == "1" and sheet_award, city_lines[1]
    school_list = lists.get(level__key="school", unit=p.school_a)
    job = run_on_commit(summary.request_summary_sheet, school_a, school_list)
    job.refresh_from_db()
    confirmation = summary.confirm_summary_sheet(school_a, school_list, job)
    assert confirmation.row_count == 1 and len(confirmation.sha256) == 64

    # Final state.
    main.refresh_from_db()
    assert main.state == SubmissionState.SUBMITTED
    assert teacher_status(main) == "已列入教育部“公示”推荐名单"
    award.refresh_from_db()
    assert award.revoked_at is None and award.entry.submission_id == main.pk
    past = PastAward.objects.get(pk=award.past_award_id)
    assert (past.node_id, past.level, past.source) == (main.node_id, "city", "youke")
    assert not Award.objects.filter(entry__submission=rival).exists()

    # The path: every level with its decision, actor and list confirmation.
    path = staff_path(main)
    assert [(r.level_name, r.unit_name, r.state, r.decided_by) for r in path] == [
        ("学校推荐", "东湖区实验小学", RECOMMENDED, "东湖小学管理员"),
        ("县级初选", "东湖区", RECOMMENDED, "东湖区管理员"),
        ("市级遴选", "青山市", RECOMMENDED, "市管理员"),
        ("省级遴选", "示范省", RECOMMENDED, "省管理员"),
        ("部级遴选", "教育部", RECOMMENDED, "平台管理员"),
        ("公示", "教育部", RECOMMENDED, "平台管理员"),
    ]
    for row in path:
        assert row.decided_at and row.list_confirmed_at and row.state_label == "推荐"
        # Created (pending), then decided: both logged, the decision with its actor.
        assert [e.state_label for e in row.history][-1] == "推荐"
        assert row.history[-1].actor_name == row.decided_by
    assert path[2].reason == "按推荐建议"
    rival_path = staff_path(rival)
    assert [(r.level_name, r.state, r.decided_by, r.reason) for r in rival_path] == [
        ("学校推荐", RECOMMENDED, "西岭县管理员", ""),
        ("县级初选", RECOMMENDED, "西岭县管理员", ""),
        ("市级遴选", NOT_RECOMMENDED, "市管理员", "评审排名未进入名额"),
    ]
    assert [(r.level_name, r.state, r.reason) for r in staff_path(second)] == [
        ("学校推荐", NOT_RECOMMENDED, "名额已用完，明年再报"),
    ]
    # Scores, the award, the objection's outcome and the summary confirmation are logged too.
    logged = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {
        "selection.assignment",
        "selection.award",
        "selection.objection",
        "selection.quota",
        "selection.screeningrecord",
        "selection.summarysheetconfirmation",
    } <= logged
    submitted_reviews = Assignment.objects.filter(
        round=review_round, state=AssignmentState.SUBMITTED
    )
    assert submitted_reviews.count() == 4
