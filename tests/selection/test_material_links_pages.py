"""Resource links on the admins' entry page and the expert's scoring page, and the identity
warning of blind rounds (issue 7 item 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.selection.test_blind_review import reviewer_of  # noqa: F401 (fixture)
from tests.selection.test_review_domain import city_entry
from tests.submissions.conftest import requirement
from youke.selection.domain.blind import blind_report
from youke.selection.domain.review import identity_leaks
from youke.submissions.models import MaterialLink

pytestmark = pytest.mark.django_db

NEUTRAL = "https://pan.example.cn/s/8f3k2"
# The teacher's name, %-escaped in the path as browsers copy it: 王老师
NAMED = "https://pan.example.cn/%E7%8E%8B%E8%80%81%E5%B8%88/kejian.pptx"


@pytest.fixture
def linked(province, campaign, lessons):
    entry = city_entry(campaign, province.teacher_a, lessons[0], "分数的意义")
    courseware = requirement(campaign, entry.submission.category.code, "courseware")
    courseware.accepts_link = True
    courseware.save()
    link = MaterialLink.objects.create(
        submission=entry.submission, requirement=courseware, title="分数的意义课件", url=NEUTRAL
    )
    return entry, link


def test_entry_and_blind_scoring_pages_show_the_link(client, province, linked, reviewer_of):  # noqa: F811
    entry, link = linked
    anchor = f'<a href="{NEUTRAL}" target="_blank" rel="noopener noreferrer"'
    client.force_login(province.city_admin)
    html = client.get(reverse("manage_selection:entry", args=[entry.pk])).content.decode()
    assert anchor in html and "（pan.example.cn）" in html
    reviewer, mine = reviewer_of(entry)  # a blind round
    client.force_login(reviewer)
    html = client.get(reverse("manage_reviews:assignment", args=[mine.pk])).content.decode()
    assert anchor in html and "分数的意义课件" in html and "（pan.example.cn）" in html
    assert "王老师" not in html
    assert identity_leaks(entry) == []


def test_blind_round_warns_when_a_link_names_the_teacher_or_school(
    province,
    linked,
    reviewer_of,  # noqa: F811
):
    entry, link = linked
    MaterialLink.objects.filter(pk=link.pk).update(url=NAMED, title="东湖区实验小学 分数课件")
    warnings = identity_leaks(entry)
    assert warnings == [
        "《分数的意义》的课件链接“东湖区实验小学 分数课件”含有“东湖区实验小学”，匿名评审会"
        "泄露身份：请让作者改用不含姓名和学校的链接标题与网址，或关闭匿名评审。",
        "《分数的意义》的课件链接“https://pan.example.cn/王老师/kejian.pptx”含有“王老师”，"
        "匿名评审会泄露身份：请让作者改用不含姓名和学校的链接标题与网址，或关闭匿名评审。",
    ]
    reviewer, mine = reviewer_of(entry)
    report = blind_report(mine.round, [entry])
    assert report[0].warnings == warnings


def test_other_countys_admin_gets_404_on_the_entry(client, province, linked):
    entry, _link = linked
    client.force_login(province.county_b_admin)
    assert client.get(reverse("manage_selection:entry", args=[entry.pk])).status_code == 404
