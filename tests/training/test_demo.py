"""The demo credits what its events earned and gives the demo teacher several years."""

from __future__ import annotations

from decimal import Decimal

from tests.selection.conftest import submitted
from youke.training.demo import build_training
from youke.training.domain.honours import honours_record
from youke.training.domain.ledger import current_year
from youke.training.models import TrainingCredit


def test_demo_training(province, campaign, lessons):
    submitted(campaign, province.teacher_a, lessons[0], "圆的面积")  # loaded without a signal
    assert build_training("teachera") == {"training_credits": 1, "training_manual": 4}
    record = honours_record(province.teacher_a)
    year = current_year()
    expected: dict[int, Decimal] = {campaign.year: Decimal(10)}  # the 晒课
    for back, hours in ((0, 6), (1, 20), (2, 50)):
        expected[year - back] = expected.get(year - back, Decimal(0)) + hours
    assert {y.year: y.hours.total for y in record.years} == expected
    lines = TrainingCredit.objects.filter(teacher=province.teacher_a)
    assert sum(lines.values_list("hours", flat=True)) == Decimal(86)
    assert lines.get(kind="correction").created_by == province.school_a_admin
    assert build_training("teachera") == {}  # run again: nothing more
