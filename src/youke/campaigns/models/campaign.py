from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import AwardLevel, CampaignState, TemplateKey, VideoDue

GIB = 1024**3


class Campaign(models.Model):
    """A selection activity run by ``owner_unit`` for its whole subtree (遴选活动)."""

    name = models.CharField(_("活动名称"), max_length=100)
    template_key = models.CharField(_("活动模板"), max_length=32, choices=TemplateKey.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    max_upload_bytes = models.BigIntegerField(_("单个文件上限（字节）"), default=GIB)
    # R4: a node closes once it holds this many awards of this level or higher.
    node_close_award_level = models.CharField(
        _("关闭节点的获奖级别"), max_length=16, choices=AwardLevel.choices, blank=True
    )
    node_close_award_threshold = models.PositiveSmallIntegerField(
        _("关闭节点的获奖数量"),
        default=1,
        help_text=_("节点已有的该级别及以上获奖课例达到此数量即关闭；“超过 5 堂”填 6。"),
    )
    promote_unawarded_nodes = models.BooleanField(
        _("向教师推荐无省优、部优课例的节点"), default=False
    )
    # Blind review: the opening title (R3/R3a: teacher and school) is cut from what experts see.
    blind_cut_seconds = models.DecimalField(
        _("匿名评审剪去片头（秒）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(5),
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_("匿名评审时专家看到的视频从此处开始，跳过写有教师和学校的片头；0–60 秒。"),
    )
    # Design first, filming later (精品课): teachers submit the design and materials, the
    # level with trial lectures screens them, and only a passed entry is asked for its video.
    video_due = models.CharField(
        _("视频提交时间"), max_length=16, choices=VideoDue.choices, default=VideoDue.AT_SUBMISSION
    )
    filming_days = models.PositiveSmallIntegerField(
        _("拍摄期限（天）"),
        default=14,
        help_text=_("初选通过后，教师在多少天内拍摄并提交视频。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("遴选活动")
        verbose_name_plural = _("遴选活动")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name
