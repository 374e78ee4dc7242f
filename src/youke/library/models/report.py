"""A signed-in person's report of a problem with a library lesson (报告问题)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.library.enums import ReportKind, ReportState


class ProblemReport(models.Model):
    """Reaches the admins of the lesson's publishing unit; only ``domain.reports`` closes it."""

    lesson = models.ForeignKey("library.LibraryLesson", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("问题类型"), max_length=16, choices=ReportKind.choices)
    text = models.TextField(_("问题描述"), max_length=1000)
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportState.choices, default=ReportState.OPEN
    )
    reply = models.TextField(_("处理答复"), max_length=1000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题报告")
        verbose_name_plural = _("问题报告")
        indexes = [
            models.Index(fields=["state", "-created_at", "-id"], name="library_report_queue")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:30]}"
