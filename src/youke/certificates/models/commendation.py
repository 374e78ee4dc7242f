"""Units commended for their organisation work in a campaign (优秀组织单位 and the like)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Commendation(models.Model):
    """An admin of a level's unit commends a unit below it; its certificate is issued from
    the issuer's unit-certificate template for the level."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="+")
    # The commending unit (the level's selecting unit); its admins and above manage it.
    issuer = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("表彰单位")
    )
    title = models.CharField(_("称号"), max_length=40)
    reason = models.CharField(_("表彰理由"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("表彰时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位表彰")
        verbose_name_plural = _("单位表彰")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "unit", "title"], name="cert_commendation_once_per_title"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.title}"
