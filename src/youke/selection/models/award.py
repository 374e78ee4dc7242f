"""Awards (R11): a grade given to an entry after a review round, fed back to R4 node closing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Award(models.Model):
    """One grade given to one entry; revoking keeps the row and records why."""

    entry = models.ForeignKey(
        "selection.LevelEntry", on_delete=models.CASCADE, related_name="awards"
    )
    grade = models.ForeignKey("campaigns.AwardGrade", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="+")
    # The round whose ranking the award followed; null when given without a round.
    round = models.ForeignKey(
        "selection.ReviewRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    # The R4 record this award created; removed when the award is revoked.
    past_award = models.ForeignKey(
        "campaigns.PastAward", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Required when the grade differs from the ranking proposal.
    reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(_("授奖时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["level_id", "grade__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "level"],
                condition=models.Q(revoked_at__isnull=True),
                name="award_one_active_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.grade_id}"
