from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.enums import LessonKind, LessonMode, LessonState, StudioRole
from youke.orgs.enums import TeacherTitle


class MasterTeacher(models.Model):
    """名师课堂 registry: a teacher holding a title that carries the semester duty."""

    person = models.OneToOneField("orgs.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("登记单位")
    )
    title = models.CharField(_("称号"), max_length=32, choices=TeacherTitle.choices)
    subject = models.CharField(_("学科"), max_length=32)
    is_active = models.BooleanField(default=True)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "id"]

    def __str__(self) -> str:
        return self.person.full_name


class Studio(models.Model):
    """名师工作室: a master teacher hosts members and trainees (培育对象)."""

    name = models.CharField(_("名称"), max_length=100)
    host = models.ForeignKey(MasterTeacher, on_delete=models.PROTECT, related_name="studios")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("学科"), max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class StudioMember(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=16, choices=StudioRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["studio", "person"], name="classrooms_studio_member")
        ]

    def __str__(self) -> str:
        return f"{self.studio_id}:{self.person_id}"


class DemoLesson(models.Model):
    """A demonstration or open lesson given by a master teacher, with online review."""

    master = models.ForeignKey(MasterTeacher, on_delete=models.PROTECT, related_name="lessons")
    studio = models.ForeignKey(
        Studio, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    # Teachers under this unit may register (the master's county or city).
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("课题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=LessonKind.choices)
    mode = models.CharField(_("方式"), max_length=16, choices=LessonMode.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    live_url = models.URLField(_("直播或回放链接"), max_length=500, blank=True)
    state = models.CharField(max_length=16, choices=LessonState.choices, default="scheduled")
    summary = models.TextField(_("主持人总结"), blank=True)
    summarised_at = models.DateTimeField(null=True, blank=True)
    # The replay uploaded by the master (``domain.replays``), watched by those who see the lesson.
    replay = models.ForeignKey(
        "media.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["master", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class LessonRegistration(models.Model):
    lesson = models.ForeignKey(DemoLesson, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "person"], name="classrooms_registration_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}:{self.person_id}"


class Evaluation(models.Model):
    """评课: one participant's structured comments against the observation form."""

    lesson = models.ForeignKey(DemoLesson, on_delete=models.CASCADE, related_name="evaluations")
    author = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    goals = models.TextField(_("教学目标"))
    process = models.TextField(_("教学过程"))
    engagement = models.TextField(_("学生参与"))
    technology = models.TextField(_("信息技术运用"))
    rating = models.PositiveSmallIntegerField(_("总体评价（1–5）"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "author"], name="classrooms_evaluation_once"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="classrooms_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}:{self.author_id}"


class DiscussionPost(models.Model):
    lesson = models.ForeignKey(DemoLesson, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:30]
