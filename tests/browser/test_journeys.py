"""End-to-end journeys in a real browser: log-in, unit tree, people, catalog, import, password.

Every journey asserts exact visible Chinese text or element state and saves a screenshot to
test-results/ so a human can look at the pages.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, make_catalog_path, make_person, valid_id_card
from youke.core.domain import jobs
from youke.orgs.enums import Role

pytestmark = pytest.mark.browser

DASHBOARD_ROLES = {
    "admin": "平台管理员 · 全平台",
    "prov": "单位管理员 · 示范省",
    "city": "单位管理员 · 青山市",
    "countya": "单位管理员 · 东湖区",
    "schoola": "单位管理员 · 东湖区实验小学",
    "teachera": "教师 · 东湖区实验小学",
    "expert": "评审专家 · 青山市",
    "research": "教研人员 · 东湖区",
}


def open_menu(page, label: str) -> None:
    """Admin pages sit in navbar dropdowns; open one before clicking its link."""
    page.locator("#mainnav").get_by_role("button", name=label).or_(
        page.locator("#mainnav").get_by_role("link", name=label, exact=True)
    ).first.click()


def assert_no_problems(site) -> None:
    """No JS errors, failed requests or error responses while the journey ran."""
    assert site.problems == []


@pytest.mark.parametrize("username", list(DASHBOARD_ROLES))
def test_login_lands_on_dashboard_with_role(page, site, username):
    login(page, site, username)

    expect(page).to_have_url(site("/dashboard/"))
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("#dashboard-role")).to_have_text(DASHBOARD_ROLES[username])
    # The static files really loaded: htmx is defined and bootstrap styles the navbar.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.bootstrap") == "object"
    navbar_bg = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert navbar_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, f"login-{username}-dashboard")
    assert_no_problems(site)


def test_wrong_password_shows_chinese_error(page, site):
    login(page, site, "countya", "not-the-password")

    expect(page).to_have_url(site("/accounts/login/"))
    expect(page.get_by_role("alert")).to_have_text(
        "用户名/手机号或密码不正确，请重新输入。忘记密码请联系本单位管理员重置。"
    )
    expect(page.locator("input[name=login]")).to_have_value("countya")
    expect(page.locator("nav.navbar")).to_have_count(0)
    screenshot(page, "login-wrong-password")
    assert_no_problems(site)


def test_county_admin_walks_the_unit_tree(page, site):
    login(page, site, "countya")
    open_menu(page, "组织与人员")
    page.get_by_role("link", name="组织机构", exact=True).click()
    expect(page).to_have_url(site("/manage/units/"))
    expect(page.locator("h1")).to_have_text("组织机构")
    expect(page.locator("#unit-table")).not_to_contain_text("西岭县")

    page.get_by_role("link", name="进入 东湖区", exact=True).click()

    expect(page).to_have_url(site(f"/manage/units/{site.province.county_a.pk}/"))
    expect(page.locator("#unit-name")).to_have_text("东湖区")
    children = page.locator("#children-table tbody tr")
    expect(children).to_have_count(1)
    expect(children.first.locator("td").first).to_have_text("东湖区实验小学")
    expect(page.locator("#children-table")).not_to_contain_text("西岭县第一中学")
    screenshot(page, "units-county-a")
    assert_no_problems(site)


def test_county_admin_sees_only_own_teachers(page, site):
    login(page, site, "countya")
    open_menu(page, "组织与人员")
    page.get_by_role("link", name="人员与角色", exact=True).click()

    expect(page).to_have_url(site("/manage/people/"))
    table = page.locator("#person-table")
    expect(table.get_by_role("link", name="王老师", exact=True)).to_be_visible()
    expect(table).not_to_contain_text("李老师")
    expect(table).not_to_contain_text("西岭县")
    screenshot(page, "people-county-a")
    assert_no_problems(site)


def test_catalog_lazy_tree_and_search(page, site):
    primary = make_catalog_path()
    make_catalog_path(("初中", "语文", "统编版", "七年级上册", "第一单元", "春"))
    stage, subject, edition = primary[:3]

    login(page, site, "teachera")
    open_menu(page, "资源库")
    page.get_by_role("link", name="课程目录", exact=True).click()
    expect(page).to_have_url(site("/catalog/"))
    tree = page.locator("#catalog-tree")
    expect(tree.locator(":scope > li")).to_have_count(2)
    stage_children = page.locator(f"#children-{stage.pk}")
    expect(stage_children.locator("li")).to_have_count(0)  # nothing until asked for

    tree.get_by_role("button", name="▸ 小学").click()
    expect(stage_children.locator(":scope > li")).to_have_count(1)
    expect(stage_children).to_contain_text("数学")
    expect(stage_children).to_contain_text("学科")
    expect(stage_children).to_contain_text(subject.code)

    stage_children.get_by_role("button", name="▸ 数学").click()
    subject_children = page.locator(f"#children-{subject.pk}")
    expect(subject_children.get_by_role("button", name="▸ 人教版")).to_be_visible()
    expect(subject_children).to_contain_text(edition.code)
    expect(tree).not_to_contain_text("三年级上册")  # one level per click
    screenshot(page, "catalog-tree-expanded")

    page.get_by_role("searchbox").fill("秒")
    page.get_by_role("button", name="搜索").click()

    expect(page).to_have_url(re.compile(r"/catalog/\?q=%E7%A7%92$"))
    expect(page.get_by_text("找到 2 个节点")).to_be_visible()
    results = page.locator("#catalog-results > li")
    expect(results).to_have_count(2)
    expect(results.locator("strong")).to_have_text(["第一单元 时、分、秒", "秒的认识"])
    expect(results.nth(1).locator(".text-muted")).to_have_text(
        "小学 › 数学 › 人教版 › 三年级上册 › 第一单元 时、分、秒 ›"
    )
    expect(page.locator("#catalog-results")).not_to_contain_text("初中")
    screenshot(page, "catalog-search")
    assert_no_problems(site)


def teacher_workbook(path, school_code: str) -> None:
    """Three good teachers and, on spreadsheet row 5, one with a malformed mobile."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机号", "身份证号", "学校代码", "称号", "电子邮箱"])
    sheet.append(
        ["张一", "13911110001", valid_id_card(101), school_code, "骨干教师", "zhang1@example.com"]
    )
    sheet.append(["张二", "13911110002", "", school_code, "", ""])
    sheet.append(["张三", "13911110003", valid_id_card(103), school_code, "名师", ""])
    sheet.append(["张四", "123", "", school_code, "", ""])
    book.save(path)


def test_teacher_import_shows_progress_and_row_errors(page, site, tmp_path):
    workbook = tmp_path / "teachers.xlsx"
    school = site.province.school_a
    teacher_workbook(workbook, school.code)

    login(page, site, "countya")
    open_menu(page, "组织与人员")
    page.get_by_role("link", name="导入导出", exact=True).click()
    expect(page).to_have_url(site("/manage/imports/"))
    form = page.locator("#import-teachers")
    form.locator("input[name=school_code]").fill(school.code)
    form.locator("input[name=file]").set_input_files(str(workbook))
    form.get_by_role("button", name="开始导入").click()

    expect(page).to_have_url(re.compile(r"/manage/jobs/\d+/$"))
    expect(page.locator("h1")).to_have_text("任务进度")
    progress = page.locator("#job-progress")
    expect(progress).to_have_attribute("data-state", "succeeded", timeout=15_000)
    expect(page.locator("#job-state")).to_have_text("已完成")
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "100")
    assert page.locator("#job-progress-bar").evaluate("el => el.value") == 100
    expect(progress).to_contain_text("已处理 4 / 4 行")
    message = page.locator("#job-message")
    expect(message).to_contain_text("新增 3 条")
    expect(message).to_contain_text("1 行有错误")
    expect(message).to_have_text("导入完成：新增 3 条，更新 0 条，1 行有错误未导入。")
    rows = page.locator("#job-errors tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("5")
    expect(cells.nth(1)).to_have_text("手机号")
    expect(cells.nth(2)).not_to_be_empty()
    screenshot(page, "import-teachers-job")

    open_menu(page, "组织与人员")
    page.get_by_role("link", name="人员与角色", exact=True).click()
    table = page.locator("#person-table")
    for name in ("张一", "张二", "张三"):
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(table).not_to_contain_text("张四")
    assert_no_problems(site)


def test_job_page_polls_until_the_job_finishes(page, site, tmp_path, monkeypatch):
    """With the job held in the queue, htmx polls the progress fragment until it is done."""
    workbook = tmp_path / "teachers.xlsx"
    teacher_workbook(workbook, site.province.school_a.code)
    queued: list[int] = []
    monkeypatch.setattr(jobs, "_enqueue", queued.append)  # keep it queued, run it below
    polls: list[str] = []

    def on_poll(route):
        polls.append(route.request.url)
        route.continue_()

    page.route(re.compile(r"/manage/jobs/\d+/progress/$"), on_poll)
    login(page, site, "countya")
    page.goto(site("/manage/imports/"))
    form = page.locator("#import-teachers")
    form.locator("input[name=file]").set_input_files(str(workbook))
    form.get_by_role("button", name="开始导入").click()

    expect(page).to_have_url(re.compile(r"/manage/jobs/\d+/$"))
    progress = page.locator("#job-progress")
    expect(progress).to_have_attribute("data-state", "queued")
    expect(page.locator("#job-state")).to_have_text("排队中")
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "0")
    screenshot(page, "job-queued")
    # The page keeps polling while the job waits; run it only now (a loaded machine may be
    # slow to render, and the queued state must be seen first).
    expect(page.locator("#job-progress")).to_have_attribute("data-state", "queued")
    page.wait_for_timeout(1_500)
    assert polls, "the queued job page polls its progress"
    jobs.run(queued[0])

    expect(progress).to_have_attribute("data-state", "succeeded", timeout=15_000)
    assert len(queued) == 1
    assert set(polls) == {site(f"/manage/jobs/{queued[0]}/progress/")}
    expect(page.locator("#job-state")).to_have_text("已完成")
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "100")
    expect(page.locator("#job-message")).to_have_text(
        "导入完成：新增 3 条，更新 0 条，1 行有错误未导入。"
    )
    expect(page.locator("#job-errors tbody tr")).to_have_count(1)
    expect(progress).not_to_have_attribute("hx-get", re.compile(".*"))
    finished_polls = len(polls)
    page.wait_for_timeout(1_200)  # a finished job is not polled again
    assert len(polls) == finished_polls
    screenshot(page, "job-polled-to-success")
    assert_no_problems(site)


def test_forced_password_change_before_dashboard(page, site):
    person = make_person(
        site.province.school_a,
        Role.TEACHER,
        username="newteacher",
        full_name="孙老师",
        must_change_password=True,
    )
    new_password = "Qingshan-Spring-2026"

    login(page, site, person.username)
    expect(page).to_have_url(site("/accounts/password/"))
    expect(page.locator("h1")).to_have_text("修改密码")
    expect(page.get_by_text("这是您的初始密码或管理员重置的临时密码")).to_be_visible()
    expect(page.locator("nav.navbar")).to_have_count(0)

    page.goto(site("/dashboard/"))  # still blocked until the password is changed
    expect(page).to_have_url(site("/accounts/password/"))

    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password]", new_password)
    page.fill("input[name=new_password2]", new_password)
    screenshot(page, "password-change-form")
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(site("/dashboard/"))
    expect(page.get_by_role("alert")).to_have_text("密码已修改。")
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("#dashboard-role")).to_have_text("教师 · 东湖区实验小学")
    person.refresh_from_db()
    assert person.must_change_password is False
    assert person.check_password(new_password)
    screenshot(page, "password-changed-dashboard")
    assert_no_problems(site)


def test_navbar_fits_one_line_at_1280_for_a_person_with_every_role(page, site):
    """An admin who also teaches and judges sees every menu, and the bar still fits one
    line at 1280 px (the grouped menus), with the account actions in the name's menu."""
    province = site.province
    busy = make_person(
        province.school_a, Role.UNIT_ADMIN, Role.TEACHER, username="busy", full_name="全能老师"
    )
    busy.grants.create(unit=province.city, role=Role.EXPERT)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, site, "busy")
    nav = page.locator("#mainnav")
    items = nav.locator(".navbar-nav > .nav-item > .nav-link")
    assert items.count() >= 7
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    heights = {round(items.nth(i).bounding_box()["height"]) for i in range(items.count())}
    assert len(tops) == 1, tops  # one row
    assert max(heights) < 48, heights  # no label wrapped onto a second line
    box = page.locator("nav.navbar").bounding_box()
    assert box["height"] < 72, box
    page.locator("#account-menu").click()
    expect(page.get_by_role("link", name="修改密码", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="退出", exact=True)).to_be_visible()
    screenshot(page, "navbar-1280-every-role")
    assert_no_problems(site)
