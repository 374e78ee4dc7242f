"""The expert's rubric in a real browser (issue 7 item 3): a time-stamped comment, the R3
checklist and the score. The player and its seek are the player's own tests; here a
``<video>`` stands in for it so that "插入当前时间" has a position to read."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.browser.test_selection_journey import school_round
from tests.selection.conftest import lessons  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign, catalog, requirement, stored_upload  # noqa: F401
from youke.campaigns.models import ChecklistItem, Criterion
from youke.selection.models import Assignment, ChecklistConfirmation
from youke.submissions.models import Material

pytestmark = pytest.mark.browser

# Stands in for the player: a <video> whose position reads 3 min 12.4 s.
FAKE_PLAYER = """() => {
  const video = document.createElement('video');
  Object.defineProperty(video, 'currentTime', {get: () => 192.4});
  document.querySelector('#review-entry').prepend(video);
}"""


def test_expert_writes_a_time_stamped_comment_and_scores(page, site, campaign, catalog, lessons):  # noqa: F811
    review_round = school_round(site.province, campaign, catalog, lessons)
    mine = Assignment.objects.filter(round=review_round).order_by("id").first()
    video = requirement(campaign, mine.entry.submission.category.code, "micro_video")
    Material.objects.create(
        submission=mine.entry.submission,
        requirement=video,
        upload=stored_upload(site.province.teacher_a, "微课.mp4", b"\x00" * 64),
    )
    title, picture = ChecklistItem.objects.filter(requirement=video).order_by("id")
    criteria = list(
        Criterion.objects.filter(category=mine.entry.submission.category, is_veto=False)
    )

    login(page, site, "expert")
    page.goto(site(reverse("manage_reviews:assignment", args=[mine.pk])))
    rubric = page.locator("#review-rubric")
    expect(rubric.locator("h2")).to_have_text("评分")
    # The blind copy of the video is not made yet: nothing is offered instead of it.
    expect(page.locator("#review-entry")).to_contain_text("匿名评审版本正在准备中，请稍后刷新")

    comment = page.get_by_label("评语", exact=True)
    insert = page.get_by_role("button", name="插入当前时间", exact=True)
    insert.click()  # no video on the page yet: a hint, nothing inserted
    expect(page.locator("#insert-time-hint")).to_be_visible()
    expect(comment).to_have_value("")

    page.evaluate(FAKE_PLAYER)
    comment.fill("板书有误")
    comment.evaluate("el => el.setSelectionRange(0, 0)")
    insert.click()
    expect(page.locator("#insert-time-hint")).to_be_hidden()
    expect(comment).to_have_value("03:12 板书有误")
    comment.press("End")
    comment.type("\n1:02:03 小结仓促")

    for criterion in criteria:
        page.get_by_label(f"{criterion.name}（0–{criterion.points}）", exact=True).fill(
            str(criterion.points - 1)
        )
    page.locator(f"#k{title.pk}-yes").check()
    page.get_by_role("button", name="提交评分", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(
        f"还有检查项未确认：{picture.text}。请逐项选择“符合”或“不符合”后再提交。"
    )
    expect(page.locator(f"#k{title.pk}-yes")).to_be_checked()
    expect(comment).to_have_value("03:12 板书有误\n1:02:03 小结仓促")
    screenshot(page, "rubric-01-checklist-missing")

    page.locator(f"#k{picture.pk}-no").check()
    page.locator(f"#kn{picture.pk}").fill("12:05 声音断续")
    page.get_by_role("button", name="提交评分", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("评分已提交。")
    total = sum(c.points - 1 for c in criteria)
    expect(rubric.locator("h2")).to_have_text(f"评分 · 总分 {total}")
    links = page.locator("#saved-comment a[data-seek-seconds]")
    expect(links).to_have_text(["03:12", "1:02:03"])
    assert [links.nth(i).get_attribute("data-seek-seconds") for i in range(2)] == ["192", "3723"]
    expect(page.locator(f"#k{picture.pk}-no")).to_be_checked()
    expect(page.locator(f"#k{picture.pk}-no")).to_be_disabled()
    screenshot(page, "rubric-02-submitted")

    mine.refresh_from_db()
    assert (mine.state, mine.total, mine.comment) == (
        "submitted",
        total,
        "03:12 板书有误\r\n1:02:03 小结仓促",  # a form sends a textarea's lines with CRLF
    )
    assert sorted(
        ChecklistConfirmation.objects.filter(assignment=mine).values_list(
            "item", "confirmed", "note"
        )
    ) == [(title.pk, True, ""), (picture.pk, False, "12:05 声音断续")]
    assert site.problems == []
