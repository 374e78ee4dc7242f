"""The browser-test lines at the end of `make test`."""

from _pytest.reports import TestReport

from tests.conftest import browser_test_summary

REASON = "/usr/bin/chromium is not installed"


def report(nodeid, outcome, when="call", *, browser=True):
    longrepr = (
        ("tests/browser/conftest.py", 30, f"Skipped: {REASON}") if outcome == "skipped" else None
    )
    keywords = {"browser": 1} if browser else {}
    return TestReport(nodeid, ("x.py", 1, nodeid), keywords, outcome, longrepr, when)


def test_skipped_browser_tests_are_counted_with_the_reason_and_the_fix():
    stats = {
        "passed": [
            report("a", "passed", "setup"),
            report("a", "passed"),
            report("u", "passed", browser=False),
        ],
        "skipped": [report("b", "skipped", "setup"), report("c", "skipped", "setup")],
    }
    assert browser_test_summary(stats) == [
        "Browser tests: 2 skipped, reason: /usr/bin/chromium is not installed — "
        "on Debian: apt-get install -y chromium (README: Browser tests)"
    ]


def test_browser_tests_that_ran_are_counted():
    stats = {
        "passed": [report("a", "passed", "setup"), report("a", "passed")],
        "failed": [report("b", "failed")],
    }
    assert browser_test_summary(stats) == ["Browser tests: 2 ran in chromium, none skipped"]


def test_no_browser_tests_selected_says_nothing():
    assert browser_test_summary({"passed": [report("u", "passed", browser=False)]}) == []
