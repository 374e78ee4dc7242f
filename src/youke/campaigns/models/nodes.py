from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import AwardLevel


class NodeClosure(models.Model):
    """An admin closed a catalog node (and its subtree) for one campaign."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="closures"
    )
    node = models.ForeignKey("catalog.CourseNode", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("关闭原因"), max_length=200)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("关闭时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节点关闭")
        verbose_name_plural = _("节点关闭")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "node"], name="node_closure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node} · {self.reason}"


class PastAward(models.Model):
    """An award from an earlier year or another system; R4 counts these per node."""

    node = models.ForeignKey(
        "catalog.CourseNode", verbose_name=_("课程节点"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("获奖级别"), max_length=16, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("课题"), max_length=200)
    teacher_name = models.CharField(_("教师"), max_length=64, blank=True)
    unit_name = models.CharField(_("单位"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("往年获奖课例")
        verbose_name_plural = _("往年获奖课例")
        constraints = [
            # Importing the same file twice must not double-count toward R4.
            models.UniqueConstraint(
                fields=["node", "level", "year", "title", "teacher_name"],
                name="past_award_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_level_display()} {self.title}"
