"""资源库评论审核、问题报告与敏感词表, for the admins of the publishing level.

Every list is the ``library.rules`` scope twin (lessons published by the admin's subtrees);
every object is loaded through ``library.access`` (404 outside it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.views import run_action
from youke.library import rules
from youke.library.access import (
    access_handled_report,
    access_managed_word,
    access_moderated_comment,
)
from youke.library.domain import comments, reports, words
from youke.library.enums import CommentState, ReportState, WordAction
from youke.library.models import LessonComment, ProblemReport
from youke.manage.views.common import admin_required, paginate_ids, scope_roots


@admin_required
def comment_queue(request):
    state = request.GET.get("state") or CommentState.PENDING
    if state not in CommentState.values:
        state = CommentState.PENDING
    ordered = rules.comments_moderated_by(request.user).filter(state=state)
    page = paginate_ids(
        request,
        ordered.order_by("-created_at", "-id"),
        LessonComment.objects.select_related("lesson", "author"),
    )
    return render(
        request,
        "manage/library_comments.html",
        {
            "page": page,
            "state": state,
            "states": CommentState.choices,
            "filters": request.GET,
            "pending": CommentState.PENDING,
        },
    )


@admin_required
@require_POST
def comment_approve(request, comment_id: int):
    comment = access_moderated_comment(request.user, comment_id)
    return run_action(
        request,
        lambda: comments.approve(Actor.from_request(request), comment),
        _("评论已通过，已在课例页面公开。"),
        redirect("manage_library:comment_queue"),
    )


@admin_required
@require_POST
def comment_reject(request, comment_id: int):
    comment = access_moderated_comment(request.user, comment_id)
    return run_action(
        request,
        lambda: comments.reject(
            Actor.from_request(request), comment, request.POST.get("reason", "")
        ),
        _("评论未通过，已通知作者。"),
        redirect("manage_library:comment_queue"),
    )


@admin_required
def report_list(request):
    state = request.GET.get("state") or ReportState.OPEN
    if state not in ReportState.values:
        state = ReportState.OPEN
    ordered = rules.reports_handled_by(request.user).filter(state=state)
    page = paginate_ids(
        request,
        ordered.order_by("-created_at", "-id"),
        ProblemReport.objects.select_related("lesson", "reporter"),
    )
    return render(
        request,
        "manage/library_reports.html",
        {
            "page": page,
            "state": state,
            "states": ReportState.choices,
            "filters": request.GET,
            "open": ReportState.OPEN,
        },
    )


@admin_required
@require_POST
def report_close(request, report_id: int):
    report = access_handled_report(request.user, report_id)
    outcome = request.POST.get("outcome", "")
    if outcome not in (ReportState.RESOLVED, ReportState.DISMISSED):
        messages.error(request, _("请选择处理结果：已解决或驳回。"))
        return redirect("manage_library:report_list")
    return run_action(
        request,
        lambda: reports.close_report(
            Actor.from_request(request), report, outcome, request.POST.get("reply", "")
        ),
        _("已处理，答复已通知报告人。"),
        redirect("manage_library:report_list"),
    )


@admin_required
def word_list(request):
    """The word lists of the admin's units; a word applies to lessons published below it."""
    units = scope_roots(request.user)
    typed = {"word": "", "action": WordAction.BLOCK, "unit": ""}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in typed}
        unit = next((u for u in units if str(u.pk) == typed["unit"]), None)
        if unit is None:
            messages.error(request, _("请选择敏感词所属的单位。"))
        else:
            try:
                words.add_word(Actor.from_request(request), unit, typed["word"], typed["action"])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("敏感词“%(w)s”已添加。") % {"w": typed["word"].strip()})
                return redirect("manage_library:word_list")
    rows = rules.words_managed_by(request.user).select_related("unit")
    page = paginate_ids(request, rows.order_by("normalised", "id"), rows)
    return render(
        request,
        "manage/library_words.html",
        {
            "page": page,
            "units": units,
            "actions": WordAction.choices,
            "typed": typed,
            "filters": request.GET,
        },
    )


@admin_required
@require_POST
def word_delete(request, word_id: int):
    word = access_managed_word(request.user, word_id)
    return run_action(
        request,
        lambda: words.delete_word(Actor.from_request(request), word),
        _("敏感词已删除。"),
        redirect("manage_library:word_list"),
    )
