"""Ranked Chinese search over SQLite FTS5 or PostgreSQL full-text search.

Both backends index the same pre-segmented columns (``segment.index_columns``). A query is
folded and segmented the same way, then:

- Latin letters only → pinyin: full pinyin or initials, as a prefix ("yuanzhou" finds 圆周率);
- one or two Han characters → the title's character grams;
- otherwise every word must match (title, body or grams); when that finds fewer than a page,
  lessons matching any word or character pair follow.

Order: title matches first, then the backend's rank (bm25 / ts_rank with the title weighted
above the description), then views as the tie-break. A sort other than relevance replaces
the rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection

from youke.library.domain import segment
from youke.library.domain.queries import SORT_SQL, Filters, where_sql

MAX_QUERY = 50
# Matches are counted up to this many (the pages a visitor can reach: ``browse.MAX_RESULTS``);
# more shows as "2000+".
COUNT_CAP = 2000
FTS_TABLE = "library_fts"
# PostgreSQL: the indexed expression (migration 0002 builds a GIN index on exactly this).
PG_VECTOR = (
    "(setweight(to_tsvector('simple', l.search_title), 'A')"
    " || setweight(to_tsvector('simple', l.search_pinyin), 'A')"
    " || setweight(to_tsvector('simple', l.search_grams), 'B')"
    " || setweight(to_tsvector('simple', l.search_body), 'D'))"
)
PG_TITLE_VECTOR = (
    "(to_tsvector('simple', l.search_title) || to_tsvector('simple', l.search_pinyin)"
    " || to_tsvector('simple', l.search_grams))"
)


@dataclass
class Plan:
    """What a query becomes: the term groups to match and the words to highlight."""

    text: str
    all_terms: list[str] = field(default_factory=list)  # every one must match
    any_terms: list[str] = field(default_factory=list)  # fallback: one is enough
    prefix: str = ""  # pinyin prefix
    short: bool = False  # one or two characters: title words first, then any title holding them
    highlight: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.all_terms or self.any_terms or self.prefix)


def plan(query: str) -> Plan:
    text = re.sub(r"\s+", " ", (query or "").strip())[:MAX_QUERY]
    result = Plan(text=text)
    if not text:
        return result
    segment.ensure_dictionary()
    if segment.is_pinyin_query(text):
        result.prefix = segment.pinyin_query(text)
        return result
    if segment.short_query(text):
        folded = re.sub(r"\s+", "", segment.fold(text))
        result.all_terms = [folded]
        result.highlight = [folded]
        result.short = True
        return result
    main = [w for w in segment.precise_words(text) if w not in segment.STOPWORDS]
    result.all_terms = main
    result.any_terms = list(
        dict.fromkeys(segment.query_words(text) + [g for g in segment.grams(text) if len(g) == 2])
    )
    result.highlight = sorted(set(main + segment.query_words(text)), key=len, reverse=True)
    return result


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _pg_quote(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


def _match(p: Plan, mode: str) -> str:
    """The FTS5 MATCH expression (SQLite) for ``mode`` all / any / title."""
    if p.prefix:
        return f"search_pinyin : {_quote(p.prefix)}*"
    terms = p.all_terms if mode in ("all", "title") else p.any_terms
    if not terms:
        return ""
    if mode == "title":
        # A short query is a title *word* ("钠"), not any title holding the character.
        columns = "search_title" if p.short else "{search_title search_pinyin search_grams}"
    else:
        columns = ""
    joiner = " OR " if mode == "any" else " AND "
    body = joiner.join(_quote(t) for t in terms)
    return f"{columns} : ({body})" if columns else f"({body})"


def _tsquery(p: Plan, mode: str) -> str:
    if p.prefix:
        return _pg_quote(p.prefix) + ":*"
    terms = p.all_terms if mode in ("all", "title") else p.any_terms
    joiner = " | " if mode == "any" else " & "
    return joiner.join(_pg_quote(t) for t in terms)


def _run(p: Plan, mode: str, filters: Filters, sort: str, offset: int, limit: int, exclude=()):
    where, params = where_sql(filters)
    order_extra = SORT_SQL.get(sort)
    if connection.vendor == "postgresql":
        q = _tsquery(p, mode)
        if not q:
            return [], 0
        base = f"FROM library_librarylesson l WHERE {PG_VECTOR} @@ to_tsquery('simple', %s) AND {where}"
        base_params = [q, *params]
        if exclude:
            base += f" AND l.id NOT IN ({','.join(['%s'] * len(exclude))})"
            base_params += list(exclude)
        title_vector = "to_tsvector('simple', l.search_title)" if p.short else PG_TITLE_VECTOR
        order = order_extra or (
            f"({title_vector} @@ to_tsquery('simple', %s)) DESC,"
            f" ts_rank({PG_VECTOR}, to_tsquery('simple', %s)) DESC, l.views DESC, l.id DESC"
        )
        order_params = [] if order_extra else [q, q]
    else:
        match = _match(p, mode)
        if not match:
            return [], 0
        base = (
            # CROSS JOIN keeps the full-text match as the outer loop: SQLite's planner may
            # otherwise walk a lesson index on state and probe the FTS table per row.
            f"FROM {FTS_TABLE} f CROSS JOIN library_librarylesson l ON l.id = f.rowid"
            f" WHERE {FTS_TABLE} MATCH %s AND {where}"
        )
        base_params = [match, *params]
        if exclude:
            base += f" AND l.id NOT IN ({','.join(['%s'] * len(exclude))})"
            base_params += list(exclude)
        title_match = _match(p, "title") if mode != "any" else ""
        if order_extra:
            order, order_params = order_extra, []
        elif title_match:
            order = (
                f"(f.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)) DESC,"  # noqa: S608
                f" bm25({FTS_TABLE}, 10.0, 1.0, 8.0, 4.0), l.views DESC, l.id DESC"
            )
            order_params = [title_match]
        else:
            order = f"bm25({FTS_TABLE}, 10.0, 1.0, 8.0, 4.0), l.views DESC, l.id DESC"
            order_params = []
    with connection.cursor() as cursor:
        # Counted up to the cap: past it nobody pages on, and a common word's full count
        # (100,000 rows) cost more than the ranked page itself.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) AS counted",  # noqa: S608
            [*base_params, COUNT_CAP + 1],
        )
        total = cursor.fetchone()[0]
        if limit <= 0 or offset >= total:
            return [], total
        cursor.execute(
            f"SELECT l.id {base} ORDER BY {order} LIMIT %s OFFSET %s",
            [*base_params, *order_params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()], total


@dataclass
class Found:
    ids: list[int]
    total: int  # at most COUNT_CAP
    plan: Plan
    more: bool = False  # more than COUNT_CAP match


def _found(ids: list[int], total: int, p: Plan) -> Found:
    return Found(ids, min(total, COUNT_CAP), p, more=total > COUNT_CAP)


def search(
    query: str, filters: Filters, *, sort: str = "relevance", offset: int = 0, limit: int = 20
) -> Found:
    """One page of matching lesson ids, best first, and how many match (up to COUNT_CAP;
    ``more`` says there are more)."""
    p = plan(query)
    if p.empty:
        return Found([], 0, p)
    ids, total = _run(p, "all", filters, sort, offset, limit)
    if p.any_terms and not p.prefix and (len(p.all_terms) > 1 or p.any_terms != p.all_terms):
        # Fewer than a page of exact matches: lessons sharing some words follow them.
        if total < offset + limit:
            exact_total = total
            exact_ids = _run(p, "all", filters, sort, 0, exact_total)[0] if exact_total else []
            more_offset = max(0, offset - exact_total)
            more, more_total = _run(
                p, "any", filters, sort, more_offset, limit - len(ids), exclude=exact_ids
            )
            ids = ids + more
            total = exact_total + more_total
        elif total <= COUNT_CAP:
            _, more_total = _run(p, "any", filters, sort, 0, 0)
            total = max(total, more_total)
    return _found(ids, total, p)
