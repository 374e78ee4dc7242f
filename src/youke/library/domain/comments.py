"""Comments on library lessons: posting through the word list, moderation, deletion.

Posting: a blocking word refuses the comment, naming the word; otherwise the comment is
published at once, or waits for moderation when the campaign's library setting says
先审后发 (the default) or a review-list word matched. ``set_comment_state`` is the one
function that moves a comment (``COMMENT_TRANSITIONS``): row lock, count of published
comments on the lesson, audit log, and a notification to the author when refused.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.library.domain import cache_version, words
from youke.library.enums import COMMENT_TRANSITIONS, CommentState
from youke.library.models import LessonComment, LibraryLesson, LibrarySettings
from youke.notifications.enums import NotificationKind

MAX_BODY = 1000
# At most this many comments per person in the window (a flood waits; nothing is lost: the
# page keeps the typed text).
BURST = 10
BURST_WINDOW = datetime.timedelta(minutes=10)


def premoderated(campaign_id: int | None) -> bool:
    """先审后发 unless the campaign's library settings publish comments at once."""
    if campaign_id is None:
        return True
    value = (
        LibrarySettings.objects.filter(campaign_id=campaign_id)
        .values_list("comments_premoderated", flat=True)
        .first()
    )
    return True if value is None else value


def _recount(lesson_id: int) -> None:
    count = LessonComment.objects.filter(lesson_id=lesson_id, state=CommentState.PUBLISHED).count()
    LibraryLesson.objects.filter(pk=lesson_id).update(comments=count)


def post_comment(actor: Actor, lesson: LibraryLesson, body: str) -> LessonComment:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("请填写评论内容后再发表。"))
    if len(text) > MAX_BODY:
        raise ValidationError(
            _("评论最长 %(n)s 字，现有 %(m)s 字，请删减后再发表。")
            % {"n": MAX_BODY, "m": len(text)}
        )
    recent = LessonComment.objects.filter(
        author=actor.person, created_at__gte=timezone.now() - BURST_WINDOW
    ).count()
    if recent >= BURST:
        raise ValidationError(
            _("您在 %(m)s 分钟内已发表 %(n)s 条评论，请稍后再发表。")
            % {"m": int(BURST_WINDOW.total_seconds() // 60), "n": recent}
        )
    unit_path = lesson.publishing_unit.path
    blocked, review = words.screen(text, unit_path)
    if blocked is not None:
        raise ValidationError(
            _("评论含有不允许发布的词语“%(w)s”，请修改后再发表。") % {"w": blocked.word}
        )
    wait = review is not None or premoderated(lesson.campaign_id)
    with transaction.atomic():
        LibraryLesson.objects.select_for_update().filter(pk=lesson.pk).first()
        comment = LessonComment.objects.create(
            lesson=lesson,
            author=actor.person,
            body=text,
            state=CommentState.PENDING if wait else CommentState.PUBLISHED,
            flagged_word=review.word if review is not None else "",
        )
        if not wait:
            _recount(lesson.pk)
            transaction.on_commit(cache_version.bump_stats)
    return comment


def set_comment_state(
    actor: Actor, comment: LessonComment, new_state: str, *, reason: str = ""
) -> LessonComment:
    reason = (reason or "").strip()
    if new_state == CommentState.REJECTED and not reason:
        raise ValidationError(_("请填写未通过的理由，评论作者会收到这条理由。"))
    if len(reason) > 300:
        raise ValidationError(_("理由最长 300 字，请缩短后再提交。"))
    with transaction.atomic():
        LibraryLesson.objects.select_for_update().filter(pk=comment.lesson_id).first()
        locked = (
            LessonComment.objects.select_for_update()
            .select_related("lesson__publishing_unit")
            .get(pk=comment.pk)
        )
        old = locked.state
        if new_state not in COMMENT_TRANSITIONS.get(old, frozenset()):
            raise ValidationError(
                _("评论当前为“%(old)s”，不能改为“%(new)s”；请刷新页面查看最新状态。")
                % {"old": CommentState(old).label, "new": CommentState(new_state).label}
            )
        locked.state = new_state
        fields = ["state"]
        if new_state in (CommentState.PUBLISHED, CommentState.REJECTED):
            locked.moderated_by = actor.person
            locked.moderated_at = timezone.now()
            locked.reason = reason
            fields += ["moderated_by", "moderated_at", "reason"]
        locked.save(update_fields=fields)
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.lesson.publishing_unit,
            before={"state": old},
            after={"state": new_state},
            reason=reason,
        )
        if CommentState.PUBLISHED in (old, new_state):
            _recount(locked.lesson_id)
            transaction.on_commit(cache_version.bump_stats)
        if new_state == CommentState.REJECTED and locked.author_id != getattr(
            actor.person, "pk", None
        ):
            from youke.notifications.domain.notify import notify

            notify(
                locked.author,
                NotificationKind.LIBRARY_COMMENT,
                title=_("您在《%(t)s》的评论未通过审核") % {"t": locked.lesson.title},
                body=_("评论：%(b)s\n理由：%(r)s") % {"b": locked.body[:200], "r": reason},
                url=reverse("library:lesson_detail", args=[locked.lesson_id]),
            )
    return locked


def approve(actor: Actor, comment: LessonComment) -> LessonComment:
    return set_comment_state(actor, comment, CommentState.PUBLISHED)


def reject(actor: Actor, comment: LessonComment, reason: str) -> LessonComment:
    return set_comment_state(actor, comment, CommentState.REJECTED, reason=reason)


def delete_own(actor: Actor, comment: LessonComment) -> LessonComment:
    if actor.person is None or comment.author_id != actor.person.pk:
        raise PermissionDenied("comment")
    return set_comment_state(actor, comment, CommentState.DELETED)


def visible_comments(lesson: LibraryLesson, person=None):
    """Published comments, plus the person's own pending ones (marked on the page)."""
    from django.db.models import Q

    condition = Q(state=CommentState.PUBLISHED)
    if person is not None and person.is_authenticated:
        condition |= Q(state=CommentState.PENDING, author_id=person.pk)
    return (
        LessonComment.objects.filter(condition, lesson=lesson)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
