"""Figures computed exactly on the hand-built tree; targets by unit type; deltas on signals."""

from __future__ import annotations

import pytest

from youke.monitoring.domain.figures import refresh_campaign
from youke.monitoring.domain.reading import not_showcased, unit_report
from youke.monitoring.models import SubjectFigure, UnitFigure
from youke.selection.models import Award
from youke.selection.signals import award_revoked
from youke.submissions.signals import package_submitted

from .conftest import package

pytestmark = pytest.mark.django_db


def counts(campaign, unit):
    f = UnitFigure.objects.get(campaign=campaign, unit=unit)
    return (f.teachers, f.showcased, f.lessons, f.excellent, f.on_time)


def test_counts_per_unit_and_subtree(province, tree):
    c = tree.campaign
    # teacher with two roles counted once; inactive and non-teachers not at all
    assert counts(c, province.school_a) == (4, 3, 5, 2, 4)  # with its teaching point
    assert counts(c, province.point_a) == (1, 1, 2, 0, 1)
    assert counts(c, tree.empty_school) == (0, 0, 0, 0, 0)
    assert counts(c, province.county_a) == (4, 3, 5, 2, 4)
    assert counts(c, province.county_b) == (3, 3, 6, 1, 6)
    assert counts(c, province.city) == (7, 6, 11, 3, 10)
    assert counts(c, province.province) == (7, 6, 11, 3, 10)
    city = UnitFigure.objects.get(campaign=c, unit=province.city)
    assert (city.teachers_urban, city.teachers_county) == (4, 3)


def cells(row):
    return {cell.key: (cell.value, cell.target, cell.light) for cell in row.cells}


def test_values_targets_and_lights_by_unit_type(province, tree):
    report = unit_report(tree.campaign, province.city)
    by_name = {row.name: row for row in report.children}
    urban = cells(by_name["东湖区"])
    county = cells(by_name["西岭县"])
    assert urban["participation"] == (75.0, 90.0, "amber")
    assert urban["lessons_per_teacher"] == (1.25, 2.0, "red")
    assert urban["excellent_rate"] == (50.0, 40.0, "green")  # 城区 target
    assert urban["on_time_rate"] == (80.0, 95.0, "amber")
    assert county["participation"] == (100.0, 90.0, "green")
    assert county["lessons_per_teacher"] == (2.0, 2.0, "green")
    assert county["excellent_rate"] == (33.3, 30.0, "green")  # 县区 target
    total = cells(report.total)
    # the city has no type: (4 × 40 + 3 × 30) / 7 = 35.7 % of its teachers
    assert total["excellent_rate"] == (42.9, 35.7, "green")
    assert total["participation"] == (85.7, 90.0, "amber")
    assert by_name["西岭县"].met_all and not by_name["东湖区"].met_all


def test_no_teachers_means_no_light(province, tree):
    report = unit_report(tree.campaign, province.county_a)
    empty = next(row for row in report.children if row.unit_id == tree.empty_school.pk)
    assert {cell.light for cell in empty.cells} == {"none"}
    assert {cell.value for cell in empty.cells} == {None}


def test_school_admin_sees_who_has_not_showcased(province, tree):
    names = [p.full_name for p in not_showcased(tree.campaign, province.school_a)]
    assert names == ["未晒课的老师"]


def test_submission_signal_adds_the_delta_up_the_chain(
    province, tree, django_capture_on_commit_callbacks
):
    idle = tree.urban_teachers[3]
    sub = package(tree.campaign, idle, tree.nodes[20])
    package_submitted.send(sender=None, submission_id=sub.pk, actor=None)
    assert counts(tree.campaign, province.school_a) == (4, 4, 6, 2, 5)
    assert counts(tree.campaign, province.city) == (7, 7, 12, 3, 11)
    assert counts(tree.campaign, province.county_b) == (3, 3, 6, 1, 6)
    stage_total = sum(
        SubjectFigure.objects.filter(campaign=tree.campaign, unit=province.city).values_list(
            "lessons", flat=True
        )
    )
    assert stage_total == 12
    before = {f.unit_id: counts(tree.campaign, f.unit) for f in UnitFigure.objects.all()}
    refresh_campaign(tree.campaign)  # the full refresh agrees with the deltas
    after = {f.unit_id: counts(tree.campaign, f.unit) for f in UnitFigure.objects.all()}
    assert before == after


def test_revoked_award_leaves_the_excellent_count(province, tree):
    from django.utils import timezone

    award = Award.objects.filter(entry__submission__teacher=province.teacher_b).first()
    award = award or Award.objects.filter(entry__submission__unit=province.school_b).first()
    Award.objects.filter(pk=award.pk).update(revoked_at=timezone.now())
    award_revoked.send(sender=Award, award_id=award.pk, actor=None, reason="")
    assert counts(tree.campaign, province.county_b)[3] == 0
    assert counts(tree.campaign, province.city)[3] == 2


def test_review_completion_counts_assignments_of_the_subtree(province, tree):
    from django.utils import timezone

    from youke.campaigns.models import Level
    from youke.selection.models import Assignment, LevelEntry, ReviewRound
    from youke.submissions.models import Submission

    level = Level.objects.filter(campaign=tree.campaign).order_by("order").first()
    review_round = ReviewRound.objects.create(
        campaign=tree.campaign,
        level=level,
        unit=province.city,
        name="市级评审",
        deadline=timezone.now(),
    )
    sub = Submission.objects.filter(unit=province.school_b).first()
    entry = LevelEntry.objects.get_or_create(
        submission=sub, level=level, defaults={"unit": province.school_b}
    )[0]
    Assignment.objects.create(
        round=review_round, entry=entry, expert=province.expert, state="submitted"
    )
    Assignment.objects.create(round=review_round, entry=entry, expert=province.research)
    refresh_campaign(tree.campaign)
    city = UnitFigure.objects.get(campaign=tree.campaign, unit=province.city)
    assert (city.reviews, city.reviews_done) == (2, 1)
    report = unit_report(tree.campaign, province.city)
    by_name = {row.name: cells(row) for row in report.children}
    assert by_name["西岭县"]["review_completion"] == (50.0, 100.0, "red")
    assert by_name["东湖区"]["review_completion"] == (None, 100.0, "none")
