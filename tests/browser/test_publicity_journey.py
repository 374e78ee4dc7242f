"""The public 公示 page in a real browser (issue 14): a visitor pages, searches, downloads.

No log-in: the visitor finds the window on the public list, pages through 50 rows at a
time, searches by title and by school, and downloads the whole list as xlsx.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.public.conftest import grow, published  # noqa: F401  (fixture)
from tests.selection.conftest import lessons  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign, catalog  # noqa: F401  (fixtures)
from youke.core.domain import jobs
from youke.selection.domain import publicity_exports

pytestmark = pytest.mark.browser


def test_visitor_searches_pages_and_downloads(page, site, published, campaign, tmp_path):  # noqa: F811
    publicity, (_a, b, _c) = published
    grow(publicity, site.province, campaign, 60, title="几何")
    # Growing in bulk bypasses the domain; a real change makes a new version like this.
    publicity_exports.record_change(publicity.pk)
    publicity.refresh_from_db()
    jobs.run(publicity_exports.current_export(publicity).job_id)

    page.goto(site("/public/publicity/"))
    page.get_by_role("link", name=publicity.title).click()
    totals = page.locator("#publicity-totals")
    expect(totals).to_have_text("名单共 62 件作品 · 第 1 / 2 页")
    rows = page.locator("#publicity-entries tbody tr")
    expect(rows).to_have_count(50)

    page.get_by_role("link", name="下一页").click()
    expect(totals).to_have_text("名单共 62 件作品 · 第 2 / 2 页")
    expect(rows).to_have_count(12)
    expect(rows.first.locator("td").first).to_have_text("51")

    page.get_by_label("搜索").fill("乙课")
    page.get_by_role("button", name="搜索").click()
    expect(totals).to_have_text("搜索“乙课”：找到 1 件（名单共 62 件）")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-entry", str(b.pk))
    expect(rows.first).to_contain_text("东湖区实验小学")

    page.get_by_label("搜索").fill("几何")
    page.get_by_role("button", name="搜索").click()
    expect(totals).to_have_text("搜索“几何”：找到 60 件（名单共 62 件） · 第 1 / 2 页")
    page.get_by_role("link", name="下一页").click()
    expect(rows).to_have_count(10)
    expect(page.get_by_label("搜索")).to_have_value("几何")
    screenshot(page, "publicity-search-page-2")

    page.get_by_role("link", name="清除搜索").click()
    expect(totals).to_have_text("名单共 62 件作品 · 第 1 / 2 页")
    expect(page.locator("#publicity-downloads")).to_contain_text("下载完整名单 (Excel / PDF)")
    with page.expect_download() as waiting:
        page.locator("#download-xlsx").click()
    saved = tmp_path / "list.xlsx"
    waiting.value.save_as(saved)
    assert waiting.value.suggested_filename == f"{publicity.title}-v2.xlsx"
    workbook = load_workbook(saved, read_only=True)
    sheet = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    assert len(sheet) == 63 and sheet[0][:4] == ["序号", "课题", "学校", "教师"]
    assert sum(1 for row in sheet if row[1] == "乙课") == 1
    assert site.problems == []
