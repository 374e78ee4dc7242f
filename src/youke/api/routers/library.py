"""The public resource library for other platforms: browse, search, one lesson, statistics.

Reads need no account and answer ``Cache-Control: public`` with the library version in the
ETag, so a CDN may carry them. Publishing an award is for the awarding unit's admins
(``library.rules``; 404 outside their scope).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Router, Schema

from youke.api.common import actor, viewer
from youke.api.fields import Id, Integer, Search, Text
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.library.access import (
    access_managed_course,
    access_managed_lesson,
    access_public_lesson,
    access_publishable_award,
)
from youke.library.domain import browse, cache_version, courses, publishing, search
from youke.library.domain.queries import (
    Filters,
    filtered,
    node_filter,
    published,
    published_courses,
)
from youke.library.enums import SortOrder

router = Router(tags=["library"])
Year = Integer(1900, 2200)


class LibraryAwardOut(Schema):
    level: str
    grade: str


class LibraryLessonOut(Schema):
    id: int
    title: str
    node_id: int | None
    node_trail: str
    # A lesson of a library course (名校网络课堂): the course and its place in it.
    course_id: int | None
    course_order: int | None
    category_name: str
    year: int
    teacher_name: str
    school_name: str
    award_level: str
    awards: list[LibraryAwardOut]
    views: int
    visitors: int
    downloads: int
    likes: int
    rating_avg: float
    rating_count: int
    published_at: datetime


class FileOut(Schema):
    id: int
    kind: str
    label: str
    period: int
    downloads: int


class LibraryLessonDetailOut(LibraryLessonOut):
    description: str
    files: list[FileOut]
    related: list[LibraryLessonOut]


class LessonPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[LibraryLessonOut]


class LibraryCourseOut(Schema):
    id: int
    title: str
    subject: str
    grade: str
    node_trail: str
    school_name: str
    published_at: datetime


class LibraryCourseLessonOut(Schema):
    id: int
    course_order: int | None
    title: str
    teacher_name: str
    playable: bool
    external_url: str


class LibraryCourseDetailOut(LibraryCourseOut):
    lessons: list[LibraryCourseLessonOut]


class LibraryCoursePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[LibraryCourseOut]


class StatisticsOut(Schema):
    lessons: int
    views: int
    visitors: int
    downloads: int
    likes: int
    ratings: int


class PublishedOut(Schema):
    lesson_id: int
    state: str


class LibraryStateOut(Schema):
    id: int
    state: str


class TakeDownIn(Schema):
    reason: Text(300, min_length=1)


def _public(response: HttpResponse) -> None:
    patch_cache_control(response, public=True, max_age=60)
    response["ETag"] = f'"library-{cache_version.current()}"'


def _filters(node, stage, subject, edition, volume, category, award_level, year) -> Filters:
    from youke.catalog.models import CourseNode

    fields = {
        "stage": stage,
        "subject": subject,
        "edition": edition,
        "volume": volume,
        "category": category,
        "award_level": award_level,
        "year": year,
    }
    if node:
        found = CourseNode.objects.filter(pk=node).first()
        # An unknown node matches nothing.
        fields.update(node_filter(found) if found else {"node_path": "~"})
    return Filters(**fields)


def _page(lessons, number, pages, total):
    return {"count": total, "page": number, "pages": pages, "items": lessons}


@router.get("/library/lessons", response=LessonPageOut, operation_id="browse_library", auth=None)
def browse_library(
    request,
    response: HttpResponse,
    page: int = 1,
    sort: SortOrder = SortOrder.NEWEST,
    node: Id | None = None,
    stage: Id | None = None,
    subject: Id | None = None,
    edition: Id | None = None,
    volume: Id | None = None,
    category: Text(64) = "",
    award_level: Text(16) = "",
    year: Year | None = None,
):
    """Published lessons, 20 a page, filtered like the library page (at most 100 pages:
    refine the filters for more); a page past the end is empty, like every API list."""
    filters = _filters(node, stage, subject, edition, volume, category, award_level, year)
    found = browse.browse(
        filters, sort if sort != SortOrder.RELEVANCE else "newest", browse.page_number(page)
    )
    _public(response)
    if page > found.pages:
        return _page([], page, found.pages, found.total)
    return _page(found.lessons, found.number, found.pages, found.total)


@router.get("/library/search", response=LessonPageOut, operation_id="search_library", auth=None)
def search_library(
    request,
    response: HttpResponse,
    q: Search,
    page: int = 1,
    sort: SortOrder = SortOrder.RELEVANCE,
    node: Id | None = None,
    stage: Id | None = None,
    subject: Id | None = None,
    edition: Id | None = None,
    volume: Id | None = None,
    category: Text(64) = "",
    award_level: Text(16) = "",
    year: Year | None = None,
):
    """Ranked Chinese search: words, pinyin or initials ("yzl"), one- and two-character
    queries, traditional characters; title matches first, then relevance, then views."""
    filters = _filters(node, stage, subject, edition, volume, category, award_level, year)
    number = browse.page_number(page)
    size = browse.PAGE_SIZE
    found = search.search(q, filters, sort=sort, offset=(number - 1) * size, limit=size)
    pages = max(1, -(-min(found.total, browse.MAX_RESULTS) // size))
    _public(response)
    if page > pages:  # past the end: an empty page with the true count, like every API list
        return _page([], page, pages, found.total)
    return _page(browse.load(found.ids), number, pages, found.total)


@router.get(
    "/library/lessons/{lesson_id}",
    response={200: LibraryLessonDetailOut, 404: ErrorOut},
    operation_id="get_library_lesson",
    auth=None,
)
def get_library_lesson(request, response: HttpResponse, lesson_id: Id):
    """One published lesson with its files and related lessons (404 once unpublished)."""
    lesson = access_public_lesson(lesson_id)
    lesson.related = browse.related(lesson)
    _public(response)
    return lesson


@router.get(
    "/library/courses",
    response=LibraryCoursePageOut,
    operation_id="list_library_courses",
    auth=None,
)
def list_library_courses(request, response: HttpResponse, page: int = 1):
    """Published courses (shared network courses), newest first, 20 a page."""
    from django.core.paginator import Paginator

    qs = published_courses().order_by("-published_at", "-id")
    paginator = Paginator(qs, browse.PAGE_SIZE)
    _public(response)
    if page > paginator.num_pages or page < 1:
        return {"count": paginator.count, "page": page, "pages": paginator.num_pages, "items": []}
    items = list(paginator.page(page).object_list)
    return {"count": paginator.count, "page": page, "pages": paginator.num_pages, "items": items}


@router.get(
    "/library/courses/{course_id}",
    response={200: LibraryCourseDetailOut, 404: ErrorOut},
    operation_id="get_library_course",
    auth=None,
)
def get_library_course(request, response: HttpResponse, course_id: Id):
    """One published course with its published lessons in order (404 once unpublished);
    ``playable``: the lesson's recording plays in the library (else ``external_url``)."""
    from django.http import Http404

    from youke.library.enums import FileKind

    course = published_courses().filter(pk=course_id).first()
    if course is None:
        raise Http404("course")
    lessons = (
        published()
        .filter(course=course)
        .annotate(videos=Count("files", filter=Q(files__kind=FileKind.VIDEO)))
        .order_by("course_order", "id")
    )
    course.lessons_out = [
        {
            "id": lesson.pk,
            "course_order": lesson.course_order,
            "title": lesson.title,
            "teacher_name": lesson.teacher_name,
            "playable": lesson.videos > 0,
            "external_url": lesson.external_url,
        }
        for lesson in lessons
    ]
    _public(response)
    return {
        **{f: getattr(course, f) for f in LibraryCourseOut.model_fields},
        "lessons": course.lessons_out,
    }


@router.get(
    "/library/statistics", response=StatisticsOut, operation_id="get_library_statistics", auth=None
)
def get_library_statistics(request, response: HttpResponse, node: Id | None = None):
    """Totals over published lessons (optionally under one catalog node)."""
    qs = filtered(_filters(node, None, None, None, None, "", "", None)) if node else published()
    totals = qs.aggregate(
        lessons=Count("id"),
        views=Sum("views"),
        visitors=Sum("visitors"),
        downloads=Sum("downloads"),
        likes=Sum("likes"),
        ratings=Sum("rating_count"),
    )
    _public(response)
    return {k: v or 0 for k, v in totals.items()}


@router.post(
    "/library/awards/{award_id}/publish",
    response={200: PublishedOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="publish_award_to_library",
)
def publish_award_to_library(request, award_id: Id):
    """Publish an awarded package (needs the teacher's consent; admins of the awarding unit)."""
    award = access_publishable_award(viewer(request), award_id)
    lesson = publishing.publish_award(actor(request), award)
    return {"lesson_id": lesson.pk, "state": lesson.state}


# --- taking published lessons and courses down and putting them back (the publishing bureau) --

MANAGE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


@router.post(
    "/library/lessons/{lesson_id}/unpublish",
    response={200: LibraryStateOut, **MANAGE_ERRORS},
    operation_id="unpublish_library_lesson",
)
def unpublish_library_lesson(request, lesson_id: Id, payload: TakeDownIn):
    """Take a lesson out of the library with a reason (admins of the publishing unit)."""
    lesson = access_managed_lesson(viewer(request), lesson_id)
    done = publishing.unpublish(actor(request), lesson, payload.reason)
    return {"id": done.pk, "state": done.state}


@router.post(
    "/library/lessons/{lesson_id}/republish",
    response={200: LibraryStateOut, **MANAGE_ERRORS},
    operation_id="republish_library_lesson",
)
def republish_library_lesson(request, lesson_id: Id):
    """Put a lesson back: again from its award, or with its course."""
    lesson = access_managed_lesson(viewer(request), lesson_id)
    done = publishing.republish(actor(request), lesson)
    return {"id": done.pk, "state": done.state}


@router.post(
    "/library/courses/{course_id}/unpublish",
    response={200: LibraryStateOut, **MANAGE_ERRORS},
    operation_id="unpublish_library_course",
)
def unpublish_library_course(request, course_id: Id, payload: TakeDownIn):
    """Take a course and all its lessons out of the library with a reason."""
    course = access_managed_course(viewer(request), course_id)
    done = courses.unpublish_course(actor(request), course, payload.reason)
    return {"id": done.pk, "state": done.state}


@router.post(
    "/library/courses/{course_id}/republish",
    response={200: LibraryStateOut, **MANAGE_ERRORS},
    operation_id="republish_library_course",
)
def republish_library_course(request, course_id: Id):
    """Put a course taken down by the bureau back, with its lessons."""
    course = access_managed_course(viewer(request), course_id)
    done = courses.republish_course(actor(request), course)
    return {"id": done.pk, "state": done.state}
