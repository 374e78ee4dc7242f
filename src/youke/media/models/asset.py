from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.media.enums import AssetState


class MediaAsset(models.Model):
    """What the media job learnt about a finished upload: probe values and spec checks.

    Filled by the probing job (PyAV); ``checks`` is a list of rule results such as
    ``{"rule": "min_width", "outcome": "fail", "message": "…", "fix": "…"}``.
    """

    upload = models.OneToOneField(
        "media.Upload", verbose_name=_("上传"), on_delete=models.CASCADE, related_name="asset"
    )
    state = models.CharField(
        _("检查状态"), max_length=16, choices=AssetState.choices, default=AssetState.QUEUED
    )
    container = models.CharField(_("封装格式"), max_length=64, blank=True)
    video_codec = models.CharField(_("视频编码"), max_length=64, blank=True)
    audio_codec = models.CharField(_("音频编码"), max_length=64, blank=True)
    width = models.PositiveIntegerField(_("宽度"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高度"), null=True, blank=True)
    display_aspect_ratio = models.CharField(_("显示宽高比"), max_length=16, blank=True)
    video_bitrate = models.PositiveBigIntegerField(_("视频码率（bit/s）"), null=True, blank=True)
    audio_bitrate = models.PositiveBigIntegerField(_("音频码率（bit/s）"), null=True, blank=True)
    frame_rate = models.DecimalField(
        _("帧率"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    duration_seconds = models.DecimalField(
        _("时长（秒）"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    has_audio = models.BooleanField(_("含音频"), null=True, blank=True)
    poster = models.FileField(_("封面帧"), upload_to="media/posters/%Y/%m/", blank=True)
    rendition = models.FileField(_("播放版本"), upload_to="media/renditions/%Y/%m/", blank=True)
    checks = models.JSONField(_("检查结果"), default=list, blank=True)
    error = models.TextField(_("错误说明"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # A PDF rendering of an office document, when LibreOffice is installed on the worker.
    preview = models.FileField(_("PDF 预览"), upload_to="media/previews/%Y/%m/", blank=True)
    # Adaptive streaming: the storage name of the HLS master playlist; its variant playlists
    # and segments live beside it under the same prefix.
    hls_master = models.CharField(_("HLS 主播放列表"), max_length=500, blank=True)
    hls_heights = models.JSONField(_("HLS 清晰度"), default=list, blank=True)
    # Blind review: what experts of a blind round are served instead of the original.
    blind_rendition = models.FileField(
        _("匿名评审播放版本"), upload_to="media/blind/%Y/%m/", blank=True
    )
    blind_cut_seconds = models.DecimalField(
        _("匿名版本剪去的片头（秒）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sanitised = models.FileField(
        _("去除作者信息的副本"), upload_to="media/sanitised/%Y/%m/", blank=True
    )
    # What was removed from the sanitised copy, for the organiser: [{"field": …, "value": …}].
    stripped_metadata = models.JSONField(_("已去除的元数据"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("媒体检查")
        verbose_name_plural = _("媒体检查")

    def __str__(self) -> str:
        return f"{self.upload} · {self.get_state_display()}"

    @property
    def thumbnail_indexes(self) -> list[int]:
        """The thumbnails' numbers: from ``thumbnail_count`` when the loading query counted
        them (``submissions.domain.packages.package_materials``), else read here."""
        counted = getattr(self, "thumbnail_count", None)
        if counted is not None:
            return list(range(1, counted + 1))
        return [t.index for t in self.thumbnails.all()]


class MediaThumbnail(models.Model):
    """Frames spread over a video, for reviewers to skim it without playing; numbered 1…N
    without gaps (written in order, and never again once an asset has any)."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="thumbnails")
    index = models.PositiveSmallIntegerField(_("序号"))
    image = models.FileField(_("缩略图"), upload_to="media/thumbnails/%Y/%m/")

    class Meta:
        verbose_name = _("缩略图")
        verbose_name_plural = _("缩略图")
        ordering = ["asset_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "index"], name="thumbnail_unique_index")
        ]

    def __str__(self) -> str:
        return f"{self.asset_id}#{self.index}"
