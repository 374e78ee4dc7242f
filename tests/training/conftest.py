"""A 一师一优课 campaign (its rule table: 晒课 10 h, provincial or higher 50 h) with submitted
packages of the province fixture's teachers, and awards at chosen levels."""

from __future__ import annotations

import pytest

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, otol_campaign, submitted  # noqa: F401
from youke.campaigns.models import AwardGrade, Level
from youke.core.actor import Actor
from youke.selection.enums import EntryState
from youke.selection.models import Award, LevelEntry
from youke.selection.signals import award_granted
from youke.submissions.models import Submission
from youke.submissions.signals import package_submitted


def showcase(campaign, teacher, node, title) -> Submission:
    """A submitted package, announced as ``packages.submit`` announces it."""
    submission = submitted(campaign, teacher, node, title).submission
    package_submitted.send(sender=Submission, submission_id=submission.pk, actor=Actor(teacher))
    return submission


def grant(submission, key: str, unit, actor_person) -> Award:
    """An award at level ``key`` for the package, announced as ``grant_awards`` does."""
    level = Level.objects.filter(campaign=submission.campaign, key=key).first()
    if level is None:  # a province's campaign stops at its own level; add the one above
        top = Level.objects.filter(campaign=submission.campaign).order_by("-order").first()
        level = Level.objects.create(
            campaign=submission.campaign,
            order=top.order + 1,
            key=key,
            name="部级遴选",
            unit_kind=unit.kind,
            deadline=top.deadline,
        )
    grade, _ = AwardGrade.objects.get_or_create(
        campaign=submission.campaign, level=level, name=f"{level.name}优课", defaults={"order": 0}
    )
    entry, _ = LevelEntry.objects.get_or_create(
        submission=submission, level=level, defaults={"unit": unit, "state": EntryState.PENDING}
    )
    award = Award.objects.create(entry=entry, grade=grade, level=level)
    award_granted.send(sender=Award, award_id=award.pk, actor=Actor(actor_person))
    return award


@pytest.fixture
def campaign(otol_campaign):  # noqa: F811
    return otol_campaign
