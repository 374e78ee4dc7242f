from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.calendar_labels import WEEKDAY_CHOICES
from youke.classrooms.enums import GroupMode


class DeliveryGroup(models.Model):
    """专递课堂: one host school teaching receiving classrooms live for a term."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记单位")
    )
    term = models.ForeignKey("classrooms.Term", on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("名称"), max_length=100)
    mode = models.CharField(_("形式"), max_length=20, choices=GroupMode.choices)
    host_school = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主讲学校")
    )
    host_classroom = models.CharField(_("主讲教室"), max_length=64)
    subjects = models.JSONField(_("开设学科"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["term", "unit"])]

    def __str__(self) -> str:
        return self.name


class ReceivingClassroom(models.Model):
    """A class at a receiving school or teaching point, with its local assistant (双师)."""

    group = models.ForeignKey(DeliveryGroup, on_delete=models.CASCADE, related_name="classrooms")
    school = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("听讲学校")
    )
    name = models.CharField(_("班级"), max_length=64)
    assistant = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("本地辅助教师"),
    )
    students = models.PositiveSmallIntegerField(_("学生人数"), default=0)

    class Meta:
        ordering = ["group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "school", "name"], name="classrooms_receiving_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.name}"


class LocalPeriod(models.Model):
    """A period of the receiving class's own timetable; live periods may not overlap it."""

    classroom = models.ForeignKey(
        ReceivingClassroom, on_delete=models.CASCADE, related_name="local_periods"
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=WEEKDAY_CHOICES)  # 0 = Monday
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    subject = models.CharField(_("学科"), max_length=32)

    class Meta:
        ordering = ["weekday", "starts_at"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M} {self.subject}"
