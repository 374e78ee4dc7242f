"""Per package: the originality result, the matches behind it, and the campaign's settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.originality.enums import MatchKind, Verdict


class OriginalitySettings(models.Model):
    """Thresholds per campaign; a campaign without a row uses these defaults."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="originality_settings"
    )
    match_bits = models.PositiveSmallIntegerField(_("画面相同的最大差异（位，0–64）"), default=10)
    min_segment_seconds = models.PositiveSmallIntegerField(_("最短相同片段（秒）"), default=20)
    min_audio_seconds = models.PositiveSmallIntegerField(
        _("最短相同声音片段（秒）"),
        default=20,
        help_text=_("画面不同但声音相同（如翻拍、裁剪或加遮挡的视频）达到此时长才计入；静音不计。"),
    )
    low_detail = models.FloatField(_("低细节画面阈值（灰度标准差）"), default=6.0)
    common_videos = models.PositiveIntegerField(
        _("画面出现在多少个视频中即视为公共片头"), default=20
    )
    video_similar_share = models.FloatField(_("视频部分相似比例"), default=0.1)
    video_copy_share = models.FloatField(_("视频疑似抄袭比例"), default=0.5)
    common_submissions = models.PositiveSmallIntegerField(
        _("同一课程节点中多少份作品共有的文字不计（如课文）"), default=3
    )
    document_similar_share = models.FloatField(_("文档部分相似比例"), default=0.2)
    document_copy_share = models.FloatField(_("文档疑似抄袭比例"), default=0.5)
    quoted_clip_seconds = models.PositiveSmallIntegerField(
        _("注明出处的引用片段最长（秒）"),
        default=60,
        help_text=_(
            "作品的引用清单注明了对方作品（标题或作者），且每段相同片段都不超过此时长时，"
            "视为正当引用，不计入相同比例；填 0 表示不豁免任何片段。"
        ),
    )
    block_likely_copy = models.BooleanField(
        _("疑似抄袭的作品须管理员核查后才能推荐"), default=False
    )

    class Meta:
        verbose_name = _("原创性检测设置")
        verbose_name_plural = _("原创性检测设置")

    def __str__(self) -> str:
        return str(self.campaign_id)


class OriginalityResult(models.Model):
    """The package's result; only ``domain.results`` writes ``verdict`` and the clearance."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="originality"
    )
    verdict = models.CharField(
        _("检测结果"), max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    # Share of the package's video time (or document text) found in other packages.
    copied_share = models.FloatField(_("相同比例"), default=0.0)
    checked_at = models.DateTimeField(_("检测时间"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("核查放行时间"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_reason = models.TextField(_("核查说明"), blank=True, max_length=1000)
    teacher_note = models.TextField(_("教师说明"), blank=True, max_length=1000)
    teacher_note_at = models.DateTimeField(_("教师说明时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("原创性检测结果")
        verbose_name_plural = _("原创性检测结果")
        indexes = [models.Index(fields=["verdict"], name="originality_verdict")]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.verdict}"

    @property
    def cleared(self) -> bool:
        return self.cleared_at is not None


class OriginalityMatch(models.Model):
    """One material of the package found in one material of another package."""

    result = models.ForeignKey(OriginalityResult, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(max_length=16, choices=MatchKind.choices)
    material = models.ForeignKey("submissions.Material", on_delete=models.CASCADE, related_name="+")
    other_material = models.ForeignKey(
        "submissions.Material", on_delete=models.CASCADE, related_name="+"
    )
    other_submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    share = models.FloatField(default=0.0)  # of this material's duration or weighted text
    # Video: aligned segments in seconds ({this_start, this_end, other_start, other_end});
    # document: passages side by side ({this, other}).
    evidence = models.JSONField(default=list)
    # Set when the package's citation list names the other package and every segment is a
    # short quote (R14): the match is shown but not counted.
    cited = models.CharField(_("引用出处"), max_length=320, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-share", "id"]
        indexes = [models.Index(fields=["other_submission"], name="originality_match_other")]

    def __str__(self) -> str:
        return f"{self.material_id} ≈ {self.other_material_id}"
