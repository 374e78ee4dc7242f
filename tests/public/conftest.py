"""A published school list (two real entries) that tests can grow to any length."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level  # noqa: F401  (fixture)
from tests.selection.test_summary_sheet import build_list
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.selection.domain import publicity as domain
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry
from youke.submissions.enums import SubmissionState
from youke.submissions.models import CoAuthor, Submission


@pytest.fixture
def published(province, campaign, lessons, run_on_commit):  # noqa: F811
    """School A's confirmed list in an open window; the downloads of version 1 are built."""
    _row, (a, b, c) = build_list(province, campaign, lessons)
    now = timezone.now()
    publicity = run_on_commit(
        domain.open_publicity,
        Actor(province.school_a_admin),
        campaign,
        level(campaign, "school"),
        province.school_a,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=5),
        title="东湖区实验小学推荐结果公示",
    )
    cache.clear()
    return publicity, (a, b, c)


def grow(publicity, province, campaign, count: int, *, title="拓展课", node=None) -> list:  # noqa: F811
    """``count`` more recommended entries on the published list, written in bulk."""
    first = LevelEntry.objects.filter(level=publicity.level, unit=publicity.unit).first()
    model = first.submission
    submissions = Submission.objects.bulk_create(
        Submission(
            campaign=campaign,
            category_id=model.category_id,
            node_id=node.pk if node else model.node_id,
            teacher=province.teacher_a,
            unit=province.school_a,
            title=f"{title}{i:04d}",
            state=SubmissionState.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for i in range(count)
    )
    return LevelEntry.objects.bulk_create(
        LevelEntry(
            submission=sub, level=publicity.level, unit=publicity.unit, state=EntryState.RECOMMENDED
        )
        for sub in submissions
    )


def add_coauthor(entry, person) -> None:
    CoAuthor.objects.create(submission=entry.submission, person=person, order=1)
