"""Library courses for the admins of the publishing bureau: list, take down, put back.

Scoped by ``library.rules.courses_managed_by``; another unit's course answers 404.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.views import run_action
from youke.library import rules
from youke.library.access import access_managed_course
from youke.library.domain import courses
from youke.manage.views.common import admin_required


@admin_required
def course_list(request):
    qs = (
        rules.courses_managed_by(request.user)
        .annotate(lesson_count=Count("lessons"))
        .order_by("-published_at", "-id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "manage/library_courses.html", {"page": page})


@admin_required
@require_POST
def course_unpublish(request, course_id: int):
    course = access_managed_course(request.user, course_id)
    return run_action(
        request,
        lambda: courses.unpublish_course(
            Actor.from_request(request), course, request.POST.get("reason", "")
        ),
        _("课程及其全部课已从资源库下架。"),
        redirect("manage_library:course_list"),
    )


@admin_required
@require_POST
def course_republish(request, course_id: int):
    course = access_managed_course(request.user, course_id)
    return run_action(
        request,
        lambda: courses.republish_course(Actor.from_request(request), course),
        _("课程已重新发布。"),
        redirect("manage_library:course_list"),
    )
