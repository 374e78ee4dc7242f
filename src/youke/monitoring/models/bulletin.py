"""Bulletins (通报): composed as drafts, published once with a number, then immutable."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.monitoring.enums import BulletinState, Frequency


class Bulletin(models.Model):
    issuing_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("遴选活动"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=120)
    # e.g. 示教电通 → 示教电通〔2026〕3号; the number is given at publication.
    doc_prefix = models.CharField(_("文号前缀"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    period_start = models.DateField(_("通报期间起"))
    period_end = models.DateField(_("通报期间止"))
    indicators = models.JSONField(_("指标"), default=list)  # indicator keys, in order
    intro = models.TextField(_("正文"), max_length=4000, blank=True)
    closing = models.TextField(_("工作要求"), max_length=4000, blank=True)
    is_public = models.BooleanField(_("在公开页面发布"), default=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    # The figures at ``figures_at``: totals, ranked tables, units behind target and commended.
    snapshot = models.JSONField(default=dict)
    figures_at = models.DateTimeField(_("数据时间"), null=True, blank=True)
    pdf = models.FileField(upload_to="bulletins/%Y/", blank=True)
    xlsx = models.FileField(upload_to="bulletins/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="bulletin_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def doc_number(self) -> str:
        if self.number is None:
            return ""
        return f"{self.doc_prefix}〔{self.year}〕{self.number}号"


class BulletinCounter(models.Model):
    """The last number given per issuing unit and year; its row is the numbering lock."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="bulletin_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class BulletinSchedule(models.Model):
    """A bulletin composed and published on a schedule (beat), each one a normal bulletin."""

    issuing_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发文单位"), on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("遴选活动"), on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(_("频率"), max_length=12, choices=Frequency.choices)
    title = models.CharField(_("标题"), max_length=120)
    doc_prefix = models.CharField(_("文号前缀"), max_length=20, blank=True)
    indicators = models.JSONField(_("指标"), default=list)
    intro = models.TextField(_("正文"), max_length=4000, blank=True)
    closing = models.TextField(_("工作要求"), max_length=4000, blank=True)
    is_public = models.BooleanField(_("在公开页面发布"), default=False)
    next_run = models.DateField(_("下次发布日期"))
    is_active = models.BooleanField(_("启用"), default=True)
    # Published in this person's name; a schedule whose owner lost the unit stops itself.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("定期通报")
        verbose_name_plural = _("定期通报")
        ordering = ["next_run", "id"]

    def __str__(self) -> str:
        return self.title
