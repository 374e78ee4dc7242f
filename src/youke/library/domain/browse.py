"""Browsing: the catalog tree with counts, filter choices, pages of lessons, related lessons."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr

from youke.catalog.models import CourseNode
from youke.library.domain import cache_version
from youke.library.domain.queries import SORT_COLUMNS, Filters, filtered, published
from youke.library.models import LibraryLesson

PAGE_SIZE = 20
# Deeper pages are refused by the national platform too; a refined query serves better.
MAX_RESULTS = 2000
STEP = CourseNode.steplen


@dataclass
class Page:
    lessons: list[LibraryLesson]
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw) -> int:
    try:
        return max(1, min(int(raw or 1), MAX_RESULTS // PAGE_SIZE))
    except (TypeError, ValueError):
        return 1


def clamp(number: int, total: int) -> int:
    pages = max(1, -(-min(total, MAX_RESULTS) // PAGE_SIZE))
    return min(max(1, number), pages)


def load(ids: list[int]) -> list[LibraryLesson]:
    """The page's rows by id, in the given order, with what a card shows."""
    rows = LibraryLesson.objects.in_bulk(ids)
    return [rows[i] for i in ids if i in rows]


def count(filters: Filters) -> int:
    """How many lessons match: changes only on publish and unpublish, so it is kept under
    the content version (a COUNT over 200,000 rows is most of an uncached page)."""
    key = f"youke:library:count:{cache_version.content()}:{hash_filters(filters)}"
    total = cache.get(key)
    if total is None:
        total = filtered(filters).count()
        cache.set(key, total, 24 * 3600)
    return total


def hash_filters(filters: Filters) -> str:
    return hashlib.sha256(repr(sorted(filters.as_dict().items())).encode()).hexdigest()[:24]


def browse(filters: Filters, sort: str, number: int) -> Page:
    qs = filtered(filters)
    total = count(filters)
    number = clamp(number, total)
    start = (number - 1) * PAGE_SIZE
    order = SORT_COLUMNS.get(sort, SORT_COLUMNS["newest"])
    ids = list(qs.order_by(*order).values_list("pk", flat=True)[start : start + PAGE_SIZE])
    pages = max(1, -(-min(total, MAX_RESULTS) // PAGE_SIZE))
    return Page(load(ids), number, pages, total)


def node_counts(filters: Filters, parent_path: str = "") -> list[dict]:
    """The children of the current node (``parent_path``; the stages without one) with their
    lesson counts: one query."""
    parent_path = parent_path or filters.node_path
    depth = len(parent_path) // STEP + 1
    qs = filtered(filters).order_by().annotate(prefix=Substr("node_path", 1, depth * STEP))
    counts = dict(qs.values("prefix").annotate(n=Count("id")).values_list("prefix", "n"))
    children = CourseNode.objects.filter(depth=depth, is_active=True)
    if parent_path:
        children = children.filter(path__under=parent_path)
    return [
        {"node": node, "count": counts.get(node.path, 0)}
        for node in children.order_by("path")
        if counts.get(node.path, 0)
    ]


def trail(node_path: str) -> list[CourseNode]:
    if not node_path:
        return []
    prefixes = [node_path[: i * STEP] for i in range(1, len(node_path) // STEP + 1)]
    return list(CourseNode.objects.filter(path__in=prefixes).order_by("depth"))


def choices() -> dict:
    """Filter menus: the values present among published lessons."""
    qs = published()

    def nodes(field):
        ids = qs.order_by().values_list(field, flat=True).distinct()
        return list(CourseNode.objects.filter(pk__in=ids).order_by("path").values("pk", "name"))

    return {
        "stages": nodes("stage_id"),
        "subjects": nodes("subject_id"),
        "editions": nodes("edition_id"),
        "volumes": nodes("volume_id"),
        "categories": sorted(set(qs.order_by().values_list("category_name", flat=True).distinct())),
        "years": sorted(set(qs.order_by().values_list("year", flat=True).distinct()), reverse=True),
        "award_levels": sorted(
            set(
                qs.order_by()
                .exclude(award_level="")
                .values_list("award_level", "award_order")
                .distinct()
            ),
            key=lambda pair: pair[1],
        ),
    }


def related(lesson: LibraryLesson, limit: int = 8) -> list[LibraryLesson]:
    """Same node (a course's lesson: same course) first, then the same unit of the textbook
    (the node's parent), then the same teacher; most viewed first in each group."""
    picked: list[int] = []
    if lesson.course_id:  # a course's lesson: its course first (it has no catalog node)
        groups = [published().filter(course_id=lesson.course_id)]
    else:
        groups = [published().filter(node_path=lesson.node_path)]
    parent = lesson.node_path[:-STEP] if len(lesson.node_path) > STEP * 4 else ""
    if parent:
        groups.append(published().filter(node_path__under=parent))
    if lesson.teacher_id and lesson.teacher_name:
        groups.append(published().filter(teacher_id=lesson.teacher_id))
    for qs in groups:
        if len(picked) >= limit:
            break
        ids = (
            qs.exclude(pk__in=[lesson.pk, *picked])
            .order_by("-views", "-id")
            .values_list("pk", flat=True)[: limit - len(picked)]
        )
        picked.extend(ids)
    return load(picked)


def paginate_ids(qs, number: int, size: int = 50):
    return Paginator(qs, size).get_page(number)
