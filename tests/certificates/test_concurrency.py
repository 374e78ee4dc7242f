"""Serial numbers never repeat under concurrent batches (row lock on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.certificates.conftest import make_awards, seal_png
from tests.selection.conftest import level
from tests.selection.test_concurrency import run_all
from youke.campaigns.models import AwardGrade
from youke.certificates.domain import issuing
from youke.certificates.domain.templates import add_authority, save_template, set_seal
from youke.certificates.models import Certificate, SerialCounter
from youke.core.actor import Actor
from youke.selection.enums import EntryState
from youke.selection.models import Award, LevelEntry

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_allocations_never_repeat():
    results = run_all([lambda: issuing.allocate_serials("990100", 2026, 25) for _ in range(8)])
    serials = [s for batch in results for s in batch]
    assert len(serials) == len(set(serials)) == 200
    assert sorted(serials) == [f"990100-2026-{n:06d}" for n in range(1, 201)]
    assert SerialCounter.objects.get().last == 200


def test_concurrent_batches_of_two_templates_sharing_an_authority(
    province, campaign, lessons, awarded
):
    # A second template (province level) whose first authority is the same city unit:
    # both batches draw from the one 990100/2026 counter.
    actor = Actor(province.platform_admin)
    province_level = level(campaign, "province")
    grade = AwardGrade.objects.create(campaign=campaign, level=province_level, name="特等奖")
    other = save_template(
        actor,
        campaign=campaign,
        level=province_level,
        unit=province.province,
        title="荣誉证书",
        body="{教师}",
        orientation="portrait",
    )
    set_seal(
        actor, add_authority(actor, other, unit=province.city, name="青山市教育局"), seal_png()
    )
    city_awards = make_awards(
        campaign, [(province.teacher_a, lessons[i]) for i in range(2, 14)], awarded.grade
    )
    for award in city_awards:
        entry = LevelEntry.objects.create(
            submission=award.entry.submission,
            level=province_level,
            unit=province.province,
            state=EntryState.PENDING,
        )
        Award.objects.create(entry=entry, grade=grade, level=province_level)
    admin = Actor(province.platform_admin)
    jobs = [lambda t=t: issuing.issue_missing(admin, t) for t in (awarded.template, other) * 3]
    results = run_all(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    # 14 city awards and 12 province awards, each issued once across the six runs.
    assert sum(results) == 26
    serials = list(Certificate.objects.values_list("serial", flat=True))
    assert sorted(serials) == [f"990100-2026-{n:06d}" for n in range(1, 27)]
