"""Seed a cluster's empty database with the people and the campaign the chain needs.

Run by ``Cluster.python`` as ``python -m tests.integration.seed`` against the cluster's
settings; prints one JSON line with the ids and user names the HTTP driver uses. Everything
after this is done by the processes, over HTTP, as the people would do it.
"""

from __future__ import annotations

import datetime
import json

import django

django.setup()

from django.utils import timezone  # noqa: E402

from tests.factories import PASSWORD, make_admin, make_person, make_unit  # noqa: E402
from youke.campaigns.domain.campaigns import set_campaign_state  # noqa: E402
from youke.campaigns.domain.templates import create_campaign_from_template  # noqa: E402
from youke.campaigns.models import (  # noqa: E402
    AwardGrade,
    Campaign,
    Level,
    MaterialRequirement,
    UploadWindow,
    VideoRule,
)
from youke.catalog.enums import NodeLevel  # noqa: E402
from youke.catalog.models import CourseNode  # noqa: E402
from youke.core.actor import Actor  # noqa: E402
from youke.orgs.enums import Role, UnitKind  # noqa: E402
from youke.orgs.models import ExpertProfile  # noqa: E402


def _catalog() -> tuple[CourseNode, CourseNode]:
    """小学 → 数学 → 人教版 → 四年级上册 → 第一单元 → one lesson; returns (stage, lesson)."""
    node = stage = CourseNode.add_root(code="C01", name="小学", level=NodeLevel.STAGE)
    for code, name, level in (
        ("C0102", "数学", NodeLevel.SUBJECT),
        ("C010201", "人教版", NodeLevel.EDITION),
        ("C01020104", "四年级上册", NodeLevel.VOLUME),
        ("C0102010401", "第一单元 大数的认识", NodeLevel.UNIT),
        ("C010201040101", "亿以内数的认识", NodeLevel.LESSON),
    ):
        node.refresh_from_db()
        node = node.add_child(code=code, name=name, level=level)
    return stage, node


def seed() -> dict:
    ministry = make_unit(None, UnitKind.MINISTRY, "教育部", code="100000")
    province = make_unit(ministry, UnitKind.PROVINCE, "示范省", code="990000")
    city = make_unit(province, UnitKind.CITY, "青山市", code="990100")
    county = make_unit(city, UnitKind.COUNTY, "东湖区", code="990101")
    school = make_unit(county, UnitKind.SCHOOL, "东湖区实验小学", code="9901010001")
    other_school = make_unit(county, UnitKind.SCHOOL, "东湖区第二小学", code="9901010002")
    province_admin = make_admin(province, username="prov", full_name="省管理员")
    make_admin(city, username="city", full_name="市管理员")
    make_admin(county, username="county", full_name="区管理员")
    make_admin(school, username="school", full_name="校管理员")
    make_admin(other_school, username="school2", full_name="二小管理员")
    make_person(school, Role.TEACHER, username="teacher", full_name="王老师")
    make_person(other_school, Role.TEACHER, username="teacher2", full_name="李老师")
    expert = make_person(city, Role.EXPERT, username="expert", full_name="赵专家")
    stage, lesson = _catalog()
    ExpertProfile.objects.create(person=expert).areas.set([stage])

    actor = Actor(province_admin)
    campaign = create_campaign_from_template(
        actor, province, "one_teacher_one_lesson", name="一师一优课（多进程）", year=2026
    )
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=300)
    )
    for index, level in enumerate(Level.objects.filter(campaign=campaign).order_by("order")):
        Level.objects.filter(pk=level.pk).update(
            deadline=now + datetime.timedelta(days=10 + 10 * index)
        )
    # Dated R9 windows and a 30-minute floor are the template's; the chain uses short videos.
    UploadWindow.objects.filter(campaign=campaign).delete()
    VideoRule.objects.filter(
        requirement__category__campaign=campaign, rule="min_duration_seconds"
    ).delete()
    campaign.refresh_from_db()
    set_campaign_state(campaign, "published", actor=actor)
    city_level = Level.objects.get(campaign=campaign, key="city")
    AwardGrade.objects.filter(campaign=campaign, level=city_level).delete()
    grade = AwardGrade.objects.create(
        campaign=campaign, level=city_level, name="市级一等奖", count=1
    )
    category = campaign.categories.get(code="showcase")
    requirements = {r.code: r.pk for r in MaterialRequirement.objects.filter(category=category)}
    return {
        "password": PASSWORD,
        "campaign": campaign.pk,
        "category": category.pk,
        "lesson": lesson.pk,
        "requirements": requirements,
        "levels": {lv.key: lv.pk for lv in Level.objects.filter(campaign=campaign)},
        "units": {"school": school.pk, "county": county.pk, "city": city.pk},
        "expert": expert.pk,
        "grade": grade.pk,
    }


if __name__ == "__main__":
    print(json.dumps(seed(), ensure_ascii=False))
