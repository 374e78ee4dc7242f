"""The rows of a published list (公示名单), read as plain values.

One function feeds the public page, the whole-list downloads and the API, so they always
show the same entries in the same order. Rows are dictionaries built from ``.values()``:
a 5,000-entry list costs a few queries and no model objects.

What a row shows is what a 公示 notice shows: title, school, the teacher and co-authors
(named in the package, in their order), course node, category, the list's level, and
whether an objection against the entry is being checked or was found unfounded. An upheld
objection withdraws the entry, so it leaves the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from youke.selection.enums import EntryState, ObjectionState
from youke.selection.models import LevelEntry, Objection, Publicity
from youke.submissions.models import CoAuthor

PAGE_SIZE = 50
QUERY_MAX_LENGTH = 50

_FIELDS = {
    "title": "submission__title",
    "school": "submission__unit__name",
    "teacher": "submission__teacher__full_name",
    "node_code": "submission__node__code",
    "node_name": "submission__node__name",
    "category": "submission__category__name",
}


def headers() -> list[str]:
    """Column titles of the downloads, in ``as_cells`` order."""
    return [
        _("序号"),
        _("课题"),
        _("学校"),
        _("教师"),
        _("课程节点编号"),
        _("课程节点"),
        _("类别"),
        _("级别"),
        _("异议情况"),
    ]


def _values(entries: QuerySet[LevelEntry]) -> QuerySet:
    return entries.values("id", "submission_id", **{k: F(v) for k, v in _FIELDS.items()})


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    number: int
    pages: int
    count: int  # rows matching the search
    total: int  # rows on the whole list

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0


def normalise_query(text: str | None) -> str:
    return " ".join((text or "").split())[:QUERY_MAX_LENGTH]


def _entries(publicity: Publicity) -> QuerySet[LevelEntry]:
    # Served by the (level, unit, state) index.
    return LevelEntry.objects.filter(
        level_id=publicity.level_id, unit_id=publicity.unit_id, state=EntryState.RECOMMENDED
    )


def _matching(publicity: Publicity, query: str) -> QuerySet[LevelEntry]:
    """Entries whose title, school, teacher or a co-author contains ``query`` (substring)."""
    entries = _entries(publicity)
    if not query:
        return entries
    coauthor = CoAuthor.objects.filter(
        submission_id=OuterRef("submission_id"), person__full_name__icontains=query
    )
    return entries.filter(
        Q(submission__title__icontains=query)
        | Q(submission__unit__name__icontains=query)
        | Q(submission__teacher__full_name__icontains=query)
        | Exists(coauthor)
    )


def _ordered(entries: QuerySet[LevelEntry]) -> QuerySet[LevelEntry]:
    return entries.order_by("submission__unit__path", "submission__node__path", "pk")


def _objection_labels(publicity: Publicity, entry_ids: list[int] | None) -> dict[int, str]:
    """Per entry: an open objection is "being checked", else a rejected one "unfounded"."""
    objections = Objection.objects.filter(
        publicity=publicity, state__in=[ObjectionState.OPEN, ObjectionState.REJECTED]
    )
    if entry_ids is not None:
        objections = objections.filter(entry_id__in=entry_ids)
    states: dict[int, set[str]] = {}
    for entry_id, state in objections.order_by().values_list("entry_id", "state").distinct():
        states.setdefault(entry_id, set()).add(state)
    return {
        entry_id: _("异议核实中") if ObjectionState.OPEN in found else _("异议不成立")
        for entry_id, found in states.items()
    }


def _complete(publicity: Publicity, raw: list[dict], *, whole: bool) -> list[dict]:
    """Add co-authors, the level and objection labels to raw value rows (two queries)."""
    ids = None if whole else [row["id"] for row in raw]
    submission_ids = None if whole else [row["submission_id"] for row in raw]
    coauthors: dict[int, list[str]] = {}
    names = CoAuthor.objects.order_by("submission_id", "order", "pk")
    if submission_ids is None:
        names = names.filter(submission__level_entries__in=_entries(publicity))
    else:
        names = names.filter(submission_id__in=submission_ids)
    for submission_id, name in names.values_list("submission_id", "person__full_name"):
        coauthors.setdefault(submission_id, []).append(name)
    labels = _objection_labels(publicity, ids)
    level = publicity.level.name
    for row in raw:
        row["teachers"] = "、".join([row["teacher"], *coauthors.get(row["submission_id"], [])])
        row["node"] = f"{row['node_code']} {row['node_name']}"
        row["level"] = level
        row["objection"] = labels.get(row["id"], "")
    return raw


def total(publicity: Publicity) -> int:
    return _entries(publicity).count()


def page(publicity: Publicity, number: int = 1, query: str = "") -> Page:
    """One page of ``PAGE_SIZE`` rows, optionally searched; a page past the end is the last."""
    query = normalise_query(query)
    whole = total(publicity)
    count = _matching(publicity, query).count() if query else whole
    pages = max(1, -(-count // PAGE_SIZE))
    number = min(max(1, number), pages)
    offset = (number - 1) * PAGE_SIZE
    raw = list(_values(_ordered(_matching(publicity, query)))[offset : offset + PAGE_SIZE])
    return Page(_complete(publicity, raw, whole=False), number, pages, count, whole)


def all_rows(publicity: Publicity) -> list[dict]:
    """Every row of the list in page order (downloads and the API detail)."""
    raw = list(_values(_ordered(_entries(publicity))))
    return _complete(publicity, raw, whole=True)


def as_cells(index: int, row: dict) -> list:
    """One row of the downloads, in ``headers()`` order."""
    return [
        index,
        row["title"],
        row["school"],
        row["teachers"],
        row["node_code"],
        row["node_name"],
        row["category"],
        row["level"],
        row["objection"],
    ]
