from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import QuotaBasis


class Quota(models.Model):
    """How many entries ``unit`` may recommend at ``level`` (R7), per category or overall."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    # Null: the quota counts every category together.
    category = models.ForeignKey(
        "campaigns.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    allowed = models.PositiveIntegerField(_("名额"))
    basis = models.CharField(
        _("分配方式"), max_length=16, choices=QuotaBasis.choices, default=QuotaBasis.HAND
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("分配时间"), auto_now=True)

    class Meta:
        verbose_name = _("名额")
        verbose_name_plural = _("名额")
        constraints = [
            # Two constraints: NULL categories are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["campaign", "level", "unit", "category"], name="quota_unique_category"
            ),
            models.UniqueConstraint(
                fields=["campaign", "level", "unit"],
                condition=models.Q(category__isnull=True),
                name="quota_unique_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} @ {self.level_id}: {self.allowed}"
