"""Browser fixtures: one headless Debian chromium per module, a fresh context per test.

The site runs in pytest-django's ``live_server`` (a thread of this process that also serves
/static/ from the app folders), on a transactional database holding the ``province``.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.factories import PASSWORD

# Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM calls
# made by the test itself would otherwise refuse to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Site:
    """The running site plus what the browser reported while a test used it."""

    url: str
    province: object
    problems: list[str] = field(default_factory=list)

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def site(transactional_db, live_server, province) -> Iterator[Site]:
    # ``live_server`` makes ``province``'s ``db`` transactional, so the server thread sees it.
    yield Site(url=live_server.url, province=province)
    # The page's context is closed by now, but the server may still be answering a request
    # the browser had made (a video segment, say). The database is emptied next; emptying it
    # under a request that holds table locks deadlocks on PostgreSQL.
    _wait_for_server_requests_to_end()


def _wait_for_server_requests_to_end(timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        serving = [t for t in threading.enumerate() if "process_request_thread" in t.name]
        if not serving and not _other_sessions_busy():
            return
        time.sleep(0.05)


def _other_sessions_busy() -> bool:
    """Whether another connection to the test database is in a query or a transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state <> 'idle'"
        )
        return cursor.fetchone()[0] > 0


def _is_cancelled_by_the_page(url: str, failure: str) -> bool:
    """An abort the page itself chose; a server failure still shows as an HTTP status."""
    if "ERR_ABORTED" not in failure:
        return False
    # The pre-check reads a video's metadata from an object URL and then revokes it.
    # Chromium's PDF viewer (an inline PDF beside the player) loads from its own extension
    # and leaving the page aborts that load. hls.js cancels a playlist or segment load when
    # it switches rendition or the page is left.
    return url.startswith(("blob:", "chrome-extension://", "chrome://")) or "/hls/" in url


@pytest.fixture
def page(browser, site: Site) -> Iterator:
    """A page in a new zh-CN context; failed requests and JS errors land in site.problems."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda exc: site.problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not _is_favicon(msg.location.get("url", ""))
            and site.problems.append(f"console: {msg.text}")
        ),
    )
    page.on(
        "requestfailed",
        lambda req: (
            not _is_favicon(req.url)
            and not _is_cancelled_by_the_page(req.url, req.failure or "")
            and site.problems.append(f"request failed: {req.url} {req.failure}")
        ),
    )
    page.on(
        "response",
        lambda resp: (
            resp.status >= 400
            and not _is_favicon(resp.url)
            and site.problems.append(f"HTTP {resp.status}: {resp.url}")
        ),
    )
    yield page
    context.close()


def _is_favicon(url: str) -> bool:
    """The browser fetches the icon on its own and drops it when the page navigates on."""
    path = url.split("?", 1)[0]
    return path.endswith(("/favicon.ico", "/favicon.svg"))


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-results/ for a human to look at."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / (re.sub(r"[^\w.-]+", "-", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, site: Site, username: str, password: str = PASSWORD) -> None:
    """Fill and submit the log-in form the way a person does."""
    page.goto(site("/accounts/login/"))
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the POST answers with the form again or a redirect
        page.get_by_role("button", name="登录").click()
    # An admin's dashboard fetches its chart data; let it arrive before the test moves on.
    page.wait_for_load_state("networkidle")
