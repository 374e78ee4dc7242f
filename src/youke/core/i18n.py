"""The JavaScript message catalog (``djangojs``) as a static-like script under the strict CSP.

The language is part of the URL (``/jsi18n/<language>/``, written by the base template from
the page's language), so a browser or proxy cache can never hand one language's catalog to a
page in another. The response is cached server side and carries Last-Modified (the newest
compiled catalog), so browsers revalidate with a cheap 304.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.views.decorators.cache import cache_page
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

CACHE_SECONDS = 24 * 3600
STARTED = timezone.now().replace(microsecond=0)


def catalog_stamp() -> datetime.datetime:
    """When the compiled catalogs last changed (process start if none is compiled)."""
    times = [
        path.stat().st_mtime
        for folder in settings.LOCALE_PATHS
        for path in Path(folder).glob("*/LC_MESSAGES/djangojs.mo")
    ]
    if not times:
        return STARTED
    return datetime.datetime.fromtimestamp(int(max(times)), tz=datetime.UTC)


class CatalogView(JavaScriptCatalog):
    def get(self, request, *args, language: str = "", **kwargs):
        if language not in dict(settings.LANGUAGES):
            raise Http404("language")
        with translation.override(language):
            return super().get(request, *args, **kwargs)


# The key prefix changes with the compiled catalogs: a deploy with new translations is never
# answered from the old cache entry.
def _cached(view):
    def wrapped(request, *args, **kwargs):
        prefix = f"jsi18n-{int(catalog_stamp().timestamp())}"
        return cache_page(CACHE_SECONDS, key_prefix=prefix)(view)(request, *args, **kwargs)

    return wrapped


# Last-Modified outside the cache: a browser's revalidation is answered 304 before the cache
# or the view is asked at all.
javascript_catalog = last_modified(lambda request, **kwargs: catalog_stamp())(
    _cached(CatalogView.as_view())
)
