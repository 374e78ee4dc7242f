"""The lesson page's personal parts: favourite toggle, comments, problem reports.

The comments are a fragment htmx loads after the page (the page itself stays cacheable and
light); posting, deleting and paging swap the same fragment. Without JavaScript the forms
post normally and come back to the lesson page with a message.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youke.core.actor import Actor
from youke.library.access import access_own_comment, access_public_lesson
from youke.library.domain import cache_version, comments, favourites, reports
from youke.library.enums import CommentState
from youke.library.models import LibraryLesson

COMMENTS_PAGE = 10


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _lesson(lesson_id: int) -> LibraryLesson:
    lesson = access_public_lesson(lesson_id)
    # The word list and the audit log need the publishing unit: one join instead of a query.
    return LibraryLesson.objects.select_related("publishing_unit").get(pk=lesson.pk)


@login_required
@require_POST
def lesson_favourite(request, lesson_id: int):
    """Toggle 收藏 (or set it with ``on=1``/``on=0``, which repeats safely)."""
    lesson = access_public_lesson(lesson_id)
    wanted = request.POST.get("on")
    if wanted in ("0", "1"):
        on = favourites.set_favourite(request.user, lesson, wanted == "1")
    else:
        on = favourites.toggle_favourite(request.user, lesson)
    cache_version.bump_stats()  # the lesson page's ETag carries the viewer's favourite
    if _htmx(request):
        return render(
            request, "public/library/_favourite.html", {"lesson": lesson, "favourite": on}
        )
    messages.success(request, _("已加入我的收藏。") if on else _("已取消收藏。"))
    if request.POST.get("back") == "favourites":
        return redirect("my_library:favourites")
    return redirect("library:lesson_detail", lesson.pk)


def _comments_context(request, lesson: LibraryLesson, notice: str = "", errors=(), body=""):
    person = request.user if request.user.is_authenticated else None
    paginator = Paginator(comments.visible_comments(lesson, person), COMMENTS_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    base = reverse("library:lesson_comments", args=[lesson.pk])
    return {
        "lesson": lesson,
        "page": page,
        "comments": list(page.object_list),
        "previous_url": f"{base}?page={page.number - 1}" if page.has_previous() else "",
        "next_url": f"{base}?page={page.number + 1}" if page.has_next() else "",
        "login_url": reverse("portal:login")
        + "?"
        + urlencode({"next": reverse("library:lesson_detail", args=[lesson.pk])}),
        "notice": notice,
        "errors": list(errors),
        "body": body,
        "pending": CommentState.PENDING,
        "max_body": comments.MAX_BODY,
    }


@require_safe
def lesson_comments(request, lesson_id: int):
    """Comments, newest first, 10 a page: published ones, and the viewer's own pending."""
    lesson = access_public_lesson(lesson_id)
    return render(request, "public/library/_comments.html", _comments_context(request, lesson))


@login_required
@require_POST
def comment_post(request, lesson_id: int):
    lesson = _lesson(lesson_id)
    body = request.POST.get("body", "")
    try:
        comment = comments.post_comment(Actor.from_request(request), lesson, body)
    except ValidationError as exc:
        if _htmx(request):
            context = _comments_context(request, lesson, errors=exc.messages, body=body)
            return render(request, "public/library/_comments.html", context)
        for message in exc.messages:
            messages.error(request, message)
        return redirect("library:lesson_detail", lesson.pk)
    notice = (
        _("评论已提交，审核通过后公开显示。")
        if comment.state == CommentState.PENDING
        else _("评论已发表。")
    )
    if _htmx(request):
        return render(
            request, "public/library/_comments.html", _comments_context(request, lesson, notice)
        )
    messages.success(request, notice)
    return redirect("library:lesson_detail", lesson.pk)


@login_required
@require_POST
def comment_delete(request, comment_id: int):
    """The author deletes their own comment (someone else's is 404)."""
    comment = access_own_comment(request.user, comment_id)
    error = ""
    try:
        comments.delete_own(Actor.from_request(request), comment)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if _htmx(request):
        context = _comments_context(
            request,
            comment.lesson,
            notice="" if error else _("评论已删除。"),
            errors=[error] if error else [],
        )
        return render(request, "public/library/_comments.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("评论已删除。"))
    return redirect("library:lesson_detail", comment.lesson_id)


@login_required
@require_POST
def lesson_report(request, lesson_id: int):
    """报告问题: reaches the admins of the publishing unit."""
    lesson = _lesson(lesson_id)
    try:
        reports.report_problem(
            Actor.from_request(request),
            lesson,
            request.POST.get("kind", ""),
            request.POST.get("text", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        # What was typed comes back in the form.
        back = reverse("library:lesson_detail", args=[lesson.pk])
        query = urlencode({"report_kind": request.POST.get("kind", "")[:16]})
        request.session["library_report_text"] = request.POST.get("text", "")[:1000]
        return redirect(f"{back}?{query}#report")
    messages.success(request, _("问题已报告给发布单位的管理员，处理结果会通知您。"))
    return redirect("library:lesson_detail", lesson.pk)
