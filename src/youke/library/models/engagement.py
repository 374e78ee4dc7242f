"""A person's favourites and watch history of library lessons (private to that person)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonFavourite(models.Model):
    """我的收藏: one row per person and lesson; the count lives on the lesson."""

    lesson = models.ForeignKey("library.LibraryLesson", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("收藏时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收藏")
        verbose_name_plural = _("收藏")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "person"], name="library_favourite_unique")
        ]
        indexes = [models.Index(fields=["person", "-created_at", "-id"], name="library_fav_person")]

    def __str__(self) -> str:
        return f"{self.person_id} ☆ {self.lesson_id}"


class WatchHistory(models.Model):
    """Where a signed-in person stands with one lesson: last watched, time watched, position.

    ``seconds_watched`` only grows through ``domain.history.heartbeat``: each heartbeat adds
    at most the wall time since the previous one and at most the playing progress since it,
    and the total never exceeds ``duration_seconds`` (all the lesson's videos together).
    """

    lesson = models.ForeignKey("library.LibraryLesson", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_file = models.ForeignKey(
        "library.LibraryFile", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_position = models.FloatField(_("上次播放位置（秒）"), default=0)
    seconds_watched = models.PositiveIntegerField(_("累计观看（秒）"), default=0)
    duration_seconds = models.PositiveIntegerField(_("视频总时长（秒）"), default=0)
    last_watched_at = models.DateTimeField(_("最近观看"))
    # Sub-second credit carried to the next heartbeat, so short intervals are not rounded away.
    carry = models.FloatField(default=0)

    class Meta:
        verbose_name = _("观看记录")
        verbose_name_plural = _("观看记录")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "person"], name="library_history_unique")
        ]
        indexes = [
            models.Index(
                fields=["person", "-last_watched_at", "-id"], name="library_history_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ▶ {self.lesson_id}"

    @property
    def progress(self) -> int:
        """Share of the lesson watched, in percent (0–100)."""
        if not self.duration_seconds:
            return 0
        return min(100, round(self.seconds_watched * 100 / self.duration_seconds))
