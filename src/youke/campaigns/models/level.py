from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import LevelKey
from youke.orgs.enums import UnitKind


class Level(models.Model):
    """One step of the level chain (R8); the first level's deadline is the teachers' one."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="levels"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    key = models.CharField(_("级别"), max_length=16, choices=LevelKey.choices)
    name = models.CharField(_("名称"), max_length=32)
    unit_kind = models.CharField(_("负责单位类型"), max_length=16, choices=UnitKind.choices)
    deadline = models.DateTimeField(_("截止时间"))
    has_trial_lecture = models.BooleanField(_("含试讲"), default=False)

    class Meta:
        verbose_name = _("遴选级别")
        verbose_name_plural = _("遴选级别")
        ordering = ["campaign_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="level_key_unique"),
            models.UniqueConstraint(fields=["campaign", "order"], name="level_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitDeadline(models.Model):
    """A lower unit's tighter internal deadline for its subtree (R8: never looser)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="unit_deadlines"
    )
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="unit_deadlines")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    deadline = models.DateTimeField(_("截止时间"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位内部截止时间")
        verbose_name_plural = _("单位内部截止时间")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "level", "unit"], name="unit_deadline_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.level} · {self.deadline:%Y-%m-%d %H:%M}"
