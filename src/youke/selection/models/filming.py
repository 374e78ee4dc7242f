from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import FilmingState


class FilmingRequest(models.Model):
    """Design first, filming later: a screened entry asks its teacher for the video(s).

    Created when the entry passes screening at a level with trial lectures in a campaign
    whose video is due after screening; the level above cannot receive the entry until the
    teacher has delivered. ``domain.filming`` is the only writer of ``state``.
    """

    entry = models.OneToOneField(
        "selection.LevelEntry", on_delete=models.CASCADE, related_name="filming"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=FilmingState.choices, default=FilmingState.REQUESTED
    )
    due_at = models.DateTimeField(_("视频提交截止时间"))
    requested_at = models.DateTimeField(_("通知时间"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(_("视频提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("拍摄通知")
        verbose_name_plural = _("拍摄通知")
        indexes = [models.Index(fields=["state", "due_at"], name="filming_state_due")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.state}"
