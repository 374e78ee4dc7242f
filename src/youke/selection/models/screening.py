from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.selection.enums import PassFail


class ScreeningRecord(models.Model):
    """County screening (R8): technical check and trial lecture (filming: ``FilmingRequest``)."""

    entry = models.OneToOneField(
        "selection.LevelEntry", on_delete=models.CASCADE, related_name="screening"
    )
    technical_check = models.CharField(
        _("技术审核"), max_length=8, choices=PassFail.choices, blank=True
    )
    technical_note = models.CharField(_("技术审核说明"), max_length=300, blank=True)
    trial_date = models.DateField(_("试讲日期"), null=True, blank=True)
    panel = models.CharField(_("试讲评委"), max_length=300, blank=True)
    trial_result = models.CharField(
        _("试讲结果"), max_length=8, choices=PassFail.choices, blank=True
    )
    comments = models.TextField(_("试讲意见"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("县级初选记录")
        verbose_name_plural = _("县级初选记录")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.technical_check}/{self.trial_result}"

    @property
    def passed(self) -> bool:
        return self.technical_check == PassFail.PASS and self.trial_result == PassFail.PASS
