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
    # 三个课堂 (issue 12 item 11): per term, computed by ``classrooms.domain.indicators``.
    CLASSROOM_PERIODS = (
        "cls_periods_per_week",
        pgettext_lazy("measure", "主讲教室本学期平均每周开课课时数"),
    )
    CLASSROOM_HELD_RATE = "cls_held_rate", pgettext_lazy("measure", "已开课时占应开课时的比例")
    CLASSROOM_ATTENDANCE = (
        "cls_attendance_rate",
        pgettext_lazy("measure", "听讲课堂实到人数占应到人数的比例"),
    )
    CLASSROOM_NEW_SUBJECTS = (
        "cls_new_subjects",
        pgettext_lazy("measure", "听讲学校本学期新开齐的学校·学科数"),
    )
    CLASSROOM_DUTY = "cls_duty_rate", pgettext_lazy("measure", "完成本学期示范课任务的名师比例")
    CLASSROOM_SHARED = "cls_shared_courses", pgettext_lazy("measure", "本学期共享的网络课程数")


# Measures given as a percentage; the others are plain numbers (lessons per teacher).
PERCENT_MEASURES = frozenset(
    {
        Measure.PARTICIPATION,
        Measure.EXCELLENT_RATE,
        Measure.ON_TIME_RATE,
        Measure.REVIEW_COMPLETION,
        Measure.CLASSROOM_HELD_RATE,
        Measure.CLASSROOM_ATTENDANCE,
        Measure.CLASSROOM_DUTY,
    }
)

# Measures of a term of 三个课堂, not of a campaign: their targets are rows without a
# template or campaign, and they are computed by ``domain.classroom_source``.
TERM_MEASURES = frozenset(
    {
        Measure.CLASSROOM_PERIODS,
        Measure.CLASSROOM_HELD_RATE,
        Measure.CLASSROOM_ATTENDANCE,
        Measure.CLASSROOM_NEW_SUBJECTS,
        Measure.CLASSROOM_DUTY,
        Measure.CLASSROOM_SHARED,
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
