"""Awards at the city level of the province fixture, ready to publish into the library."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.selection.conftest import catalog, lessons, level  # noqa: F401  (fixtures)
from tests.selection.test_proposal import city_entry
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.campaigns.models import AwardGrade
from youke.core.actor import Actor
from youke.library.domain import consent, publishing
from youke.library.domain.queries import Filters
from youke.library.enums import LessonState
from youke.library.models import LibraryLesson
from youke.orgs.models import Unit
from youke.selection.models import Award


@pytest.fixture
def grade(campaign):  # noqa: F811
    return AwardGrade.objects.create(
        campaign=campaign, level=level(campaign, "city"), name="一等奖"
    )


def award_for(campaign, teacher, node, title, grade, description=""):  # noqa: F811
    entry = city_entry(campaign, teacher, node, title)
    if description:
        entry.submission.description = description
        entry.submission.save(update_fields=["description"])
    return Award.objects.create(entry=entry, grade=grade, level=entry.level)


@pytest.fixture
def awarded(province, campaign, lessons, grade):  # noqa: F811
    return [
        award_for(
            campaign,
            province.teacher_a,
            lessons[0],
            "圆周率的认识",
            grade,
            "通过测量探究圆的周长与直径的关系",
        ),
        award_for(
            campaign,
            province.teacher_b,
            lessons[1],
            "圆的面积",
            grade,
            "把圆剪拼成近似长方形推导面积公式",
        ),
    ]


def consent_to(award, show_author=True):
    submission = award.entry.submission
    return consent.accept(Actor(submission.teacher), submission, show_author=show_author)


def publish(province, award) -> LibraryLesson:
    consent_to(award)
    award.refresh_from_db()
    return publishing.publish_award(Actor(province.city_admin), award)


def make_lesson(
    node, title, *, description="", views=0, year=2026, unit=None, **extra
) -> LibraryLesson:
    """A published library lesson straight in the table (search and counters need no award)."""
    columns = publishing.node_columns(node)
    return LibraryLesson.objects.create(
        title=title,
        description=description,
        category_name="课堂实录",
        year=year,
        publishing_unit=unit or Unit.objects.order_by("path").first(),
        state=LessonState.PUBLISHED,
        published_at=timezone.now(),
        views=views,
        **columns,
        **publishing.search_columns(title, description, columns["node_trail"], "课堂实录", "", ""),
        **extra,
    )


NO_FILTERS = Filters()
