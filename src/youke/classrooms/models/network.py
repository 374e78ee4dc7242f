from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.enums import CourseState, Department, PilotKind, Verdict


class PilotSchool(models.Model):
    """名校网络课堂 pilot (试点校) or experimental (实验校) school, registered by a bureau."""

    school = models.OneToOneField("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=PilotKind.choices)
    registered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.school.name


class NetworkCourse(models.Model):
    """A recorded network course of ordered lessons; shared only after both reviews pass."""

    pilot = models.ForeignKey(PilotSchool, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("课程名称"), max_length=200)
    subject = models.CharField(_("学科"), max_length=32)
    grade = models.CharField(_("年级"), max_length=32)
    state = models.CharField(max_length=16, choices=CourseState.choices, default="draft")
    # Each submission for review opens a new round; decisions belong to one round.
    review_round = models.PositiveSmallIntegerField(default=0)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class PlannedLesson(models.Model):
    """The recording plan: the course's lessons in order, each with teacher and date."""

    course = models.ForeignKey(NetworkCourse, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("课题"), max_length=200)
    teacher = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("计划录制日期"))
    recording_url = models.URLField(_("录像地址"), max_length=500, blank=True)
    # The uploaded video (resumable upload, purpose ``classroom_replay``; domain.replays).
    recording = models.ForeignKey(
        "media.Upload", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="classrooms_lesson_order")
        ]

    def __str__(self) -> str:
        return self.title


class CourseReview(models.Model):
    """One department's decision on one review round of a course."""

    course = models.ForeignKey(NetworkCourse, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    department = models.CharField(max_length=16, choices=Department.choices)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    comment = models.TextField(_("意见"), blank=True)
    reviewer = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "round", "department"], name="classrooms_review_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.round} {self.department} {self.verdict}"
