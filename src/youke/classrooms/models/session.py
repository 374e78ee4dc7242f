import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassSession(models.Model):
    """One occurrence of a period: its own times, the host's start/end marks, cancellation."""

    period = models.ForeignKey(
        "classrooms.Period", on_delete=models.CASCADE, related_name="sessions"
    )
    group = models.ForeignKey(
        "classrooms.DeliveryGroup", on_delete=models.CASCADE, related_name="sessions"
    )
    host_teacher = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    # An extra session (补课) was added by hand, e.g. to make up a cancelled one.
    extra = models.BooleanField(default=False)
    extra_reason = models.CharField(_("补课说明"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("实际开始"), null=True, blank=True)
    ended_at = models.DateTimeField(_("实际结束"), null=True, blank=True)
    # A substitution (代课) moves the session to another host teacher; the original is kept.
    substituted_for = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    substitute_reason = models.CharField(_("代课原因"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # The replay: a finished resumable upload claimed by ``domain.replays`` (its MediaAsset
    # holds the probe, poster, rendition and HLS ladder); watched under the period's
    # view permission.
    replay = models.ForeignKey(
        "media.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "date"],
                condition=models.Q(extra=False),
                name="classrooms_session_once_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["host_teacher", "starts_at"]),
            models.Index(fields=["group", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.period}"


class Attendance(models.Model):
    """Attendance and learning data of one receiving classroom in one session."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    classroom = models.ForeignKey(
        "classrooms.ReceivingClassroom", on_delete=models.CASCADE, related_name="attendance"
    )
    expected = models.PositiveSmallIntegerField(_("应到人数"))
    present = models.PositiveSmallIntegerField(_("实到人数"))
    exercises_done = models.PositiveSmallIntegerField(_("完成练习人数"), null=True, blank=True)
    questions = models.CharField(_("学生提问"), max_length=500, blank=True)
    notes = models.CharField(_("本地教师备注"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "classroom"], name="classrooms_attendance_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(present__lte=models.F("expected")),
                name="classrooms_attendance_present_le_expected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.classroom_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of an .ics feed: a teacher's or a receiving classroom's timetable."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    person = models.OneToOneField(
        "orgs.Person", on_delete=models.CASCADE, null=True, related_name="+"
    )
    classroom = models.OneToOneField(
        "classrooms.ReceivingClassroom", on_delete=models.CASCADE, null=True, related_name="feed"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "feed"
