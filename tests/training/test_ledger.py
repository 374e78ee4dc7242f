"""R12: credits at the events that earn them, once per teacher and lesson, reversed when the
award is revoked; manual credits and corrections with a reason, scoped and audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.training.conftest import grant, showcase
from youke.campaigns.domain.settings import set_training_hours
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain.awards import revoke_award
from youke.training.domain import ledger
from youke.training.enums import CreditKind
from youke.training.models import TrainingCredit


def lines(teacher):
    return list(
        TrainingCredit.objects.filter(teacher=teacher)
        .order_by("id")
        .values_list("kind", "event", "hours", "is_reversed")
    )


def test_showcase_is_credited_once_from_the_rule_table(province, campaign, lessons):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    # The same event again (a resubmission, a replayed signal) credits nothing more.
    assert ledger.credit_showcase(Actor(province.teacher_a), submission.pk) is None
    credit = TrainingCredit.objects.get(teacher=province.teacher_a)
    assert (credit.kind, credit.event, credit.hours, credit.year) == (
        "rule",
        "showcase",
        Decimal(10),
        2026,
    )
    assert credit.source == "晒课《圆的面积》（一师一优课测试）"
    assert credit.submission_id == submission.pk and credit.unit_id == province.school_a.pk
    assert AuditEvent.objects.filter(object_type="training.trainingcredit").count() == 1


def test_the_database_refuses_a_second_live_credit_for_a_lesson(province, campaign, lessons):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    credit = TrainingCredit.objects.get()
    credit.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        credit.save()
    assert TrainingCredit.objects.filter(submission=submission).count() == 1


def test_hours_come_from_the_campaign_data(province, campaign, lessons):
    set_training_hours(Actor(province.province_admin), campaign, event="showcase", hours=12)
    showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    assert lines(province.teacher_a) == [("rule", "showcase", Decimal(12), False)]


def test_a_campaign_without_a_rule_credits_nothing(province, campaign, lessons):
    campaign.training_hours.all().delete()
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    grant(submission, "province", province.province, province.province_admin)
    assert lines(province.teacher_a) == []


def test_provincial_or_higher_is_credited_once_per_lesson(province, campaign, lessons):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    grant(submission, "city", province.city, province.city_admin)  # no city rule: nothing
    grant(submission, "province", province.province, province.province_admin)
    grant(submission, "ministry", province.ministry, province.platform_admin)
    assert lines(province.teacher_a) == [
        ("rule", "showcase", Decimal(10), False),
        ("rule", "provincial_excellent", Decimal(50), False),
    ]
    assert TrainingCredit.objects.get(event="provincial_excellent").source == (
        "《圆的面积》获省级遴选优课（一师一优课测试）"
    )


def test_revoking_the_award_reverses_its_hours(province, campaign, lessons, run_on_commit):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    award = grant(submission, "province", province.province, province.province_admin)
    run_on_commit(revoke_award, Actor(province.province_admin), award, "异议成立")
    assert lines(province.teacher_a) == [
        ("rule", "showcase", Decimal(10), False),
        ("rule", "provincial_excellent", Decimal(50), True),
        ("reversal", "provincial_excellent", Decimal(-50), False),
    ]
    reversal = TrainingCredit.objects.get(kind="reversal")
    assert reversal.reason == "异议成立" and reversal.reverses.award_id == award.pk
    # Granted again later: credited again, once.
    again = grant(submission, "province", province.province, province.province_admin)
    assert TrainingCredit.objects.filter(award=again, kind="rule").count() == 1
    total = sum(TrainingCredit.objects.values_list("hours", flat=True))
    assert total == Decimal(60)


def test_a_standing_higher_award_keeps_the_hours(province, campaign, lessons, run_on_commit):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    provincial = grant(submission, "province", province.province, province.province_admin)
    ministry = grant(submission, "ministry", province.ministry, province.platform_admin)
    run_on_commit(revoke_award, Actor(province.province_admin), provincial, "材料有误")
    live = TrainingCredit.objects.get(kind="rule", event="provincial_excellent", is_reversed=False)
    assert live.award_id == ministry.pk
    assert sum(TrainingCredit.objects.values_list("hours", flat=True)) == Decimal(60)


def test_sync_credits_fills_in_missed_events_only(province, campaign, lessons):
    from tests.selection.conftest import submitted

    submitted(campaign, province.teacher_b, lessons[1], "分数的意义")  # no signal sent
    showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    assert ledger.sync_credits(Actor.system()) == 1
    assert ledger.sync_credits(Actor.system()) == 0
    assert TrainingCredit.objects.filter(teacher=province.teacher_b).count() == 1


def test_manual_credit_needs_a_reason_and_is_audited(province):
    actor = Actor(province.county_a_admin)
    with pytest.raises(ValidationError) as refused:
        ledger.add_manual_credit(
            actor, province.teacher_a, hours="8", year=2026, source="市级培训", reason=" "
        )
    assert "reason" in refused.value.message_dict
    credit = ledger.add_manual_credit(
        actor, province.teacher_a, hours="8.5", year=2026, source="市级培训", reason="补登"
    )
    assert (credit.kind, credit.hours, credit.created_by) == (
        "manual",
        Decimal("8.5"),
        province.county_a_admin,
    )
    event = AuditEvent.objects.get(object_type="training.trainingcredit")
    assert (event.reason, event.after["hours"]) == ("补登", "8.5")


@pytest.mark.parametrize(
    ("kind", "hours", "field"),
    [
        ("manual", "-3", "hours"),
        ("manual", "0", "hours"),
        ("manual", "abc", "hours"),
        ("manual", "1.25", "hours"),
        ("correction", "0", "hours"),
        ("correction", "-9", "hours"),  # would leave the year negative
        ("manual", "501", "hours"),
    ],
)
def test_bad_amounts_are_refused_with_the_field(province, kind, hours, field):
    actor = Actor(province.county_a_admin)
    ledger.add_manual_credit(
        actor, province.teacher_a, hours="8", year=2026, source="市级培训", reason="补登"
    )
    with pytest.raises(ValidationError) as refused:
        ledger.add_manual_credit(
            actor,
            province.teacher_a,
            hours=hours,
            year=2026,
            source="更正",
            reason="核对",
            kind=kind,
        )
    assert list(refused.value.message_dict) == [field]
    assert TrainingCredit.objects.count() == 1


def test_correction_may_lower_a_year_to_zero(province):
    actor = Actor(province.county_a_admin)
    ledger.add_manual_credit(
        actor, province.teacher_a, hours="8", year=2026, source="市级培训", reason="补登"
    )
    ledger.add_manual_credit(
        actor,
        province.teacher_a,
        hours="-8",
        year=2026,
        source="更正",
        reason="重复登记",
        kind=CreditKind.CORRECTION,
    )
    assert sum(TrainingCredit.objects.values_list("hours", flat=True)) == 0


def test_manual_credit_outside_the_admins_subtree_is_refused(province):
    with pytest.raises(PermissionDenied):
        ledger.add_manual_credit(
            Actor(province.county_b_admin),
            province.teacher_a,
            hours="8",
            year=2026,
            source="市级培训",
            reason="补登",
        )
    assert TrainingCredit.objects.count() == 0


def test_withdrawing_the_package_reverses_its_showcase_hours(
    province, campaign, lessons, run_on_commit
):
    """R12: a withdrawn package is no longer a showcased lesson; submitted again, it earns
    its hours again, once."""
    from youke.submissions.domain import packages

    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    run_on_commit(packages.withdraw, Actor(province.teacher_a), submission, reason="重新录制")
    assert lines(province.teacher_a) == [
        ("rule", "showcase", Decimal(10), True),
        ("reversal", "showcase", Decimal(-10), False),
    ]
    assert TrainingCredit.objects.get(kind="reversal").reason == "作品已撤回：重新录制"
    ledger.credit_showcase(Actor(province.teacher_a), submission.pk)  # withdrawn: nothing
    submission.refresh_from_db()
    submission.state = "submitted"
    submission.save(update_fields=["state"])
    assert ledger.credit_showcase(Actor(province.teacher_a), submission.pk) is not None
    assert ledger.credit_showcase(Actor(province.teacher_a), submission.pk) is None
    total = sum(
        TrainingCredit.objects.filter(teacher=province.teacher_a).values_list("hours", flat=True)
    )
    assert total == Decimal(10)
