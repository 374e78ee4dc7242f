"""Maintained aggregates: per campaign and unit, the counts of the unit's whole subtree.

Written only by ``domain.figures`` (full refresh on a schedule, deltas on the submitted and
award signals); the dashboard, the API and bulletins read them, never the raw tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitFigure(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    # Copied from the unit so children are read by one indexed range on (campaign, path).
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField()
    teachers = models.PositiveIntegerField(default=0)
    # Teachers by the area type of their unit, so a mixed unit's target is their weighted mean.
    teachers_urban = models.PositiveIntegerField(default=0)
    teachers_county = models.PositiveIntegerField(default=0)
    showcased = models.PositiveIntegerField(default=0)
    lessons = models.PositiveIntegerField(default=0)
    excellent = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    # Expert reviews of the subtree's packages: assigned in all, and submitted.
    reviews = models.PositiveIntegerField(default=0)
    reviews_done = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("数据时间"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="unit_figure_unique")
        ]
        indexes = [models.Index(fields=["campaign", "path"], name="unit_figure_path")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}"


class SubjectFigure(models.Model):
    """Submitted lessons of a unit's subtree per 学段 × 学科 (catalog depth 1 and 2)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("catalog.CourseNode", on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(
        "catalog.CourseNode", null=True, on_delete=models.CASCADE, related_name="+"
    )
    lessons = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "stage", "subject"], name="subject_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}/{self.subject_id}: {self.lessons}"


class FigureHistory(models.Model):
    """One row per day for region units (省/市/县): the progress-over-time chart."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    teachers = models.PositiveIntegerField(default=0)
    showcased = models.PositiveIntegerField(default=0)
    lessons = models.PositiveIntegerField(default=0)
    excellent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "day"], name="figure_history_day")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}@{self.day}"
