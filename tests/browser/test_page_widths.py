"""Pages fit their screens: the teacher's pages at 390 px, the inbox at 1366 px; charts draw."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.selection.conftest import lessons, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign, catalog  # noqa: F401  (fixtures)
from youke.core.actor import Actor
from youke.selection.domain.entries import decide

pytestmark = pytest.mark.browser

OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def fits(page) -> bool:
    scroll, client = page.evaluate(OVERFLOW)
    return scroll <= client


def test_teacher_pages_have_no_sideways_scroll_at_390(page, site, campaign, lessons):  # noqa: F811
    province = site.province
    entry = submitted(
        campaign, province.teacher_a, lessons[0], "圆的面积——一节很长的课题名称用来检验换行"
    )
    submitted(campaign, province.teacher_a, lessons[1], "分数的意义")
    decide(
        Actor(province.school_a_admin), entry, "returned", reason="视频缺少片头，请补充后重新提交"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, site, "teachera")
    expect(page.locator("#my-packages tbody tr")).to_have_count(2)
    expect(page.locator("#returned li")).to_have_count(1)
    for name, path in [
        ("dashboard", reverse("portal:dashboard")),
        ("my-submissions", reverse("portal:my_submissions")),
        ("package", reverse("portal:submission_detail", args=[entry.submission_id])),
    ]:
        page.goto(site(path))
        screenshot(page, f"teacher-390-{name}")
        assert fits(page), f"{name}: {page.evaluate(OVERFLOW)}"
    assert site.problems == []


def test_inbox_fits_1366_and_dashboard_charts_draw(page, site, campaign, lessons):  # noqa: F811
    province = site.province
    for i, title in enumerate(["分数的意义", "小数的加法", "圆的面积"]):
        submitted(campaign, province.teacher_a, lessons[i], title)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, site, "schoola")
    # The dashboard fetches its chart data; leaving before it arrives would abort it.
    page.wait_for_load_state("networkidle")
    page.goto(site(reverse("manage_selection:inbox") + f"?campaign={campaign.pk}"))
    expect(page.locator("#entry-table tbody tr")).to_have_count(3)
    screenshot(page, "inbox-1366")
    assert fits(page), page.evaluate(OVERFLOW)
    table = page.evaluate(
        "() => { const t = document.getElementById('entry-table');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; }"
    )
    assert table[0] <= table[1], table

    page.context.clear_cookies()
    login(page, site, "city")
    expect(page.locator("#todo [data-todo]").first).to_be_visible()
    for chart in ("chart-states", "chart-quota", "chart-review"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    screenshot(page, "dashboard-city-charts")
    assert fits(page)
    assert site.problems == []
