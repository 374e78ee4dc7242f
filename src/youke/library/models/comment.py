"""Comments on library lessons and the sensitive-word list that screens them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.library.enums import CommentState, WordAction


class SensitiveWord(models.Model):
    """A word that blocks a comment or sends it to moderation (data, edited by admins).

    A word applies to comments on lessons published by its unit or any unit below it.
    ``normalised`` is the word after full-width → half-width folding and lower-casing
    (``domain.words.normalise``), the form comments are matched in.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    word = models.CharField(_("敏感词"), max_length=50)
    normalised = models.CharField(max_length=50)
    action = models.CharField(
        _("处理方式"), max_length=8, choices=WordAction.choices, default=WordAction.BLOCK
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["normalised", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "normalised"], name="library_word_unique")
        ]

    def __str__(self) -> str:
        return self.word


class LessonComment(models.Model):
    """A signed-in person's comment; only ``domain.comments`` writes ``state``."""

    lesson = models.ForeignKey(
        "library.LibraryLesson", on_delete=models.CASCADE, related_name="comment_set"
    )
    author = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("评论内容"), max_length=1000)
    state = models.CharField(
        _("状态"), max_length=16, choices=CommentState.choices, default=CommentState.PENDING
    )
    # The review-list word that held the comment for moderation, shown to the moderator.
    flagged_word = models.CharField(_("触发的审核词"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("发表时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("未通过理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("课例评论")
        verbose_name_plural = _("课例评论")
        indexes = [
            models.Index(
                fields=["lesson", "state", "-created_at", "-id"], name="library_comment_list"
            ),
            models.Index(fields=["state", "-created_at", "-id"], name="library_comment_queue"),
        ]

    def __str__(self) -> str:
        return self.body[:30]
