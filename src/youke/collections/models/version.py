from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.collections.enums import Decision


class DocumentVersion(models.Model):
    """One uploaded version of a unit's document; every version is kept with its review."""

    collection_return = models.ForeignKey(
        "collections.CollectionReturn", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本"))
    file = models.FileField(_("文件"), upload_to="collections/documents/%Y/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    decision = models.CharField(_("审定结果"), max_length=12, choices=Decision.choices, blank=True)
    comment = models.TextField(_("审定意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文档版本")
        verbose_name_plural = _("文档版本")
        ordering = ["collection_return", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection_return", "number"], name="collection_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_return_id} v{self.number}"
