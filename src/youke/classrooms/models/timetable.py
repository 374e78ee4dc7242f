from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.calendar_labels import WEEKDAY_CHOICES
from youke.classrooms.enums import ViewPermission


class Period(models.Model):
    """A recurring live period of a group: subject, host teacher, time and an RRULE."""

    group = models.ForeignKey(
        "classrooms.DeliveryGroup", on_delete=models.CASCADE, related_name="periods"
    )
    subject = models.CharField(_("学科"), max_length=32)
    host_teacher = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("主讲教师")
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=WEEKDAY_CHOICES)  # 0 = Monday
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    # iCalendar RRULE without DTSTART/UNTIL (the term gives both), e.g. FREQ=WEEKLY;INTERVAL=2.
    rrule = models.CharField(_("重复规则"), max_length=200, default="FREQ=WEEKLY")
    live_url = models.URLField(_("直播链接"), max_length=500, blank=True)
    view_permission = models.CharField(
        _("观看权限"),
        max_length=16,
        choices=ViewPermission.choices,
        default=ViewPermission.LOGIN,
    )
    view_password = models.CharField(_("观看密码"), max_length=128, blank=True)  # hashed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "starts_at", "id"]
        indexes = [models.Index(fields=["host_teacher", "weekday"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.starts_at:%H:%M}"
