"""The default indicator set, written on first use (not by a migration, so a fresh install
stays empty for ``youke restore``): R10's three targets for 一师一优课 (seed 003) and the
on-time rate for both templates. Rows are data: admins change a campaign's targets on the
page; the defaults are only added where missing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from youke.campaigns.enums import TemplateKey
from youke.monitoring.enums import Measure
from youke.monitoring.models import Indicator, IndicatorTarget
from youke.orgs.enums import AreaType

ONE_LESSON = TemplateKey.ONE_TEACHER_ONE_LESSON
QUALITY = TemplateKey.QUALITY_COURSE

DEFAULT_INDICATORS = [
    # key, name, measure, description (the definition, shown on the registry page)
    ("participation", "晒课教师比例", Measure.PARTICIPATION, "已提交作品的教师数 ÷ 教师总数"),
    ("lessons_per_teacher", "人均晒课节数", Measure.LESSONS_PER_TEACHER, "已提交作品数 ÷ 教师总数"),
    ("excellent_rate", "优课比例", Measure.EXCELLENT_RATE, "获奖（未撤销）作品数 ÷ 教师总数"),
    (
        "on_time_rate",
        "按时提交率",
        Measure.ON_TIME_RATE,
        "在教师截止时间前提交的作品数 ÷ 已提交作品数",
    ),
    (
        "review_completion",
        "评审完成率",
        Measure.REVIEW_COMPLETION,
        "专家已提交的评审数 ÷ 分配的评审任务数",
    ),
]
DEFAULT_TARGETS = [
    # indicator, template, area type ("" = every unit), value
    ("participation", ONE_LESSON, "", Decimal(90)),
    ("lessons_per_teacher", ONE_LESSON, "", Decimal(2)),
    ("excellent_rate", ONE_LESSON, AreaType.URBAN, Decimal(40)),
    ("excellent_rate", ONE_LESSON, AreaType.COUNTY, Decimal(30)),
    ("on_time_rate", ONE_LESSON, "", Decimal(95)),
    ("on_time_rate", QUALITY, "", Decimal(95)),
    ("review_completion", ONE_LESSON, "", Decimal(100)),
    ("review_completion", QUALITY, "", Decimal(100)),
]


def ensure_defaults() -> None:
    if Indicator.objects.filter(key__in=[row[0] for row in DEFAULT_INDICATORS]).count() == len(
        DEFAULT_INDICATORS
    ):
        return
    with transaction.atomic():
        made = {}
        for order, (key, name, measure, description) in enumerate(DEFAULT_INDICATORS, start=1):
            made[key], _ = Indicator.objects.get_or_create(
                key=key,
                defaults={
                    "name": name,
                    "measure": measure,
                    "description": description,
                    "order": order,
                },
            )
        for key, template, area, value in DEFAULT_TARGETS:
            IndicatorTarget.objects.get_or_create(
                indicator=made[key],
                template_key=template,
                campaign=None,
                area_type=area,
                defaults={"value": value},
            )
