"""Comments, the sensitive-word list, moderation by the publishing level, problem reports
(issue 10 §8; R-scoping: another county's admin gets 404)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.library.conftest import make_lesson
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.library.domain import comments, reports, words
from youke.library.enums import CommentState, ReportState, WordAction
from youke.library.models import LessonComment, LibrarySettings, ProblemReport
from youke.notifications.models import Notification


@pytest.fixture
def lesson(province, lessons):
    """A lesson published by 东湖区 (county A)."""
    return make_lesson(lessons[0], "圆周率的认识", unit=province.county_a)


def post(person, lesson, body):
    lesson.refresh_from_db()
    return comments.post_comment(Actor(person), lesson, body)


def open_comments(lesson):
    """Campaign-less lessons moderate first; an open campaign setting publishes at once."""
    from youke.campaigns.models import Campaign

    campaign = Campaign.objects.first()
    LibrarySettings.objects.create(
        campaign=campaign, licence_title="许可", licence_text="条款", comments_premoderated=False
    )
    lesson.campaign = campaign
    lesson.save(update_fields=["campaign"])


# --- the word list -----------------------------------------------------------------------------


def test_normalise_folds_width_case_and_spaces():
    assert words.normalise("ＡＢＣ　ｄ e１") == "abcde1"


def test_a_blocked_word_is_refused_with_the_word_named(lesson, province):
    words.add_word(Actor(province.city_admin), province.city, "Spam广告")
    with pytest.raises(Exception) as refused:
        post(province.teacher_a, lesson, "欢迎来看ｓｐａｍ 广告！")
    assert refused.value.messages == ["评论含有不允许发布的词语“Spam广告”，请修改后再发表。"]
    assert LessonComment.objects.count() == 0


def test_a_word_of_another_branch_does_not_apply(lesson, province):
    words.add_word(Actor(province.county_b_admin), province.county_b, "广告")
    comment = post(province.teacher_a, lesson, "这里有广告")
    assert comment.state == CommentState.PENDING


def test_a_review_word_sends_the_comment_to_moderation(lesson, province, campaign):
    open_comments(lesson)
    words.add_word(Actor(province.city_admin), province.city, "加微信", WordAction.REVIEW)
    held = post(province.teacher_a, lesson, "想要课件请加 微信")
    assert (held.state, held.flagged_word) == (CommentState.PENDING, "加微信")
    plain = post(province.teacher_a, lesson, "讲得很清楚")
    assert plain.state == CommentState.PUBLISHED
    lesson.refresh_from_db()
    assert lesson.comments == 1


def test_the_same_word_twice_is_refused(province):
    words.add_word(Actor(province.city_admin), province.city, "广告")
    with pytest.raises(Exception) as refused:
        words.add_word(Actor(province.city_admin), province.city, "广 告")
    assert "已在本单位的敏感词表中" in refused.value.messages[0]


def test_word_page_adds_and_scopes(client, province):
    client.force_login(province.county_a_admin)
    client.post(
        reverse("manage_library:word_list"),
        {"word": "刷屏", "action": "block", "unit": province.county_a.pk},
    )
    word = words.SensitiveWord.objects.get()
    assert (word.word, word.unit_id) == ("刷屏", province.county_a.pk)
    client.force_login(province.county_b_admin)
    response = client.post(reverse("manage_library:word_delete", args=[word.pk]))
    assert response.status_code == 404


# --- moderation --------------------------------------------------------------------------------


def test_moderation_queue_is_scoped_to_the_publishing_subtree(client, lesson, province):
    comment = post(province.teacher_a, lesson, "很好的一课")
    client.force_login(province.county_b_admin)
    queue = client.get(reverse("manage_library:comment_queue")).content.decode()
    assert f'data-comment="{comment.pk}"' not in queue
    approve = reverse("manage_library:comment_approve", args=[comment.pk])
    assert client.post(approve).status_code == 404
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING
    # The city above the publishing county moderates it.
    client.force_login(province.city_admin)
    queue = client.get(reverse("manage_library:comment_queue")).content.decode()
    assert f'data-comment="{comment.pk}"' in queue
    client.post(approve)
    comment.refresh_from_db()
    lesson.refresh_from_db()
    assert (comment.state, comment.moderated_by_id, lesson.comments) == (
        CommentState.PUBLISHED,
        province.city_admin.pk,
        1,
    )
    event = AuditEvent.objects.get(object_type="library.lessoncomment", object_id=str(comment.pk))
    assert (event.before, event.after) == ({"state": "pending"}, {"state": "published"})


def test_reject_needs_a_reason_and_notifies_the_author(lesson, province):
    comment = post(province.teacher_a, lesson, "离题的评论")
    with pytest.raises(Exception) as refused:
        comments.reject(Actor(province.county_a_admin), comment, "")
    assert refused.value.messages == ["请填写未通过的理由，评论作者会收到这条理由。"]
    comments.reject(Actor(province.county_a_admin), comment, "与课例无关")
    comment.refresh_from_db()
    assert (comment.state, comment.reason) == (CommentState.REJECTED, "与课例无关")
    note = Notification.objects.get(person=province.teacher_a)
    assert note.kind == "library.comment" and "与课例无关" in note.body
    with pytest.raises(Exception) as again:
        comments.approve(Actor(province.county_a_admin), comment)
    assert "不能改为" in again.value.messages[0]


def test_authors_delete_their_own_comments_only(client, lesson, province):
    comment = post(province.teacher_a, lesson, "我的评论")
    client.force_login(province.teacher_b)
    url = reverse("library:comment_delete", args=[comment.pk])
    assert client.post(url).status_code == 404
    client.force_login(province.teacher_a)
    client.post(url)
    comment.refresh_from_db()
    assert comment.state == CommentState.DELETED


# --- the lesson page ---------------------------------------------------------------------------


def test_anonymous_sees_approved_comments_only_and_a_login_link(client, lesson, province):
    approved = post(province.teacher_a, lesson, "已通过的评论")
    comments.approve(Actor(province.county_a_admin), approved)
    post(province.teacher_b, lesson, "待审核的评论")
    html = client.get(reverse("library:lesson_comments", args=[lesson.pk])).content.decode()
    assert "已通过的评论" in html and "待审核的评论" not in html
    assert 'id="comment-login"' in html and 'id="comment-form"' not in html
    # The author sees their own pending comment, marked.
    client.force_login(province.teacher_b)
    html = client.get(reverse("library:lesson_comments", args=[lesson.pk])).content.decode()
    assert "待审核的评论" in html and "待审核，仅自己可见" in html


def test_anonymous_cannot_comment(client, lesson):
    response = client.post(reverse("library:comment_post", args=[lesson.pk]), {"body": "匿名"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
    assert LessonComment.objects.count() == 0


def test_posting_through_htmx_answers_the_fragment_with_errors_kept(client, lesson, province):
    words.add_word(Actor(province.city_admin), province.city, "广告")
    client.force_login(province.teacher_a)
    url = reverse("library:comment_post", args=[lesson.pk])
    refused = client.post(url, {"body": "打个广告"}, HTTP_HX_REQUEST="true").content.decode()
    assert "评论含有不允许发布的词语“广告”" in refused
    assert ">打个广告</textarea>" in refused  # what was typed stays in the form
    done = client.post(url, {"body": "讲得好"}, HTTP_HX_REQUEST="true").content.decode()
    assert "评论已提交，审核通过后公开显示。" in done


def _comment_page_queries(client, lesson):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("library:lesson_comments", args=[lesson.pk]))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_comment_list_query_count_is_fixed(client, lesson, province):
    people = [province.teacher_a, province.teacher_b, province.expert]
    first = post(people[0], lesson, "评论0")
    comments.approve(Actor(province.county_a_admin), first)
    one = _comment_page_queries(client, lesson)
    for n, person in enumerate(people[1:], start=1):
        comments.approve(Actor(province.county_a_admin), post(person, lesson, f"评论{n}"))
    assert _comment_page_queries(client, lesson) == one


# --- problem reports ---------------------------------------------------------------------------


def test_a_report_notifies_exactly_the_publishing_units_admins(client, lesson, province):
    client.force_login(province.teacher_b)
    response = client.post(
        reverse("library:lesson_report", args=[lesson.pk]),
        {"kind": "playback", "text": "第二课时视频打不开"},
    )
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.kind, report.state, report.reporter_id) == (
        "playback",
        ReportState.OPEN,
        province.teacher_b.pk,
    )
    notified = set(Notification.objects.values_list("person_id", "kind"))
    assert notified == {(province.county_a_admin.pk, "library.report")}


def test_a_bad_report_keeps_the_text(client, lesson, province):
    client.force_login(province.teacher_b)
    response = client.post(
        reverse("library:lesson_report", args=[lesson.pk]), {"kind": "bogus", "text": "写了一半"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "请选择问题类型" in page and ">写了一半</textarea>" in page
    assert ProblemReport.objects.count() == 0


def test_resolving_a_report_replies_to_the_reporter_and_is_scoped(client, lesson, province):
    report = reports.report_problem(Actor(province.teacher_b), lesson, "content", "板书有错字")
    close = reverse("manage_library:report_close", args=[report.pk])
    client.force_login(province.county_b_admin)
    assert (
        client.get(reverse("manage_library:report_list")).content.decode().count("data-report=")
        == 0
    )
    assert client.post(close, {"outcome": "resolved", "reply": "已修改"}).status_code == 404
    client.force_login(province.county_a_admin)
    client.post(close, {"outcome": "resolved", "reply": "已联系教师修改"})
    report.refresh_from_db()
    assert (report.state, report.reply, report.handled_by_id) == (
        ReportState.RESOLVED,
        "已联系教师修改",
        province.county_a_admin.pk,
    )
    reply = Notification.objects.get(person=province.teacher_b)
    assert (reply.kind, reply.body) == ("library.report_reply", "已联系教师修改")


def test_settings_page_switches_premoderation_off(client, province, campaign, lesson):
    """The campaign's library settings decide 先审后发 (default on)."""
    assert comments.premoderated(campaign.pk) is True
    client.force_login(province.platform_admin)
    url = reverse("manage_library:settings", args=[campaign.pk])
    assert 'id="comments-premoderated" checked' in client.get(url).content.decode()
    client.post(url, {"licence_title": "许可", "licence_text": "条款"})
    assert comments.premoderated(campaign.pk) is False
    lesson.campaign = campaign
    lesson.save(update_fields=["campaign"])
    assert post(province.teacher_a, lesson, "立即公开").state == CommentState.PUBLISHED
    client.post(
        url, {"licence_title": "许可", "licence_text": "条款", "comments_premoderated": "1"}
    )
    assert comments.premoderated(campaign.pk) is True


def test_manage_lesson_list_shows_favourites_and_comments(client, lesson, province):
    from youke.library.domain import favourites

    favourites.set_favourite(province.teacher_a, lesson, True)
    comments.approve(Actor(province.county_a_admin), post(province.teacher_b, lesson, "好"))
    client.force_login(province.county_a_admin)
    html = client.get(reverse("manage_library:lesson_list")).content.decode()
    assert "收藏 <strong>1</strong> · 评论 <strong>1</strong>" in html


def test_an_open_report_of_the_same_kind_is_not_repeated(lesson, province):
    reports.report_problem(Actor(province.teacher_b), lesson, "playback", "打不开")
    with pytest.raises(Exception) as refused:
        reports.report_problem(Actor(province.teacher_b), lesson, "playback", "还是打不开")
    assert refused.value.messages == [
        "您已报告过该课例的“视频无法播放”问题，尚待处理；处理后会通知您，无需重复报告。"
    ]
    reports.report_problem(Actor(province.teacher_b), lesson, "content", "字幕有错")
    assert ProblemReport.objects.count() == 2


def test_a_comment_flood_waits(lesson, province):
    for n in range(comments.BURST):
        post(province.teacher_a, lesson, f"第{n}条")
    with pytest.raises(Exception) as refused:
        post(province.teacher_a, lesson, "又一条")
    assert refused.value.messages == ["您在 10 分钟内已发表 10 条评论，请稍后再发表。"]
    assert post(province.teacher_b, lesson, "别人照常").state == CommentState.PENDING


def _queue_queries(client, name):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_moderation_pages_have_a_fixed_query_count(client, lesson, province):
    people = [province.teacher_a, province.teacher_b, province.expert]
    client.force_login(province.city_admin)

    def add(person):
        post(person, lesson, f"{person.full_name}的评论")
        reports.report_problem(Actor(person), lesson, "other", f"{person.full_name}的报告")

    add(people[0])
    one = [
        _queue_queries(client, n)
        for n in ("manage_library:comment_queue", "manage_library:report_list")
    ]
    add(people[1])
    add(people[2])
    three = [
        _queue_queries(client, n)
        for n in ("manage_library:comment_queue", "manage_library:report_list")
    ]
    assert [html.count("data-comment=") for _q, html in three[:1]] == [3]
    assert [html.count("data-report=") for _q, html in three[1:]] == [3]
    assert [q for q, _h in one] == [q for q, _h in three]
