"""Bulletin numbers never repeat when admins publish at the same time (PostgreSQL row lock)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.selection.test_concurrency import run_all
from youke.core.actor import Actor
from youke.monitoring.domain import bulletins
from youke.monitoring.models import Bulletin

from .test_bulletins import compose

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _numbered(unit):
    with transaction.atomic():
        return bulletins.next_number(unit, 2026)


def test_concurrent_numbers_are_unique(province):
    results = run_all([lambda: _numbered(province.city) for _ in range(10)])
    assert sorted(results) == list(range(1, 11))


def test_concurrent_publications(province, tree):
    drafts = [compose(province, tree, title=f"第{i}期通报") for i in range(4)]
    actor = Actor(province.city_admin)
    results = run_all([lambda d=d: bulletins.publish(actor, d) for d in drafts])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Bulletin.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_a_refresh_does_not_block_rows_that_point_at_the_campaign(province, tree):
    """The refreshers' campaign lock leaves foreign-key checks alone.

    A plain FOR UPDATE made a recommendation's entry insert wait for the refresh, and the two
    deadlocked on PostgreSQL when the refresh waited for the recommendation in turn.
    """
    import threading

    from youke.monitoring.domain import figures
    from youke.monitoring.models import UnitFigure

    campaign = tree.campaign
    locked, release = threading.Event(), threading.Event()

    def refresher():
        with transaction.atomic():
            figures.refresh_units(campaign, [province.school_a.pk])
            locked.set()
            release.wait(10)

    def inserter():
        locked.wait(10)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                UnitFigure.objects.filter(campaign=campaign, unit=tree.empty_school).delete()
                UnitFigure.objects.create(
                    campaign=campaign,
                    unit=tree.empty_school,
                    path=tree.empty_school.path,
                    depth=tree.empty_school.depth,
                    refreshed_at=timezone.now(),
                )
            return "inserted"
        finally:
            release.set()

    results = run_all([refresher, inserter])
    assert results[1] == "inserted", results
