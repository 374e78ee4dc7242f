from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadWindow(models.Model):
    """Dates during which nodes under ``nodes`` accept uploads (R9: per stage/grade)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="windows"
    )
    label = models.CharField(_("名称"), max_length=64)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("结束日期"))
    nodes = models.ManyToManyField(
        "catalog.CourseNode", verbose_name=_("适用节点"), related_name="+", blank=True
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("上传时间段")
        verbose_name_plural = _("上传时间段")
        ordering = ["campaign_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.opens_on:%m-%d}–{self.closes_on:%m-%d}"
