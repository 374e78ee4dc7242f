"""Choices of the monitoring app: what an indicator measures, its direction, the lights,
and the bulletin's states with their one allowed move."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Measure(models.TextChoices):
    """The definition of an indicator over youke's data (computed in ``domain.figures``)."""

    PARTICIPATION = "participation", pgettext_lazy("measure", "晒课教师占教师总数的比例")
    LESSONS_PER_TEACHER = "lessons_per_teacher", pgettext_lazy("measure", "人均晒课节数")
    EXCELLENT_RATE = "excellent_rate", pgettext_lazy("measure", "优课数占教师总数的比例")
    ON_TIME_RATE = "on_time_rate", pgettext_lazy("measure", "按时提交的作品占作品总数的比例")
    REVIEW_COMPLETION = (
        "review_completion",
        pgettext_lazy("measure", "已提交的评审占评审任务的比例"),
    )


# Measures given as a percentage; the others are plain numbers (lessons per teacher).
PERCENT_MEASURES = frozenset(
    {
        Measure.PARTICIPATION,
        Measure.EXCELLENT_RATE,
        Measure.ON_TIME_RATE,
        Measure.REVIEW_COMPLETION,
    }
)


class Direction(models.TextChoices):
    AT_LEAST = "at_least", pgettext_lazy("direction", "不低于")
    AT_MOST = "at_most", pgettext_lazy("direction", "不高于")


class Light(models.TextChoices):
    GREEN = "green", pgettext_lazy("light", "达标")
    AMBER = "amber", pgettext_lazy("light", "接近")
    RED = "red", pgettext_lazy("light", "未达标")
    NONE = "none", pgettext_lazy("light", "无数据")


class BulletinState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin state", "草稿")
    PUBLISHED = "published", pgettext_lazy("bulletin state", "已发布")


# A published bulletin is an immutable record: it never moves again.
BULLETIN_TRANSITIONS: dict[str, frozenset[str]] = {
    BulletinState.DRAFT: frozenset({BulletinState.PUBLISHED}),
    BulletinState.PUBLISHED: frozenset(),
}


class Frequency(models.TextChoices):
    """How often a scheduled bulletin is published: weekly during a campaign, else monthly."""

    WEEKLY = "weekly", pgettext_lazy("frequency", "每周")
    MONTHLY = "monthly", pgettext_lazy("frequency", "每月")
