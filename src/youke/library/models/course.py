"""A library course: a shared network course (名校网络课堂, R17) as a public record whose
ordered items are library lessons."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.library.enums import LessonState


class LibraryCourse(models.Model):
    """Copied from the network course when both departments passed it; later edits of the
    plan do not touch it until the course is shared again."""

    network_course = models.OneToOneField(
        "classrooms.NetworkCourse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_course",
    )
    # The bureau that registered the pilot school and whose departments passed the course.
    publishing_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school_name = models.CharField(_("学校"), max_length=100, blank=True)
    title = models.CharField(_("课程名称"), max_length=200)
    subject = models.CharField(_("学科"), max_length=32)
    grade = models.CharField(_("年级"), max_length=32)
    node_trail = models.CharField(_("课程目录"), max_length=500, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=LessonState.choices, default=LessonState.PUBLISHED
    )
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublished_at = models.DateTimeField(_("下架时间"), null=True, blank=True)
    unpublish_reason = models.CharField(_("下架理由"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("资源库课程")
        verbose_name_plural = _("资源库课程")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["state", "-published_at"], name="library_course_newest")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == LessonState.PUBLISHED
