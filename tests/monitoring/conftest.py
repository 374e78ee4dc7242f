"""A hand-built tree with known figures for the 一师一优课 campaign of the province fixture.

东湖区 (城区): 实验小学 with 4 teachers (one also its admin, one holding two teacher roles,
living at the teaching point), an empty school; 西岭县 (县区): 第一中学 with 3 teachers.
Counts are chosen so every indicator has a known value and light.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.factories import make_person, make_unit
from tests.selection.conftest import lessons, otol_campaign  # noqa: F401  (fixtures)
from youke.campaigns.models import AwardGrade, Campaign, Level
from youke.monitoring.domain.figures import refresh_campaign
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit
from youke.selection.enums import EntryState
from youke.selection.models import Award, LevelEntry
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission


@dataclass
class Tree:
    campaign: Campaign
    empty_school: Unit
    urban_teachers: list[Person]
    county_teachers: list[Person]
    nodes: list


def package(campaign, teacher, node, *, state=SubmissionState.SUBMITTED, late=False, award=False):
    deadline = Level.objects.filter(campaign=campaign).order_by("order").first().deadline
    sub = Submission.objects.create(
        campaign=campaign,
        category=campaign.categories.order_by("order", "id").first(),
        node=node,
        teacher=teacher,
        unit=teacher.unit,
        title=f"{teacher.full_name}的课",
        state=state,
        submitted_at=deadline + datetime.timedelta(days=1 if late else -1),
    )
    if award:
        level = Level.objects.filter(campaign=campaign).order_by("order").first()
        grade, _ = AwardGrade.objects.get_or_create(
            campaign=campaign, level=level, name="优课", defaults={"order": 0}
        )
        entry = LevelEntry.objects.create(
            submission=sub, level=level, unit=teacher.unit, state=EntryState.RECOMMENDED
        )
        Award.objects.create(entry=entry, grade=grade, level=level)
    return sub


@pytest.fixture
def tree(province, otol_campaign, lessons) -> Tree:  # noqa: F811
    p = province
    empty_school = make_unit(p.county_a, UnitKind.SCHOOL, "东湖区空白学校", code="9901010099")
    both = make_person(p.school_a, Role.TEACHER, Role.UNIT_ADMIN, full_name="兼任管理员的老师")
    twice = make_person(p.point_a, Role.TEACHER, full_name="两处任教的老师")
    RoleGrant.objects.create(person=twice, unit=p.school_a, role=Role.TEACHER)
    idle = make_person(p.school_a, Role.TEACHER, full_name="未晒课的老师")
    make_person(p.school_a, Role.TEACHER, full_name="已停用的老师", is_active=False)
    c1 = make_person(p.school_b, Role.TEACHER, full_name="县里的老师甲")
    c2 = make_person(p.school_b, Role.TEACHER, Role.EXPERT, full_name="县里的老师乙")
    urban = [p.teacher_a, both, twice, idle]
    county = [p.teacher_b, c1, c2]
    n = iter(lessons)
    camp = otol_campaign
    # 城区: 3 of 4 showcased, 5 lessons (1 late), 2 excellent; a draft counts for nothing.
    package(camp, p.teacher_a, next(n), award=True)
    package(camp, p.teacher_a, next(n))
    package(camp, both, next(n), award=True)
    package(camp, twice, next(n))
    package(camp, twice, next(n), late=True)
    package(camp, idle, next(n), state=SubmissionState.DRAFT)
    # 县区: 3 of 3 showcased, 6 lessons, 1 excellent.
    for teacher in county:
        package(camp, teacher, next(n))
        package(camp, teacher, next(n), award=teacher is c1)
    refresh_campaign(camp)
    return Tree(camp, empty_school, urban, county, lessons)


def now():
    return timezone.now()
