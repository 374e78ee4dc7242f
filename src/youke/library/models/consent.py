"""The campaign's publication licence and each teacher's consent to it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LibrarySettings(models.Model):
    """Per campaign: the licence teachers accept, whether anonymous visitors download and
    whether comments are moderated before they show.

    A campaign without a row uses ``domain.consent.DEFAULT_LICENCE`` and closed downloads.
    """

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="library_settings"
    )
    licence_title = models.CharField(_("许可名称"), max_length=100)
    licence_text = models.TextField(_("许可条款"), max_length=4000)
    downloads_open = models.BooleanField(_("未登录访客可下载文档"), default=False)
    # 先审后发: comments wait for the publishing level's moderators (a campaign without a row
    # moderates too); off, a comment that passes the word list is published at once.
    comments_premoderated = models.BooleanField(_("评论先审后发"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("资源库设置")
        verbose_name_plural = _("资源库设置")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.licence_title}"


class PublicationConsent(models.Model):
    """The teacher's acceptance of the licence for one package (a copy of the text kept).

    Withdrawing sets ``withdrawn_at``; accepting again clears it with the current text.
    """

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="publication_consent"
    )
    teacher = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    licence_title = models.CharField(_("许可名称"), max_length=100)
    licence_text = models.TextField(_("许可条款"))
    # The teacher may keep their name and school off the public page.
    show_author = models.BooleanField(_("公开姓名与学校"), default=True)
    accepted_at = models.DateTimeField(_("同意时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发布授权")
        verbose_name_plural = _("发布授权")

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.accepted_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
