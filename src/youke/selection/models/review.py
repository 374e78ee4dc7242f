"""Expert review rounds: who reviews which entry, their scores (R3b) and veto marks (R15)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import AssignmentState, RankingMethod, RoundState


class ReviewRound(models.Model):
    """One unit's expert review of its entries at one level; its settings are data."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(
        "campaigns.Level", on_delete=models.CASCADE, related_name="review_rounds"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("评审轮次名称"), max_length=100)
    reviews_per_entry = models.PositiveSmallIntegerField(_("每件作品评审专家数"), default=3)
    deadline = models.DateTimeField(_("评审截止时间"))
    blind = models.BooleanField(_("匿名评审（隐藏作者和单位）"), default=True)
    show_other_scores = models.BooleanField(_("提交后可见其他专家评分"), default=False)
    exclude_same_county = models.BooleanField(_("回避本县(区)作品"), default=False)
    exclude_same_city = models.BooleanField(_("回避本市作品"), default=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=RoundState.choices, default=RoundState.DRAFT
    )
    ranking_method = models.CharField(
        _("排名依据"), max_length=16, choices=RankingMethod.choices, default=RankingMethod.MEAN
    )
    disagreement_threshold = models.PositiveSmallIntegerField(_("分歧提示阈值（分）"), default=15)
    # A round by subject reviews only the entries whose lesson lies under this catalog node.
    node_scope = models.ForeignKey(
        "catalog.CourseNode",
        verbose_name=_("学段学科范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Fixed when the round opens, so late recommendations do not slip into a running review.
    entries = models.ManyToManyField("selection.LevelEntry", related_name="review_rounds")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审轮次")
        verbose_name_plural = _("评审轮次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class RoundExpert(models.Model):
    """An expert on a round's panel, with the most entries they may be given."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    max_load = models.PositiveSmallIntegerField(_("评审上限"), default=20)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="round_expert_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.expert_id}"


class Assignment(models.Model):
    """One expert's review of one entry; scores, comment and veto belong to it."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(
        "selection.LevelEntry", on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED
    )
    total = models.PositiveSmallIntegerField(_("总分"), null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True, max_length=2000)
    veto = models.BooleanField(_("一票否决"), default=False)
    veto_reason = models.CharField(_("否决理由"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ["round_id", "entry_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry", "expert"], name="assignment_unique_expert"
            )
        ]
        indexes = [models.Index(fields=["expert", "state"], name="assignment_expert_state")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.entry_id} → {self.expert_id}"


class Score(models.Model):
    """Points for one rubric criterion; a veto criterion stores 1 when the item is violated."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("得分"))

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.criterion_id}: {self.points}"


class Conflict(models.Model):
    """A declared conflict of interest: the expert never reviews the entry or the unit's entries.

    A null ``round`` applies to every round.
    """

    round = models.ForeignKey(
        ReviewRound, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "selection.LevelEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("回避理由"), max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False) | models.Q(unit__isnull=False),
                name="conflict_entry_or_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert_id}: {self.entry_id or self.unit_id}"


class ChecklistConfirmation(models.Model):
    """An expert's answer to one checklist item (R3: opening title, camera positions…) for
    the entry of an assignment; saved with the scores, required before they are submitted."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="checklist_confirmations"
    )
    item = models.ForeignKey(
        "campaigns.ChecklistItem", on_delete=models.CASCADE, related_name="confirmations"
    )
    confirmed = models.BooleanField(_("符合"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("人工检查确认")
        verbose_name_plural = _("人工检查确认")
        ordering = ["assignment_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="checklist_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.item_id}: {self.confirmed}"
