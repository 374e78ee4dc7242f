"""Whole anonymous library pages served from the cache before the rest of the stack runs.

A visitor without a session (no session or messages cookie, no Authorization header) who
asks for a lesson page gets the stored bytes of the page the view rendered last time for the
same address and language, as long as the library version (``cache_version.current``:
bumped on publish, unpublish, counter flushes, likes and ratings) has not moved since. One
cache round trip reads the version and the page together. The stored headers are those the
inner middleware and the view set (ETag, Cache-Control, Vary, CSP, X-Frame-Options, …); the
outer middleware (security headers, language, CSRF cookie) still runs on the early answer,
so it is byte-for-byte the page and the headers the full stack sends. A matching
If-None-Match answers 304.

The page carries a CSRF token (language switch form, htmx header): the view renders a
placeholder in its place, and every answer puts in a token of its own visitor's secret
(``get_token``, which also sets the cookie for a new visitor), so no visitor receives another
one's token. A signed-in person always has a session cookie and never reaches this path; the
view stores a page only when the request was eligible and its user anonymous.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response

from youke.library.domain import cache_version

# Addresses whose views opt in (``store``); others never cost a cache round trip.
PATHS = (re.compile(r"^/library/lessons/\d+/$"),)
PAGE_SECONDS = 3600
# Rendered where {% csrf_token %} / {{ csrf_token }} go in a page that will be stored.
CSRF_PLACEHOLDER = "yk-csrf-placeholder-3b1f0c9e"
# Set by the view's own middleware layers and by the server: never replayed from the store.
SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}
ELIGIBLE = "_youke_page_cache"
STORED = "_youke_page_cache_body"


def _key(request) -> str:
    text = f"{getattr(request, 'LANGUAGE_CODE', settings.LANGUAGE_CODE)}|{request.get_full_path()}"
    return "youke:library:page:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def eligible(request) -> bool:
    """May this request be answered from, or stored into, the anonymous page cache?"""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return any(p.match(request.path_info) for p in PATHS)


def wants_store(request) -> bool:
    """For the view: render this page with the CSRF placeholder and ``store`` it."""
    return getattr(request, ELIGIBLE, None) is not None and not request.user.is_authenticated


def store(request, response: HttpResponse) -> HttpResponse:
    """Mark a page rendered with the placeholder for storing, and give this visitor a real
    token in it."""
    body = response.content
    setattr(response, STORED, body)
    response.content = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response


class AnonymousPageCacheMiddleware:
    """Sits right after CsrfViewMiddleware (which reads the visitor's CSRF secret and sets
    the cookie on the way out); everything inside it is skipped on a hit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not eligible(request):
            return self.get_response(request)
        key = _key(request)
        found = cache.get_many([cache_version.CONTENT_KEY, cache_version.STATS_KEY, key])
        version = (found.get(cache_version.CONTENT_KEY), found.get(cache_version.STATS_KEY))
        if None in version:  # the cache was cleared: start the numbers again
            version = tuple(int(n) for n in cache_version.current().split("."))
        entry = found.get(key)
        if entry is not None and entry["version"] == list(version):
            request.get_host()  # a bad Host header still fails as on the full path
            return self._replay(request, entry)
        setattr(request, ELIGIBLE, key)
        response = self.get_response(request)
        body = getattr(response, STORED, None)
        if body is not None and response.status_code == 200:
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in SKIPPED_HEADERS
            ]
            cache.set(
                key,
                {"version": list(version), "headers": headers, "body": body},
                PAGE_SECONDS,
            )
        return response

    def _replay(self, request, entry) -> HttpResponse:
        headers = entry["headers"]
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        if etag and get_conditional_response(request, etag=etag) is not None:
            response = HttpResponseNotModified()
            for name, value in headers:
                if name.lower() != "content-type":
                    response[name] = value
            return response
        response = HttpResponse(status=200)
        for name, value in headers:
            response[name] = value
        response.content = entry["body"].replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
        return response
