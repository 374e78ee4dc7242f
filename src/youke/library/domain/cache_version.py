"""Numbers that change whenever what anonymous pages show may have changed.

``content`` changes on publish and unpublish: the filter menus and the catalog tree's counts
depend only on it. ``current`` also changes on counter flushes, likes and ratings: result
lists, lesson pages, ETags and API answers carry it. Keys carry the numbers, so nothing stale
is served and nothing needs deleting.
"""

from django.core.cache import cache

CONTENT_KEY = "youke:library:version:content"
STATS_KEY = "youke:library:version:stats"


def _get(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, None)
        value = cache.get(key) or 1
    return int(value)


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 2, None)


def content() -> int:
    return _get(CONTENT_KEY)


def current() -> str:
    values = cache.get_many([CONTENT_KEY, STATS_KEY])
    if len(values) < 2:
        return f"{content()}.{_get(STATS_KEY)}"
    return f"{values[CONTENT_KEY]}.{values[STATS_KEY]}"


def bump() -> None:
    """Publish or unpublish: everything changes."""
    _incr(CONTENT_KEY)


def bump_stats() -> None:
    """Counters, likes, ratings: lists and lesson pages change, menus and tree do not."""
    _incr(STATS_KEY)
