"""R18 under real concurrency: row locks on PostgreSQL (SQLite serialises whole writes)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.selection.conftest import level, submitted
from youke.core.actor import Actor
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.domain.quotas import allocate_quota
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry, Quota

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def run_all(jobs):
    """Start every job at once; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001  collected for the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_recommendations_against_quota_of_five(province, campaign, lessons):
    entries = [submitted(campaign, province.teacher_a, lessons[i], f"课{i}") for i in range(20)]
    school = level(campaign, "school")
    allocate_quota(Actor(province.county_a_admin), campaign, school, province.school_a, 5)
    actor = Actor(province.school_a_admin)
    results = run_all([lambda e=e: decide(actor, e, EntryState.RECOMMENDED) for e in entries])
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 15, [r for r in results if isinstance(r, Exception)][:3]
    assert all("名额已用完" in r.messages[0] for r in refused)
    assert LevelEntry.objects.filter(level=school, state=EntryState.RECOMMENDED).count() == 5


def test_two_admins_confirm_at_once(province, campaign, lessons):
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    decide(Actor(province.school_a_admin), entry, EntryState.RECOMMENDED)
    school = level(campaign, "school")
    actors = [Actor(province.school_a_admin), Actor(province.county_a_admin)]
    results = run_all(
        [lambda a=a: confirm_list(a, campaign, school, province.school_a) for a in actors]
    )
    assert sum(1 for r in results if isinstance(r, ValidationError)) == 1
    assert LevelEntry.objects.filter(level__key="county", level__campaign=campaign).count() == 1


def test_sibling_quotas_at_once_never_exceed_the_parent(province, campaign):
    allocate_quota(
        Actor(province.province_admin), campaign, level(campaign, "city"), province.city, 5
    )
    county = level(campaign, "county")
    actor = Actor(province.city_admin)
    results = run_all(
        [
            lambda u=u: allocate_quota(actor, campaign, county, u, 3)
            for u in (province.county_a, province.county_b) * 4
        ]
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert all("还剩" in r.messages[0] for r in refused)
    quotas = Quota.objects.filter(level=county)
    assert [q.allowed for q in quotas] == [3]
    assert len(refused) == 4  # the other county's four attempts; re-setting one's own 3 is fine
