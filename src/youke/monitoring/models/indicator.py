"""The indicator registry (data, not code): what is measured and the target per unit type."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import TemplateKey
from youke.monitoring.enums import Direction, Measure
from youke.orgs.enums import AreaType, SchoolStage


class Indicator(models.Model):
    key = models.SlugField(_("标识"), max_length=32, unique=True)
    name = models.CharField(_("指标名称"), max_length=60)
    measure = models.CharField(_("计算口径"), max_length=24, choices=Measure.choices)
    direction = models.CharField(
        _("方向"), max_length=12, choices=Direction.choices, default=Direction.AT_LEAST
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("监测指标")
        verbose_name_plural = _("监测指标")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """A target value: for a campaign template by default, or for one campaign (which then
    replaces the template's rows); per area type (城区/县区) or for every unit (blank), and
    per school stage (学段, schools only) or for every stage (blank)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    template_key = models.CharField(
        _("活动模板"), max_length=32, choices=TemplateKey.choices, blank=True
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area_type = models.CharField(_("城区/县区"), max_length=8, choices=AreaType.choices, blank=True)
    stage = models.CharField(_("学段"), max_length=12, choices=SchoolStage.choices, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=8, decimal_places=2)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")
        ordering = ["indicator__order", "area_type", "stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "template_key", "area_type", "stage"],
                condition=models.Q(campaign__isnull=True),
                name="target_template_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "campaign", "area_type", "stage"],
                condition=models.Q(campaign__isnull=False),
                name="target_campaign_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_type or '*'}/{self.stage or '*'} {self.value}"
