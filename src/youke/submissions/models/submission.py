from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.submissions.enums import CheckState, SubmissionState


class Submission(models.Model):
    """A lesson package (晒课/申报) for one catalog node in one campaign."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="submissions"
    )
    category = models.ForeignKey(
        "campaigns.Category", on_delete=models.PROTECT, related_name="submissions"
    )
    node = models.ForeignKey(
        "catalog.CourseNode", on_delete=models.PROTECT, related_name="submissions"
    )
    teacher = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="submissions")
    # The teacher's school when the package was started: admins' scope follows it.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField(_("作品标题"), max_length=120)
    description = models.TextField(_("简介"), blank=True, max_length=2000)
    periods = models.PositiveSmallIntegerField(_("课时数"), default=1)
    originality_confirmed_at = models.DateTimeField(_("原创声明时间"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Set by the school's first decision; from then on the teacher can no longer edit.
    school_acted_at = models.DateTimeField(_("学校处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "state"], name="submission_campaign_state"),
            models.Index(fields=["teacher", "-updated_at"], name="submission_teacher_recent"),
            models.Index(fields=["unit", "campaign"], name="submission_unit_campaign"),
        ]

    def __str__(self) -> str:
        return self.title


class CoAuthor(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="coauthors")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("合作者")
        verbose_name_plural = _("合作者")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "person"], name="coauthor_unique")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Citation(models.Model):
    """Quoted material with its source and author (R14)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="citations")
    source = models.CharField(_("出处"), max_length=200)
    author = models.CharField(_("作者"), max_length=100)
    note = models.CharField(_("引用内容说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("引用")
        verbose_name_plural = _("引用")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.source} / {self.author}"


class Material(models.Model):
    """One required or optional file of the package (per period for per-period videos)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        "campaigns.MaterialRequirement", on_delete=models.PROTECT, related_name="materials"
    )
    period = models.PositiveSmallIntegerField(_("课时"), default=1)
    upload = models.ForeignKey("media.Upload", on_delete=models.PROTECT, related_name="materials")
    check_state = models.CharField(
        _("检查结果"), max_length=16, choices=CheckState.choices, default=CheckState.QUEUED
    )
    attached_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["requirement__order", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "requirement", "period"], name="material_one_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.requirement}"


class MaterialLink(models.Model):
    """A resource link given for a material whose requirement accepts links (seed 003:
    "所用课件及相关资源（或资源链接）"). The server never fetches it; browsers open it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="links")
    requirement = models.ForeignKey(
        "campaigns.MaterialRequirement", on_delete=models.PROTECT, related_name="links"
    )
    period = models.PositiveSmallIntegerField(_("课时"), default=1)
    title = models.CharField(_("链接标题"), max_length=100)
    url = models.CharField(_("链接地址"), max_length=500)
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资源链接")
        verbose_name_plural = _("资源链接")
        ordering = ["requirement__order", "period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "requirement", "period", "url"], name="material_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} <{self.url}>"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


class SubmissionEvent(models.Model):
    """The teacher-visible history of a submission (the audit log keeps the rest)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.from_state} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return SubmissionState(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return SubmissionState(self.to_state).label if self.to_state else ""
