import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.media.enums import UploadState


class Upload(models.Model):
    """One resumable (tus) upload: bytes arrive as parts in storage, then join into one file.

    ``offset`` is the truth about how much has arrived: it moves in the same transaction
    that records a part (``UploadPart``). A request writing bytes holds the upload's lease
    (``lease_token`` until ``lease_until``), so two requests never interleave, whichever web
    process or machine they reach. Only ``domain.uploads.set_upload_state`` writes ``state``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.CASCADE,
        related_name="uploads",
    )
    purpose = models.CharField(_("用途"), max_length=64)
    filename = models.CharField(_("文件名"), max_length=255)
    length = models.PositiveBigIntegerField(_("文件大小（字节）"))
    offset = models.PositiveBigIntegerField(_("已上传（字节）"), default=0)
    content_type = models.CharField(_("内容类型"), max_length=128, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    storage_name = models.CharField(_("存储位置"), max_length=500, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=UploadState.choices, default=UploadState.UPLOADING
    )
    metadata = models.JSONField(_("上传元数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    lease_token = models.UUIDField(_("写入租约"), null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(_("租约到期时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("上传")
        verbose_name_plural = _("上传")
        ordering = ["-created_at"]
        indexes = [
            # the abandoned-upload sweep: unfinished uploads by last activity
            models.Index(fields=["state", "updated_at"], name="media_upload_state_idx"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_complete(self) -> bool:
        return self.state == UploadState.COMPLETE

    @property
    def percent(self) -> int:
        if not self.length:
            return 100 if self.is_complete else 0
        return min(100, int(self.offset * 100 / self.length))


class UploadPart(models.Model):
    """Bytes ``offset`` … ``offset + size`` of an unfinished upload, one object in storage."""

    upload = models.ForeignKey(
        Upload, verbose_name=_("上传"), on_delete=models.CASCADE, related_name="parts"
    )
    offset = models.PositiveBigIntegerField(_("起始位置（字节）"))
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    storage_name = models.CharField(_("存储位置"), max_length=500)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上传分段")
        verbose_name_plural = _("上传分段")
        ordering = ["upload", "offset"]
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "offset"], name="media_uploadpart_offset_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.upload_id}@{self.offset}+{self.size}"
