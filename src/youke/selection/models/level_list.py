from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import ListState


class LevelList(models.Model):
    """One unit's recommendation list at one level; its row is the lock every decision takes."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="level_lists"
    )
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="lists")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=16, choices=ListState.choices, default=ListState.OPEN
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("推荐名单")
        verbose_name_plural = _("推荐名单")
        constraints = [models.UniqueConstraint(fields=["level", "unit"], name="list_level_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} @ {self.level_id}: {self.state}"
