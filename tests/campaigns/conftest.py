"""A small catalog (primary grades 1 and 4, junior) and campaigns run by the city."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import Campaign
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor

YEAR = 2026


def add(parent: CourseNode | None, code: str, name: str, level: str) -> CourseNode:
    if parent is None:
        return CourseNode.add_root(code=code, name=name, level=level)
    parent.refresh_from_db()
    return parent.add_child(code=code, name=name, level=level)


@dataclass
class Catalog:
    primary: CourseNode
    grade1: CourseNode
    grade4: CourseNode
    lesson1: CourseNode  # under 一年级上册
    lesson4: CourseNode  # under 四年级上册
    lesson4b: CourseNode
    period4: CourseNode  # 课时 of lesson4
    junior: CourseNode
    lesson7: CourseNode


@pytest.fixture
def catalog(db) -> Catalog:
    primary = add(None, "C01", "小学", NodeLevel.STAGE)
    math = add(primary, "C0102", "数学", NodeLevel.SUBJECT)
    edition = add(math, "C010201", "人教版", NodeLevel.EDITION)
    grade1 = add(edition, "C01020101", "一年级上册", NodeLevel.VOLUME)
    unit1 = add(grade1, "C0102010101", "第一单元 准备课", NodeLevel.UNIT)
    lesson1 = add(unit1, "C010201010101", "数一数", NodeLevel.LESSON)
    grade4 = add(edition, "C01020104", "四年级上册", NodeLevel.VOLUME)
    unit4 = add(grade4, "C0102010401", "第一单元 大数的认识", NodeLevel.UNIT)
    lesson4 = add(unit4, "C010201040101", "亿以内数的认识", NodeLevel.LESSON)
    lesson4b = add(unit4, "C010201040102", "亿以内数的读法", NodeLevel.LESSON)
    period4 = add(lesson4, "C01020104010101", "第1课时", NodeLevel.PERIOD)
    junior = add(None, "C02", "初中", NodeLevel.STAGE)
    physics = add(junior, "C0208", "物理", NodeLevel.SUBJECT)
    ed7 = add(physics, "C020801", "人教版", NodeLevel.EDITION)
    vol7 = add(ed7, "C02080101", "八年级上册", NodeLevel.VOLUME)
    unit7 = add(vol7, "C0208010101", "第一章 机械运动", NodeLevel.UNIT)
    lesson7 = add(unit7, "C020801010101", "长度和时间的测量", NodeLevel.LESSON)
    return Catalog(
        primary=primary,
        grade1=grade1,
        grade4=grade4,
        lesson1=CourseNode.objects.get(pk=lesson1.pk),
        lesson4=CourseNode.objects.get(pk=lesson4.pk),
        lesson4b=CourseNode.objects.get(pk=lesson4b.pk),
        period4=CourseNode.objects.get(pk=period4.pk),
        junior=junior,
        lesson7=CourseNode.objects.get(pk=lesson7.pk),
    )


@pytest.fixture
def quality(province, catalog) -> Campaign:
    """精品课 run by the province (levels school → … → province, publicity)."""
    return create_campaign_from_template(
        Actor(province.province_admin), province.province, "quality_course", name="", year=YEAR
    )


@pytest.fixture
def showcase(province, catalog) -> Campaign:
    """一师一优课 run by the city (levels school → county → city, publicity)."""
    return create_campaign_from_template(
        Actor(province.city_admin),
        province.city,
        "one_teacher_one_lesson",
        name="2026年青山市一师一优课",
        year=YEAR,
    )
