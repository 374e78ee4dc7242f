"""我的资源库: the statistics of the teacher's own published lessons, 我的收藏 and 观看记录."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.library import rules
from youke.library.domain import favourites, history

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def my_library(request):
    """Each published lesson of the teacher with PV, UV, downloads, likes, rating, favourites
    and comments (the counters are flushed every minute)."""
    lessons = rules.own_lessons(request.user).order_by("-published_at", "-id")
    totals = lessons.aggregate(
        views=Sum("views"),
        visitors=Sum("visitors"),
        downloads=Sum("downloads"),
        likes=Sum("likes"),
        favourites=Sum("favourites"),
        comments=Sum("comments"),
    )
    return render(
        request,
        "portal/my_library/stats.html",
        {"page": _page(request, lessons), "totals": totals, "filters": request.GET},
    )


@login_required
def my_favourites(request):
    return render(
        request,
        "portal/my_library/favourites.html",
        {"page": _page(request, favourites.favourites_of(request.user)), "filters": request.GET},
    )


@login_required
def my_history(request):
    return render(
        request,
        "portal/my_library/history.html",
        {"page": _page(request, history.history_of(request.user)), "filters": request.GET},
    )


@login_required
@require_POST
def history_remove(request, lesson_id: int):
    if history.remove(request.user, lesson_id):
        messages.success(request, _("已从观看记录中删除。"))
    else:
        messages.info(request, _("观看记录中没有这节课例，无需删除。"))
    return redirect("my_library:history")


@login_required
@require_POST
def history_clear(request):
    count = history.clear(request.user)
    messages.success(request, _("已清空观看记录（%(n)s 条）。") % {"n": count})
    return redirect("my_library:history")
