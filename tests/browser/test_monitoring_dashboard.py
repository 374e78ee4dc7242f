"""The monitoring dashboard draws its charts under the strict CSP and exports one as PNG."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.browser.test_journeys import assert_no_problems
from tests.monitoring.conftest import catalog, lessons, otol_campaign, tree  # noqa: F401

pytestmark = pytest.mark.browser


def test_city_admin_sees_charts_and_exports_png(page, site, tree):  # noqa: F811
    login(page, site, "city")
    page.goto(site(f"/manage/monitoring/?campaign={tree.campaign.pk}"))
    expect(page.locator("#child-figures tr[data-unit]")).to_have_count(2)
    expect(page.locator("#chart-rank-participation canvas")).to_have_count(1)
    expect(page.locator("#chart-subjects canvas")).to_have_count(1)
    with page.expect_download() as download:
        page.locator("[data-png=chart-rank-participation]").click()
    assert download.value.suggested_filename == "chart-rank-participation.png"
    screenshot(page, "monitoring-dashboard")
    assert_no_problems(site)
