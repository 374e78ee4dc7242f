from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import TrainingEvent


class AwardGrade(models.Model):
    """An award grade of a level (R11), given by proportion or by count."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="award_grades"
    )
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="grades")
    name = models.CharField(_("奖项"), max_length=32)
    proportion = models.DecimalField(
        _("比例"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["campaign_id", "level__order", "order"]

    def __str__(self) -> str:
        return self.name

    @property
    def share_label(self) -> str:
        """How the grade is sized, as people write it: 10% or 30 名."""
        if self.proportion is not None:
            return f"{(self.proportion * 100).normalize():f}%"
        return gettext("%(n)s 名") % {"n": self.count} if self.count is not None else ""


class TrainingHourRule(models.Model):
    """Training-hour credit for an event (R12)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="training_hours"
    )
    event = models.CharField(_("事项"), max_length=32, choices=TrainingEvent.choices)
    hours = models.PositiveSmallIntegerField(_("学时"))

    class Meta:
        verbose_name = _("学时规则")
        verbose_name_plural = _("学时规则")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "event"], name="training_event_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.hours}"
