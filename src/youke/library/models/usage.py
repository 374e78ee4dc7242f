"""A person's like and 1–5 rating of a library lesson (one each; the totals live on the lesson)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonLike(models.Model):
    lesson = models.ForeignKey("library.LibraryLesson", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "person"], name="library_like_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ♥ {self.lesson_id}"


class LessonRating(models.Model):
    lesson = models.ForeignKey("library.LibraryLesson", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("评分"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "person"], name="library_rating_unique"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="library_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.stars}"
