"""Racing signals credit a lesson once, and the per-unit sums stay equal to the ledger
(PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from tests.selection.conftest import submitted
from tests.selection.test_concurrency import run_all
from tests.training.conftest import grant
from youke.core.actor import Actor
from youke.training.domain import ledger
from youke.training.models import TrainingCredit, UnitYearTotal

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_racing_events_credit_once_and_keep_the_sums(province, campaign, lessons):
    subs = [
        submitted(campaign, province.teacher_a, lessons[i], f"课{i}").submission for i in range(4)
    ]
    jobs = [
        lambda s=s: ledger.credit_showcase(Actor.system(), s.pk) for s in subs for _ in range(4)
    ]
    results = run_all(jobs)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r is not None for r in results) == 4
    award = grant(subs[0], "province", province.province, province.province_admin)
    results = run_all([lambda: ledger.credit_award(Actor.system(), award.pk) for _ in range(6)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert TrainingCredit.objects.filter(kind="rule").count() == 5
    total = UnitYearTotal.objects.get(unit=province.school_a, year=campaign.year)
    assert (total.hours, total.lines, total.teachers) == (Decimal(90), 5, 1)
