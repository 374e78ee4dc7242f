"""/api/v1/docs works offline and under the site's strict CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.browser import conftest as browser_fixtures
from youke.core.middleware import CSP

# The Playwright fixtures of tests/browser, reused for this one page.
browser = browser_fixtures.browser
site = browser_fixtures.site
page = browser_fixtures.page


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        self._in_script = tag == "script"
        assert "style" not in attrs, f"inline style on <{tag}>"

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        self._in_script = False


@pytest.mark.django_db
def test_docs_page_references_only_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP
    parser = _References()
    parser.feed(response.content.decode())
    assert parser.urls == [
        "/static/core/favicon.svg",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/api/docs.js",
    ]
    assert parser.inline_scripts == 0
    assert re.search(rb"https?://|//cdn", response.content) is None


@pytest.mark.browser
def test_docs_render_the_operations_in_chromium(page, site, client):
    schema = client.get("/api/v1/openapi.json").json()
    expected = sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete", "head"}
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(site("/api/v1/docs"))
    page.locator(".opblock").first.wait_for()
    # From 150 tags and operations on, Swagger UI renders only the rows in view: scroll the
    # page to the end and collect what each screen shows.
    seen: set[tuple[str, str | None]] = set()
    while True:
        seen.update(
            (
                block.locator(".opblock-summary-method").inner_text().strip(),
                block.locator(".opblock-summary-path").get_attribute("data-path"),
            )
            for block in page.locator(".opblock").all()
        )
        before = page.evaluate("window.scrollY")
        page.evaluate("window.scrollBy(0, window.innerHeight / 2)")
        page.wait_for_timeout(150)
        if page.evaluate("window.scrollY") == before:
            break
    shown = sorted(seen)
    browser_fixtures.screenshot(page, "api-docs")

    assert page.title() == "youke API · 接口文档"
    assert ("GET", "/api/v1/health") in shown
    assert shown == expected
    assert [url for url in requested if not url.startswith(site.url)] == []
    assert site.problems == []  # CSP violations are console errors
