"""Year-end reports (年度进展报告) of a programme and the typical cases recommended upward.

A ``YearEndReport`` ties a programme and a year to a collection task of kind 年度报告 (the
collection mechanism carries the deadline, the returns, the document versions, review and
reminders). Each return holds one ``YearEndEntry`` per task its unit is responsible for.
A ``CaseRecommendation`` is one step of the 择优推荐 chain: a unit recommends a return (or
one entry of it) as a typical case to the level directly above; that level accepts or
returns it, and may recommend an accepted case one level further (a new step whose
``previous`` is the accepted one).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.programmes.enums import CaseState


class YearEndReport(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="yearend_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    collection = models.OneToOneField(
        "collections.CollectionTask", on_delete=models.PROTECT, related_name="yearend"
    )
    # The consolidated document (汇总), rebuilt by a job from the returns on demand.
    pdf = models.FileField(_("汇总 PDF"), upload_to="programmes/yearend/%Y/", blank=True)
    xlsx = models.FileField(_("汇总表"), upload_to="programmes/yearend/%Y/", blank=True)
    consolidated_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度进展报告")
        verbose_name_plural = _("年度进展报告")
        ordering = ["programme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="yearend_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class YearEndEntry(models.Model):
    """One task's yearly progress in a unit's return, stored as typed (a draft may be
    incomplete; submitting checks every entry)."""

    collection_return = models.ForeignKey(
        "collections.CollectionReturn", on_delete=models.CASCADE, related_name="yearend_entries"
    )
    task = models.ForeignKey("programmes.Task", on_delete=models.CASCADE, related_name="+")
    done = models.TextField(_("完成情况"), max_length=4000, blank=True)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    problems = models.TextField(_("存在问题"), max_length=2000, blank=True)
    next_steps = models.TextField(_("下一步打算"), max_length=2000, blank=True)
    evidence = models.ManyToManyField(
        "programmes.EvidenceFile", blank=True, related_name="+", verbose_name=_("佐证材料")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度任务进展")
        verbose_name_plural = _("年度任务进展")
        ordering = ["collection_return", "task__area__number", "task_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection_return", "task"], name="yearend_entry_one_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_return_id}/{self.task_id}"


class CaseRecommendation(models.Model):
    report = models.ForeignKey(YearEndReport, on_delete=models.CASCADE, related_name="cases")
    collection_return = models.ForeignKey(
        "collections.CollectionReturn", on_delete=models.CASCADE, related_name="+"
    )
    # Empty: the whole return is the case; else one task's entry of it.
    entry = models.ForeignKey(
        YearEndEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    from_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("推荐至"), on_delete=models.PROTECT, related_name="+"
    )
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="next_step"
    )
    title = models.CharField(_("案例名称"), max_length=120)
    reason = models.TextField(_("推荐理由"), max_length=2000)
    state = models.CharField(
        _("状态"), max_length=12, choices=CaseState.choices, default=CaseState.PENDING
    )
    comment = models.TextField(_("审核意见"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("典型案例推荐")
        verbose_name_plural = _("典型案例推荐")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_unit", "state"], name="case_inbox")]

    def __str__(self) -> str:
        return self.title
