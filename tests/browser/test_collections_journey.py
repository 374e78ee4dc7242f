"""Collections journey (issue 11 item 5): the city sends a contact-sheet collection, a county
fills it (a wrong mobile is kept in the draft and named), uploads the scan and confirms; the
city sees who is missing and reminds only them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.browser.test_journeys import assert_no_problems
from tests.collections.conftest import PDF
from youke.collections.models import CollectionReturn, CollectionTask
from youke.notifications.models import Notification

pytestmark = pytest.mark.browser


def test_contact_sheet_journey(page, site, tmp_path):
    province = site.province
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    login(page, site, "city")
    page.goto(site("/manage/collections/new/"))
    page.fill("input[name=title]", "关于报送联系表的通知")
    page.select_option("select[name=kind]", "contact_sheet")
    page.fill("input[name=deadline]", deadline)
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="发布并通知报送单位").click()
    expect(page.locator("#task-state")).to_have_text("报送中")
    task = CollectionTask.objects.get()
    row = CollectionReturn.objects.get(task=task, unit=province.county_a)

    page.context.clear_cookies()
    login(page, site, "countya")
    page.goto(site("/manage/collections/"))
    page.locator(f"#to-fill tr[data-return='{row.pk}'] a").click()
    for role in ("leader", "contact", "admin"):
        page.fill(f"input[name={role}-name]", f"{role}姓名")
        page.select_option(f"select[name={role}-gender]", "female")
        page.fill(f"input[name={role}-position]", "科长")
        page.fill(f"input[name={role}-department]", "电教馆")
        page.fill(f"input[name={role}-office_phone]", "0379-63210000")
        page.fill(f"input[name={role}-mobile]", "13912345678")
        page.fill(f"input[name={role}-email]", f"{role}@edu.example.cn")
    page.fill("input[name=leader-mobile]", "139")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("input[name=leader-mobile]")).to_have_value("139")
    expect(page.locator("#contact-form")).to_contain_text("手机号应为 11 位数字")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("input[type=file][name=file]", str(scan))
    page.get_by_role("button", name="上传扫描件").click()
    expect(page.locator("#scan-link")).to_be_visible()
    page.fill("input[name=leader-mobile]", "13912345678")
    page.get_by_role("button", name="确认报送").click()
    expect(page.locator("#return-status")).to_have_text("已报送待审")

    page.context.clear_cookies()
    login(page, site, "city")
    page.goto(site(f"/manage/collections/{task.pk}/"))
    expect(page.locator("#returns tr[data-status=submitted]")).to_have_count(1)
    expect(page.locator("#returns tr[data-status=pending]")).to_have_count(1)
    Notification.objects.all().delete()
    page.get_by_role("button", name="提醒未报送的单位（1 个）").click()
    expect(page.locator("body")).to_contain_text("已提醒 1 个尚未报送的单位")
    assert list(Notification.objects.values_list("person__username", flat=True)) == ["countyb"]
    screenshot(page, "collections-task")
    assert_no_problems(site)
