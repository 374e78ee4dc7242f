"""Short clips a package cites are legitimate quotes, not copies (R14; issue 13 item 3).

The quoting package holds 30 s of the original (a 60 s lesson) followed by 30 s of its own.
"""

from __future__ import annotations

import pytest

from tests.originality.conftest import attach, submitted
from tests.originality.test_flow import checked
from youke.core.actor import Actor
from youke.originality.domain import quotes, results
from youke.originality.domain.alignment import Segment
from youke.originality.enums import Verdict
from youke.originality.models import OriginalityResult, OriginalitySettings
from youke.submissions.domain.packages import set_citations

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoting(province, campaign, lessons, videos, django_capture_on_commit_callbacks):
    original = submitted(campaign, province.teacher_b, lessons[0], "圆的面积").submission
    quoting = submitted(campaign, province.teacher_a, lessons[1], "圆的周长").submission
    checked(
        attach(original, "micro_video", "original.mp4", videos["a"]),
        django_capture_on_commit_callbacks,
    )
    checked(
        attach(quoting, "micro_video", "quoting.mp4", videos["concat"]),
        django_capture_on_commit_callbacks,
    )
    return original, quoting


def cite(submission, source, author, note=""):
    submission.citations.create(source=source, author=author, note=note)


def test_without_a_citation_the_clip_counts(quoting):
    _original, package = quoting
    result = OriginalityResult.objects.get(submission=package)
    assert result.verdict == Verdict.LIKELY_COPY
    (match,) = result.matches.all()
    assert match.cited == ""
    assert result.copied_share == pytest.approx(0.5, abs=0.06)


def test_a_cited_short_clip_is_shown_but_not_counted(quoting):
    original, package = quoting
    cite(package, "《圆的面积》课堂实录片段", "王老师", "引用导入环节")
    result, _others = results.check_submission(package.pk)
    assert result.verdict == Verdict.NONE
    assert result.copied_share == 0
    (match,) = result.matches.all()
    assert match.verdict == Verdict.NONE
    assert match.other_submission_id == original.pk
    assert match.cited == "《圆的面积》课堂实录片段 / 王老师"
    assert match.evidence[0]["this_end"] == pytest.approx(30, abs=3)


def test_the_teacher_named_as_author_also_cites(quoting, province):
    _original, package = quoting
    cite(package, "区教研活动录像", province.teacher_b.full_name)
    result, _others = results.check_submission(package.pk)
    assert result.verdict == Verdict.NONE


def test_a_clip_longer_than_the_campaign_limit_still_counts(quoting, campaign):
    _original, package = quoting
    OriginalitySettings.objects.create(campaign=campaign, quoted_clip_seconds=20)
    cite(package, "《圆的面积》", "王老师")
    result, _others = results.check_submission(package.pk)
    assert result.verdict == Verdict.LIKELY_COPY
    assert result.matches.get().cited == ""


def test_a_citation_of_something_else_does_not_excuse(quoting):
    _original, package = quoting
    cite(package, "《分数的意义》", "张老师")
    result, _others = results.check_submission(package.pk)
    assert result.verdict == Verdict.LIKELY_COPY


def test_editing_the_citations_rechecks_the_package(
    quoting, province, django_capture_on_commit_callbacks
):
    _original, package = quoting
    with django_capture_on_commit_callbacks(execute=True):
        set_citations(Actor(province.teacher_a), package, [("《圆的面积》", "王老师", "")])
    assert OriginalityResult.objects.get(submission=package).verdict == Verdict.NONE
    with django_capture_on_commit_callbacks(execute=True):
        set_citations(Actor(province.teacher_a), package, [])
    assert OriginalityResult.objects.get(submission=package).verdict == Verdict.LIKELY_COPY


@pytest.mark.parametrize(
    ("citation", "named"),
    [
        (("《圆的面积》教学录像", "张三", ""), True),
        (("区教研活动", "张三", "引用了 圆的 面积 一课"), True),  # spaces do not matter
        (("区教研活动", "王老师", ""), True),  # the other package's teacher as author
        (("圆的周长", "张三", ""), False),
        (("复习", "张三", ""), False),
    ],
)
def test_which_citation_names_the_other_package(citation, named):
    found = quotes.citation_naming([citation], "圆的面积", "王老师")
    assert bool(found) is named


def test_short_quote_needs_every_segment_within_the_limit():
    short = Segment(0, 20, 0, 20, 20)
    long = Segment(30, 100, 30, 100, 70)
    assert quotes.is_short_quote([short], 60)
    assert not quotes.is_short_quote([short, long], 60)
    assert not quotes.is_short_quote([short], 0)  # 0 excuses nothing
    assert not quotes.is_short_quote([], 60)


def test_evidence_page_shows_the_quote_and_hides_the_citation_from_who_may_not_see_the_other(
    client, province, quoting
):
    from django.urls import reverse

    _original, package = quoting
    cite(package, "《圆的面积》课堂实录片段", "李老师")
    results.check_submission(package.pk)
    url = reverse("manage_originality:evidence", args=[package.pk])
    client.force_login(province.city_admin)
    page = client.get(url).content.decode()
    assert "正当引用，不计入" in page
    assert "《圆的面积》课堂实录片段 / 李老师" in page
    client.force_login(province.school_a_admin)  # may not see 西岭县's package
    page = client.get(url).content.decode()
    assert "正当引用，不计入" in page and "已注明出处" in page
    assert "李老师" not in page
