"""The lesson page's favourite toggle and comments work through htmx in Chromium, and the
personal library pages fit a phone (issue 10 §7–8)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.library.conftest import make_lesson
from tests.selection.conftest import lessons  # noqa: F401  (fixture)
from tests.submissions.conftest import catalog  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.library.domain import words
from youke.library.models import LessonComment, LessonFavourite

pytestmark = pytest.mark.browser

OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def test_favourite_and_comment_on_the_lesson_page(page, site, lessons):  # noqa: F811
    province = site.province
    lesson = make_lesson(lessons[0], "圆周率的认识", unit=province.county_a)
    words.add_word(Actor(province.city_admin), province.city, "广告")
    url = site(reverse("library:lesson_detail", args=[lesson.pk]))

    page.goto(url)
    expect(page.locator("#comment-login")).to_be_visible()  # anonymous: a log-in link
    expect(page.locator("#comment-form")).to_have_count(0)
    # Let the lazy QR image and the fragment finish: leaving aborts them (a reported failure).
    page.wait_for_load_state("networkidle")

    login(page, site, "teachera")
    page.goto(url)
    page.locator("#favourite-button").click()
    expect(page.locator("#favourite-button")).to_contain_text("已收藏 1")
    assert LessonFavourite.objects.filter(person=province.teacher_a).count() == 1

    page.fill("#comment-body", "打个ＡＤ广告")
    page.get_by_role("button", name="发表评论").click()
    expect(page.locator("#lesson-comments")).to_contain_text("不允许发布的词语“广告”")
    expect(page.locator("#comment-body")).to_have_value("打个ＡＤ广告")
    page.fill("#comment-body", "讲得很清楚")
    page.get_by_role("button", name="发表评论").click()
    expect(page.locator("#lesson-comments")).to_contain_text("审核通过后公开显示")
    expect(page.locator("#comment-list li[data-comment]")).to_have_count(1)
    assert list(LessonComment.objects.values_list("body", "state")) == [("讲得很清楚", "pending")]

    page.wait_for_load_state("networkidle")
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("stats", "favourites", "history"):
        page.goto(site(reverse(f"my_library:{name}")))
        screenshot(page, f"my-library-390-{name}")
        scroll, client = page.evaluate(OVERFLOW)
        assert scroll <= client, name
    expect(page.locator("#history-list")).to_be_visible()
    assert site.problems == []
