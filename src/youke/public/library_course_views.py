"""Library courses: the list of shared network courses and a course page with its lessons in
order and the shared player (previous / next lesson). Published courses only; 404 else."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from youke.library.domain.queries import published_courses
from youke.library.enums import LessonState
from youke.library.models import LibraryLesson
from youke.public.library_player import lesson_media

PAGE_SIZE = 20


def _private(response):
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@require_safe
def course_list(request):
    courses = (
        published_courses()
        .annotate(lesson_count=Count("lessons", filter=Q(lessons__state=LessonState.PUBLISHED)))
        .order_by("-published_at", "-id")
    )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return _private(render(request, "public/library/courses.html", {"page": page}))


@require_safe
def course_detail(request, course_id: int):
    course = published_courses().filter(pk=course_id).first()
    if course is None:
        raise Http404("course")
    lessons = list(
        LibraryLesson.objects.filter(course=course, state=LessonState.PUBLISHED).order_by(
            "course_order", "id"
        )
    )
    current = None
    try:
        wanted = int(request.GET.get("lesson") or 0)
    except ValueError:
        wanted = 0
    for lesson in lessons:
        if lesson.pk == wanted:
            current = lesson
    if current is None and lessons:
        current = lessons[0]
    person = request.user if request.user.is_authenticated else None
    index = lessons.index(current) if current is not None else 0
    context = {
        "course": course,
        "lessons": lessons,
        "current": current,
        "previous": lessons[index - 1] if current is not None and index > 0 else None,
        "next": lessons[index + 1] if current is not None and index + 1 < len(lessons) else None,
    }
    if current is not None:
        context.update(lesson_media(current, person))
    return _private(render(request, "public/library/course.html", context))
