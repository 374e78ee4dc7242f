"""Selection in a real browser (issue 4): an expert scores a blind entry, an admin confirms a list.

The data is built with the domain functions, like the selection tests do; the live server sees
it because the ``site`` fixture runs on a transactional database.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.browser.test_journeys import open_menu
from tests.selection.conftest import lessons, level, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign, catalog  # noqa: F401  (fixtures)
from youke.campaigns.models import Criterion
from youke.core.actor import Actor
from youke.orgs.models import ExpertProfile
from youke.selection.domain.assignment import add_expert, assign
from youke.selection.domain.review import create_round, set_round_state
from youke.selection.models import Assignment, LevelList

pytestmark = pytest.mark.browser

TITLES = ("分数的意义", "小数的加法")
COMMENT = "结构清晰，环节完整。"


def local(moment: datetime.datetime) -> str:
    """A datetime the way the templates print it (``|date:"Y-m-d H:i"`` in local time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def school_round(province, campaign, catalog, lessons):  # noqa: F811
    """A blind open school-level round with both of 王老师's entries assigned to 赵专家."""
    entries = [
        submitted(campaign, province.teacher_a, node, title)
        for node, title in zip(lessons, TITLES, strict=False)
    ]
    ExpertProfile.objects.create(person=province.expert).areas.set([catalog.primary])
    admin = Actor(province.school_a_admin)
    review_round = create_round(
        admin,
        campaign,
        level(campaign, "school"),
        province.school_a,
        name="校级评审",
        deadline=timezone.now() + datetime.timedelta(days=5),
        reviews_per_entry=1,
    )
    assert review_round.blind
    set_round_state(admin, review_round, "open")
    add_expert(admin, review_round, province.expert, max_load=5)
    for entry in entries:
        assign(admin, review_round, entry, province.expert)
    return review_round


def test_expert_scores_a_blind_entry(page, site, campaign, catalog, lessons):  # noqa: F811
    review_round = school_round(site.province, campaign, catalog, lessons)
    deadline = local(review_round.deadline)
    first = Assignment.objects.get(entry__submission__title=TITLES[0])
    criteria = list(
        Criterion.objects.filter(category=first.entry.submission.category, is_veto=False)
    )
    assert len(criteria) == 9

    # 评审任务: both assignments waiting, nothing submitted yet.
    login(page, site, "expert")
    page.locator("#mainnav").get_by_role("link", name="评审任务", exact=True).click()
    expect(page).to_have_url(site(reverse("manage_reviews:queue")))
    expect(page.locator("h1")).to_have_text("我的评审任务")
    progress = page.locator(f"#progress-{review_round.pk}")
    expect(progress).to_have_text(f"校级评审：已提交 0 / 2，截止 {deadline}")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td")).to_have_text(
        ["校级评审", TITLES[0], "学科课程", "待评", "—", deadline]
    )
    expect(rows.nth(1).locator("td")).to_have_text(
        ["校级评审", TITLES[1], "学科课程", "待评", "—", deadline]
    )
    screenshot(page, "review-01-queue")

    # The assignment: title shown, author and school hidden (blind round).
    page.get_by_role("link", name=TITLES[0], exact=True).click()
    expect(page).to_have_url(site(reverse("manage_reviews:assignment", args=[first.pk])))
    expect(page.locator("h1")).to_have_text(f"《{TITLES[0]}》")
    expect(page.locator("main dl")).to_contain_text("匿名评审：作者和单位已隐藏")
    for secret in ("王老师", "东湖区实验小学", "teachera"):
        expect(page.locator("main")).not_to_contain_text(secret)
        assert secret not in page.content()
    expect(page.locator("#review-rubric > p.text-muted")).to_have_text(
        f"状态：待评；请在 {deadline} 前提交。"
    )

    def field(criterion):
        return page.get_by_label(f"{criterion.name}（0–{criterion.points}）", exact=True)

    top = criteria[0]  # 教学目标, 0–10
    field(top).fill(str(top.points + 1))
    for criterion in criteria[1:]:
        field(criterion).fill(str(criterion.points - 1))
    comment = page.get_by_label("评语", exact=True)
    comment.fill(COMMENT)
    save = page.get_by_role("button", name="暂存", exact=True)

    # The browser itself refuses a value above max= and sends nothing.
    url = page.url
    save.click()
    assert field(top).evaluate("el => el.validity.rangeOverflow") is True
    expect(page).to_have_url(url)
    expect(page.get_by_role("alert")).to_have_count(0)

    # Without the browser check the server answers in Chinese and keeps what was typed.
    page.locator("#score-form").evaluate("form => { form.noValidate = true; }")
    save.click()
    expect(page.get_by_role("alert")).to_have_text(
        f"“{top.name}”的得分须在 0 到 {top.points} 之间：请修改。"
    )
    expect(page.get_by_role("alert")).to_have_class("alert alert-danger")
    expect(field(top)).to_have_value(str(top.points + 1))
    for criterion in criteria[1:]:
        expect(field(criterion)).to_have_value(str(criterion.points - 1))
    comment_after_error = comment.input_value()  # checked at the end (app bug, see there)
    screenshot(page, "review-02-range-error")

    # Correct it and save a draft.
    field(top).fill(str(top.points - 1))
    comment.fill(COMMENT)
    page.get_by_role("button", name="暂存", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("评分已暂存。")
    total = sum(c.points - 1 for c in criteria)
    expect(page.locator("#review-rubric h2")).to_have_text(f"评分 · 总分 {total}")
    expect(page.locator("#review-rubric > p.text-muted")).to_have_text(
        f"状态：已暂存；请在 {deadline} 前提交。"
    )
    for criterion in criteria:
        expect(field(criterion)).to_have_value(str(criterion.points - 1))
    expect(page.get_by_label("评语", exact=True)).to_have_value(COMMENT)
    screenshot(page, "review-03-draft")

    # Submit: the rubric locks.
    page.get_by_role("button", name="提交评分", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("评分已提交。")
    expect(page.locator("#review-rubric > p.text-muted")).to_have_text(
        f"状态：已提交；请在 {deadline} 前提交。"
    )
    for criterion in criteria:
        expect(field(criterion)).to_be_disabled()
    expect(page.locator("#score-form button")).to_have_count(0)
    first.refresh_from_db()
    assert (first.state, first.total, first.comment) == ("submitted", total, COMMENT)
    screenshot(page, "review-04-submitted")

    # Back in the queue: one of two done.
    page.get_by_role("link", name="我的评审任务", exact=True).click()
    expect(page).to_have_url(site(reverse("manage_reviews:queue")))
    expect(progress).to_have_text(f"校级评审：已提交 1 / 2，截止 {deadline}")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("已提交")
    expect(rows.nth(0).locator("td").nth(4)).to_have_text(str(total))
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("待评")
    screenshot(page, "review-05-queue-done")
    assert site.problems == []
    # A refused save keeps the typed comment as well as the points.
    assert comment_after_error == COMMENT


def test_school_admin_confirms_the_list(page, site, campaign, lessons):  # noqa: F811
    province = site.province
    for node, title in zip(lessons, TITLES, strict=False):
        submitted(campaign, province.teacher_a, node, title)
    school_level = level(campaign, "school")

    login(page, site, "schoola")
    open_menu(page, "遴选与评审")
    page.get_by_role("link", name="推荐与名额", exact=True).click()
    expect(page).to_have_url(site(reverse("manage_selection:inbox")))
    page.get_by_label("活动", exact=True).select_option(label="精品课测试")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page.locator("h1")).to_have_text("推荐审核 · 东湖区实验小学")
    expect(page.get_by_label("级别", exact=True)).to_have_value(str(school_level.pk))
    expect(page.locator("#quota-usage")).to_have_text("本级名额： 已推荐 0 件（上级尚未分配名额）")
    rows = page.locator("#entry-table tbody tr")
    expect(rows).to_have_count(2)
    recommended, declined = (rows.filter(has_text=title) for title in TITLES)
    expect(recommended.locator("td").nth(2)).to_have_text("王老师")
    expect(recommended.locator("td").nth(3)).to_have_text("东湖区实验小学")
    expect(recommended.locator("td").nth(7)).to_have_text("待审")
    screenshot(page, "inbox-01-school")

    recommended.get_by_role("button", name="推荐", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(f"《{TITLES[0]}》已处理：推荐。")
    expect(recommended.locator("td").nth(7)).to_have_text("推荐")
    expect(page.locator("#quota-usage")).to_have_text("本级名额： 已推荐 1 件（上级尚未分配名额）")

    # A decision that needs a reason opens a dialog; the reason is required there.
    declined.get_by_role("button", name="不推荐", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    # One shared dialog, filled from the row's button.
    expect(dialog.locator("h2")).to_have_text(f"不推荐：《{TITLES[1]}》")
    dialog.get_by_label("理由", exact=True).fill("与本校推荐方向不符")
    dialog.get_by_role("button", name="不推荐", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(f"《{TITLES[1]}》已处理：不推荐。")
    expect(declined.locator("td").nth(7)).to_have_text("不推荐与本校推荐方向不符")
    expect(declined.locator("td").nth(7).locator(".text-muted")).to_have_text("与本校推荐方向不符")
    screenshot(page, "inbox-02-decided")

    page.get_by_role("button", name="确认名单并报送上级", exact=True).click()
    # Irreversible: the page first says what will happen.
    expect(page.locator("#confirm-consequences li").nth(1)).to_have_text(
        "1 件推荐作品将报送东湖区，进入“县级初选”。"
    )
    screenshot(page, "inbox-02b-confirm")
    page.get_by_role("button", name="确认名单，报送 1 件", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("推荐名单已确认并报送上级。")
    confirmed = LevelList.objects.get(level=school_level, unit=province.school_a)
    assert confirmed.state == "confirmed"
    badge = f"名单已于 {local(confirmed.confirmed_at)} 确认"
    expect(page.locator("#quota-usage .badge")).to_have_text(badge)
    # Locked: no decision forms, no check boxes, no confirm button.
    expect(rows).to_have_count(2)
    expect(page.locator("#entry-table form")).to_have_count(0)
    expect(page.locator("#entry-table input")).to_have_count(0)
    expect(page.locator("#entry-table button")).to_have_count(0)
    expect(page.locator("#confirm-form")).to_have_count(0)
    expect(page.get_by_role("button", name="推荐选中的作品")).to_have_count(0)
    expect(recommended.locator("td").nth(7)).to_have_text("推荐")
    screenshot(page, "inbox-03-confirmed")

    # The county admin now has the recommended entry waiting, and only that one.
    page.context.clear_cookies()
    login(page, site, "countya")
    open_menu(page, "遴选与评审")
    page.get_by_role("link", name="推荐与名额", exact=True).click()
    expect(page.locator("h1")).to_have_text("推荐审核 · 东湖区")
    expect(page.get_by_label("级别", exact=True)).to_have_value(str(level(campaign, "county").pk))
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(1)).to_have_text(TITLES[0])
    expect(cells.nth(2)).to_have_text("王老师")
    expect(cells.nth(3)).to_have_text("东湖区实验小学")
    expect(cells.nth(7)).to_have_text("待审")
    expect(page.locator("#entry-table")).not_to_contain_text(TITLES[1])
    expect(rows.first.get_by_role("button", name="推荐", exact=True)).to_be_enabled()
    screenshot(page, "inbox-04-county")
    assert site.problems == []
