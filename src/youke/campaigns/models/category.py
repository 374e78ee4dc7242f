from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import CriterionGroup, LevelKey, MaterialKind, Severity, VideoRuleKey


class Category(models.Model):
    """A category of a campaign (学科课程, 实验教学, 晒课 …): data, never an enum (R1a)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("类别名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    is_micro_lesson = models.BooleanField(_("微课"), default=True)
    max_periods = models.PositiveSmallIntegerField(_("最多课时数"), default=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("类别")
        verbose_name_plural = _("类别")
        ordering = ["campaign_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MaterialRequirement(models.Model):
    """One material of a category's package, with its file rules."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("材料名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=MaterialKind.choices)
    required = models.BooleanField(_("必交"), default=True)
    # R2: optional for showcasing, required once an entry goes to this level or above.
    required_from_level = models.CharField(
        _("自该级别起必交"), max_length=16, choices=LevelKey.choices, blank=True
    )
    per_period = models.BooleanField(_("每课时一份"), default=False)
    # Seed 003: "所用课件及相关资源（或资源链接）": a document may be given as a web link.
    accepts_link = models.BooleanField(
        _("可提交资源链接"),
        default=False,
        help_text=_("勾选后，教师可以填写资源链接（标题和网址）代替或补充上传文件。"),
    )
    allowed_extensions = models.CharField(_("允许的文件类型"), max_length=100)
    max_bytes = models.BigIntegerField(_("大小上限（字节）"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("材料要求")
        verbose_name_plural = _("材料要求")
        ordering = ["category_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="material_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def extensions(self) -> list[str]:
        return [e.strip().lower() for e in self.allowed_extensions.split(",") if e.strip()]


class VideoRule(models.Model):
    """A measurable video rule (R3/R3a); ``severity`` says whether failing blocks or warns."""

    requirement = models.ForeignKey(
        MaterialRequirement, on_delete=models.CASCADE, related_name="video_rules"
    )
    rule = models.CharField(_("规则"), max_length=32, choices=VideoRuleKey.choices)
    value = models.CharField(_("要求值"), max_length=32)
    severity = models.CharField(_("不符合时"), max_length=8, choices=Severity.choices)
    # Below the floor a video is refused even when missing the target only warns (dimensions
    # and video bitrate): between floor and target it warns.
    floor = models.CharField(_("最低要求（低于即不通过）"), max_length=32, blank=True)
    # A catalog stage (学段) root: the rule applies to packages under that stage and replaces
    # the same rule without a stage there (R3a: 10–15 min primary, 15–20 min secondary).
    stage = models.ForeignKey(
        "catalog.CourseNode",
        verbose_name=_("适用学段"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("视频规则")
        verbose_name_plural = _("视频规则")
        ordering = ["requirement_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "rule"],
                condition=models.Q(stage__isnull=True),
                name="video_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["requirement", "rule", "stage"],
                condition=models.Q(stage__isnull=False),
                name="video_rule_stage_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.stage_id:
            return f"{self.get_rule_display()} {self.value} ({self.stage.name})"
        return f"{self.get_rule_display()} {self.value}"


def rules_for_stage(rules, stage_id: int | None) -> list[VideoRule]:
    """The rules a package under ``stage_id`` is checked by: a rule set for that stage replaces
    the same rule set for all stages; rules for other stages do not apply."""
    rules = list(rules)
    staged = {r.rule for r in rules if stage_id is not None and r.stage_id == stage_id}
    return [
        r
        for r in rules
        if (r.stage_id is None and r.rule not in staged)
        or (stage_id is not None and r.stage_id == stage_id)
    ]


class ChecklistItem(models.Model):
    """A rule no machine can measure (opening title, camera positions): reviewers confirm it."""

    requirement = models.ForeignKey(
        MaterialRequirement, on_delete=models.CASCADE, related_name="checklist"
    )
    text = models.CharField(_("检查项"), max_length=200)

    class Meta:
        verbose_name = _("人工检查项")
        verbose_name_plural = _("人工检查项")
        ordering = ["requirement_id", "id"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """A rubric indicator (R3b); veto items (R15) carry 0 points and ``is_veto``."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("一级指标"), max_length=16, choices=CriterionGroup.choices)
    name = models.CharField(_("评价指标"), max_length=100)
    points = models.PositiveSmallIntegerField(_("分值"), default=0)
    is_veto = models.BooleanField(_("一票否决"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["category_id", "order", "id"]

    def __str__(self) -> str:
        return self.name
