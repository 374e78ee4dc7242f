from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import ObjectionState, PublicityState


class SummarySheetConfirmation(models.Model):
    """The sending unit's confirmation of one generated summary sheet (推荐汇总表).

    The row count and SHA-256 pin exactly which file was confirmed, so a later regenerated
    sheet can be told apart from the confirmed one.
    """

    level_list = models.ForeignKey(
        "selection.LevelList", on_delete=models.CASCADE, related_name="sheet_confirmations"
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"))
    row_count = models.PositiveIntegerField(_("行数"))
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("汇总表确认")
        verbose_name_plural = _("汇总表确认")
        ordering = ["-confirmed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.level_list_id}: {self.row_count} rows {self.sha256[:12]}"


class Publicity(models.Model):
    """A public window (公示) on one unit's confirmed list at one level."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="publicities"
    )
    level = models.ForeignKey("campaigns.Level", on_delete=models.CASCADE, related_name="+")
    # The publishing unit: the one whose confirmed list is shown.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("公示标题"), max_length=120)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示结束"))
    state = models.CharField(
        _("状态"), max_length=16, choices=PublicityState.choices, default=PublicityState.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finalised_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    # Bumped (with ``changed_at``) by every domain change of what the public page shows:
    # the page cache, its ETag and the whole-list downloads are keyed by it.
    version = models.PositiveIntegerField(_("名单版本"), default=1)
    changed_at = models.DateTimeField(_("名单更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["level", "unit"], name="publicity_level_unit"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="publicity_window_order",
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="publicity_ends_at")]

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment) -> bool:
        return self.starts_at <= moment <= self.ends_at and self.state != PublicityState.FINAL


class Objection(models.Model):
    """An objection (异议) anyone may file against one published entry."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(
        "selection.LevelEntry", on_delete=models.CASCADE, related_name="objections"
    )
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    reason = models.TextField(_("异议理由"), max_length=2000)
    evidence = models.FileField(_("证明材料"), upload_to="objections/%Y/%m/", blank=True)
    evidence_type = models.CharField(_("材料类型"), max_length=100, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolution = models.TextField(_("处理意见"), max_length=2000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["publicity", "state"], name="objection_publicity_state")]

    def __str__(self) -> str:
        return f"{self.publicity_id}/{self.entry_id}: {self.state}"


class PublicityExport(models.Model):
    """The whole published list as xlsx and PDF, built by a job for one list version."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="exports")
    version = models.PositiveIntegerField(_("名单版本"))
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    xlsx = models.FileField(_("Excel 文件"), upload_to="publicity/%Y/%m/", blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="publicity/%Y/%m/", blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    built_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示名单下载")
        verbose_name_plural = _("公示名单下载")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["publicity", "version"], name="publicity_export_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publicity_id} v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.built_at is not None
