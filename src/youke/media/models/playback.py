from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaybackPosition(models.Model):
    """Where one person stopped watching one video, so the player resumes there."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playback_positions"
    )
    asset = models.ForeignKey(
        "media.MediaAsset", on_delete=models.CASCADE, related_name="playback_positions"
    )
    seconds = models.DecimalField(_("播放位置（秒）"), max_digits=10, decimal_places=2)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("播放位置")
        verbose_name_plural = _("播放位置")
        constraints = [
            models.UniqueConstraint(fields=["person", "asset"], name="playback_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.asset_id}: {self.seconds}"
