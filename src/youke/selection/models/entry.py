from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import EntryState


class LevelEntry(models.Model):
    """A submission's place at one level, decided by ``unit`` (the level's unit kind)."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="level_entries"
    )
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="level_entries")
    state = models.CharField(
        _("状态"), max_length=16, choices=EntryState.choices, default=EntryState.PENDING
    )
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    # Why R5/R6 or a passed deadline was overridden for the last decision (empty: none).
    override_reason = models.CharField(_("特批理由"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("进入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("级别推荐记录")
        verbose_name_plural = _("级别推荐记录")
        ordering = ["level__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "level"], name="entry_one_per_level")
        ]
        indexes = [models.Index(fields=["level", "unit", "state"], name="entry_level_unit_state")]

    def __str__(self) -> str:
        return f"{self.submission_id} @ {self.level_id}: {self.state}"
