from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.notifications.enums import OutboxState


class OutboxEmail(models.Model):
    """An e-mail written in the same transaction as its event and sent after commit."""

    to_address = models.EmailField(_("收件人"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    notification = models.ForeignKey(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    state = models.CharField(
        _("状态"), max_length=8, choices=OutboxState.choices, default=OutboxState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "id"], name="outbox_state")]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject} ({self.state})"
