"""Per-entry and per-expert figures of a review round, kept current as scores are submitted.

They are derived data: ``selection.domain.review_summary`` is their only writer and can
rebuild them from the submitted assignments at any time.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryReviewSummary(models.Model):
    """What the results page, the ranking and the exports need of one entry of a round."""

    round = models.ForeignKey(
        "selection.ReviewRound", on_delete=models.CASCADE, related_name="entry_summaries"
    )
    entry = models.ForeignKey(
        "selection.LevelEntry", on_delete=models.CASCADE, related_name="review_summaries"
    )
    reviews = models.PositiveSmallIntegerField(_("评审数"), default=0)
    mean = models.FloatField(_("平均分"), null=True, blank=True)
    trimmed_mean = models.FloatField(_("去极值平均分"), null=True, blank=True)
    zscore = models.FloatField(_("标准分"), null=True, blank=True)
    low = models.PositiveSmallIntegerField(_("最低分"), null=True, blank=True)
    high = models.PositiveSmallIntegerField(_("最高分"), null=True, blank=True)
    spread = models.PositiveSmallIntegerField(_("分差"), null=True, blank=True)
    disagreement = models.BooleanField(_("分歧"), default=False)
    veto = models.BooleanField(_("一票否决"), default=False)
    # By the round's ranking method; null for entries without reviews and vetoed entries.
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        verbose_name = _("作品评审汇总")
        verbose_name_plural = _("作品评审汇总")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="entry_summary_unique")
        ]
        indexes = [
            # Serves the results page in rank order (ranked, unscored, vetoed).
            models.Index(fields=["round", "rank", "veto", "entry"], name="entry_summary_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.entry_id}"


class ExpertRoundStats(models.Model):
    """One expert's submitted totals in a round: the inputs of the z-scores and the
    leniency report."""

    round = models.ForeignKey(
        "selection.ReviewRound", on_delete=models.CASCADE, related_name="expert_stats"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(_("已评"), default=0)
    mean = models.FloatField(_("平均分"), null=True, blank=True)
    stdev = models.FloatField(_("标准差"), null=True, blank=True)
    # Mean of (this expert's total − the panel mean of the same entry): > 0 lenient.
    deviation = models.FloatField(_("与专家组平均的偏差"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评分统计")
        verbose_name_plural = _("专家评分统计")
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="expert_stats_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.expert_id}"


class RoundReviewTotals(models.Model):
    """The counts a results page shows above its table, kept with the summaries so a page
    does not aggregate every entry of the round on each request."""

    round = models.OneToOneField(
        "selection.ReviewRound", on_delete=models.CASCADE, related_name="review_totals"
    )
    entries = models.PositiveIntegerField(_("作品数"), default=0)
    ranked = models.PositiveIntegerField(_("已排名"), default=0)
    unscored = models.PositiveIntegerField(_("尚无评分"), default=0)
    incomplete = models.PositiveIntegerField(_("评审未完成"), default=0)
    flagged = models.PositiveIntegerField(_("有分歧"), default=0)
    veto = models.PositiveIntegerField(_("一票否决"), default=0)
    reviews = models.PositiveIntegerField(_("已提交评分"), default=0)

    class Meta:
        verbose_name = _("评审结果合计")
        verbose_name_plural = _("评审结果合计")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.entries}"
