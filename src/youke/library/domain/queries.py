"""Filters shared by browsing, search and the API: one definition, SQL for both paths."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import connection
from django.db.models import QuerySet

from youke.library.enums import LessonState
from youke.library.models import LibraryLesson


@dataclass(frozen=True)
class Filters:
    node_path: str = ""
    stage: int | None = None
    subject: int | None = None
    edition: int | None = None
    volume: int | None = None
    category: str = ""
    award_level: str = ""
    year: int | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    def is_empty(self) -> bool:
        return not self.as_dict()


_EQUAL_COLUMNS = {
    "stage": "stage_id",
    "subject": "subject_id",
    "edition": "edition_id",
    "volume": "volume_id",
    "category": "category_name",
    "award_level": "award_level",
    "year": "year",
}


# A node at one of these levels is filtered by its own indexed column, which also serves the
# newest-first order; deeper nodes use the path range.
NODE_COLUMNS = {"stage": "stage", "subject": "subject", "edition": "edition", "volume": "volume"}


def node_filter(node) -> dict:
    """The ``Filters`` arguments that select everything under ``node``."""
    if node is None:
        return {}
    column = NODE_COLUMNS.get(node.level)
    return {column: node.pk} if column else {"node_path": node.path}


def published() -> QuerySet[LibraryLesson]:
    return LibraryLesson.objects.filter(state=LessonState.PUBLISHED)


def published_courses():
    from youke.library.models import LibraryCourse

    return LibraryCourse.objects.filter(state=LessonState.PUBLISHED)


def filtered(filters: Filters) -> QuerySet[LibraryLesson]:
    qs = published()
    if filters.node_path:
        qs = qs.filter(node_path__under=filters.node_path)
    for name, column in _EQUAL_COLUMNS.items():
        value = getattr(filters, name)
        if value not in (None, ""):
            qs = qs.filter(**{column: value})
    return qs


def where_sql(filters: Filters, alias: str = "l") -> tuple[str, list]:
    """The same conditions as ``filtered`` as a raw SQL fragment (for the FTS queries)."""
    parts = [f"{alias}.state = %s"]
    params: list = [LessonState.PUBLISHED]
    if filters.node_path:
        if connection.vendor == "postgresql":
            parts.append(f"{alias}.node_path LIKE %s")
            params.append(filters.node_path + "%")
        else:
            parts.append(f"{alias}.node_path >= %s AND {alias}.node_path < %s")
            params += [filters.node_path, filters.node_path + "~"]
    for name, column in _EQUAL_COLUMNS.items():
        value = getattr(filters, name)
        if value not in (None, ""):
            parts.append(f"{alias}.{column} = %s")
            params.append(value)
    return " AND ".join(parts), params


SORT_COLUMNS = {
    "newest": ("-published_at", "-id"),
    "views": ("-views", "-id"),
    # Ties of the average break by id: the index (state, -rating_avg, -id) then serves the
    # order without sorting the table.
    "rating": ("-rating_avg", "-id"),
}
SORT_SQL = {
    "newest": "l.published_at DESC, l.id DESC",
    "views": "l.views DESC, l.id DESC",
    "rating": "l.rating_avg DESC, l.id DESC",
}
