"""The expert's rubric column: time-stamped comments and R3 checklist confirmations."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.submissions.conftest import requirement, stored_upload
from youke.campaigns.models import ChecklistItem
from youke.core.actor import Actor
from youke.manage.templatetags.review_comments import time_links_html
from youke.selection.domain.assignment import assign
from youke.selection.domain.path import path_context
from youke.selection.models import Assignment, ChecklistConfirmation
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db

MALICIOUS = '<script>alert("x")</script> 03:12 板书有误\n1:02:03 <b onclick="y">结尾</b> 75:10'


def test_time_marks_become_seek_links_and_everything_else_is_escaped():
    assert time_links_html(MALICIOUS) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
        '<a href="#" data-seek-seconds="192">03:12</a> 板书有误<br>'
        '<a href="#" data-seek-seconds="3723">1:02:03</a> '
        "&lt;b onclick=&quot;y&quot;&gt;结尾&lt;/b&gt; "
        '<a href="#" data-seek-seconds="4510">75:10</a>'
    )
    # Not times: seconds over 59, parts of longer numbers, a date.
    assert time_links_html("12:75 1:2:3 2026-12-04 123:45:67") == "12:75 1:2:3 2026-12-04 123:45:67"
    assert time_links_html("") == ""


@pytest.fixture
def scoring(province, campaign, lessons, catalog):
    entry = city_entry(campaign, province.teacher_a, lessons[0], "分数的意义")
    video = requirement(campaign, entry.submission.category.code, "micro_video")
    Material.objects.create(
        submission=entry.submission,
        requirement=video,
        upload=stored_upload(province.teacher_a, "微课.mp4", b"\x00" * 64),
    )
    reviewer = expert(province.city, "市专家", catalog.primary)
    review_round = opened(province, city_round(province, campaign), reviewer)
    mine = assign(Actor(province.city_admin), review_round, entry, reviewer)
    items = list(ChecklistItem.objects.filter(requirement=video).order_by("id"))
    criteria = [c for c in entry.submission.category.criteria.all() if not c.is_veto]
    full = {f"c{c.pk}": c.points - 2 for c in criteria}
    return mine, items, full


def test_page_has_the_rubric_column_and_renders_saved_comment_links(client, scoring):
    mine, items, _full = scoring
    Assignment.objects.filter(pk=mine.pk).update(comment=MALICIOUS)
    client.force_login(mine.expert)
    html = client.get(reverse("manage_reviews:assignment", args=[mine.pk])).content.decode()
    assert 'id="review-rubric"' in html and 'id="score-form"' in html
    assert 'data-insert-time="comment"' in html and "插入当前时间" in html
    assert "/static/manage/review_rubric.js" in html
    assert '<a href="#" data-seek-seconds="192">03:12</a> 板书有误' in html
    assert '<a href="#" data-seek-seconds="3723">1:02:03</a>' in html
    assert "<script>alert" not in html and '<b onclick="y">' not in html
    assert [item.text for item in items] == [
        "片头不超过 5 秒，显示教材版本、学科、年级、课题名称、主讲教师",
        "画面清晰稳定，声音清楚，字幕与画面无错漏",
    ]
    for item in items:
        assert item.text in html and f'name="k{item.pk}"' in html


def test_checklist_saved_with_draft_required_on_submit(client, province, scoring):
    mine, (title, picture), full = scoring
    client.force_login(mine.expert)
    url = reverse("manage_reviews:assignment", args=[mine.pk])
    draft = {
        f"k{title.pk}": "0",
        f"kn{title.pk}": "00:03 片头未写学校",
        "comment": "03:12 板书有误",
    }
    client.post(url, {**draft, "save": "1"})
    assert list(
        ChecklistConfirmation.objects.filter(assignment=mine).values_list(
            "item", "confirmed", "note"
        )
    ) == [(title.pk, False, "00:03 片头未写学校")]
    response = client.post(url, {**full, **draft, "submit": "1"}, follow=True)
    html = response.content.decode()
    assert f"还有检查项未确认：{picture.text}。请逐项选择“符合”或“不符合”后再提交。" in html
    assert f'id="k{title.pk}-no" value="0" checked' in html  # what was typed stays
    mine.refresh_from_db()
    assert mine.state == "draft"
    answers = {**full, **draft, f"k{picture.pk}": "1", "submit": "1"}
    response = client.post(url, answers, follow=True)
    assert "评分已提交" in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == "submitted"
    assert sorted(
        ChecklistConfirmation.objects.filter(assignment=mine).values_list("item", "confirmed")
    ) == [(title.pk, False), (picture.pk, True)]
    client.force_login(province.city_admin)
    results = client.get(reverse("manage_reviews:results", args=[mine.round_id]))
    html = results.content.decode()
    assert f'<span class="badge text-bg-warning">0/1</span> {title.text}' in html
    assert "“00:03 片头未写学校”" in html
    assert f'<span class="badge text-bg-success">1/1</span> {picture.text}' in html
    # …and on the package's path, for the staff who may see that level.
    context = path_context(province.city_admin, mine.entry.submission)
    (city,) = [row for row in context["path_rows"] if row.entry.pk == mine.entry_id]
    assert [(t.item.text, t.confirmed, t.refused, t.notes) for t in city.checklist] == [
        (title.text, 0, 1, ["00:03 片头未写学校"]),
        (picture.text, 1, 0, []),
    ]
    html = render_to_string("portal/_submission_path.html", context)
    assert f'<span class="badge text-bg-warning">0/1</span> {title.text}' in html
    teacher = path_context(province.teacher_a, mine.entry.submission)
    assert teacher["path_rows"] == []


def test_api_carries_the_checklist(client, scoring):
    mine, (title, picture), full = scoring
    client.force_login(mine.expert)
    url = f"/api/v1/reviews/assignments/{mine.pk}"
    scores = [{"criterion": int(k[1:]), "points": v} for k, v in full.items()]
    refused = client.post(
        f"{url}/scores",
        {"scores": scores, "submit": True, "checklist": [{"item": title.pk, "confirmed": True}]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": {
            "__all__": [f"还有检查项未确认：{picture.text}。请逐项选择“符合”或“不符合”后再提交。"]
        }
    }
    done = client.post(
        f"{url}/scores",
        {
            "scores": scores,
            "submit": True,
            "checklist": [
                {"item": title.pk, "confirmed": True},
                {"item": picture.pk, "confirmed": False, "note": "12:05 声音断续"},
            ],
        },
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["checklist"] == [
        {
            "item": title.pk,
            "text": title.text,
            "material": "微课视频",
            "confirmed": True,
            "note": "",
        },
        {
            "item": picture.pk,
            "text": picture.text,
            "material": "微课视频",
            "confirmed": False,
            "note": "12:05 声音断续",
        },
    ]
