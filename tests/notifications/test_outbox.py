import pytest
from celery.exceptions import Retry
from django.core import mail

from tests.selection.conftest import level, submitted
from youke.core.actor import Actor
from youke.notifications.domain.notify import notify
from youke.notifications.domain.outbox import SendFailed, send_one
from youke.notifications.models import Notification, OutboxEmail
from youke.notifications.tasks import send_outbox
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.models import LevelEntry

pytestmark = pytest.mark.django_db

FAILING = "tests.notifications.conftest.FailingBackend"


def reset_mailboxes() -> None:
    OutboxEmail.objects.all().delete()
    Notification.objects.all().delete()
    mail.outbox.clear()


def outbox_rows():
    return list(
        OutboxEmail.objects.order_by("id").values_list("to_address", "subject", "body", "state")
    )


def test_school_return_notifies_teacher_with_reason(
    province, campaign, lessons, mailboxes, django_capture_on_commit_callbacks
):
    entry = submitted(campaign, province.teacher_a, lessons[0], "秒的认识")
    admin = Actor(province.school_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        entry = decide(admin, entry, "returned", reason="视频声音太小")
    subject = "《秒的认识》被东湖区实验小学退回修改"
    body = (
        "东湖区实验小学在“学校推荐”退回了《秒的认识》，请修改后在截止时间前重新提交。"
        "理由：视频声音太小"
    )
    assert outbox_rows() == [("wang@school-a.cn", subject, body, "sent")]
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["wang@school-a.cn"], subject, body)
    ]
    note = Notification.objects.get()
    assert (note.person, note.kind, note.title, note.body, note.url) == (
        province.teacher_a,
        "returned",
        subject,
        body,
        f"/my/submissions/{entry.submission_id}/",
    )


def test_nothing_is_sent_before_commit(
    province, campaign, lessons, mailboxes, django_capture_on_commit_callbacks
):
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    admin = Actor(province.school_a_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = decide(admin, entry, "not_recommended", reason="主题不符")
    assert mail.outbox == []
    assert outbox_rows() == [
        (
            "wang@school-a.cn",
            "《甲》未获东湖区实验小学推荐",
            "东湖区实验小学在“学校推荐”决定不推荐《甲》。理由：主题不符",
            "queued",
        )
    ]
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["《甲》未获东湖区实验小学推荐"]
    assert outbox_rows()[0][3] == "sent"


def test_higher_level_decision_notifies_admins_below(
    province, campaign, lessons, mailboxes, django_capture_on_commit_callbacks
):

    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    school_admin = Actor(province.school_a_admin)
    decide(school_admin, entry, "recommended")
    confirm_list(school_admin, campaign, level(campaign, "school"), province.school_a)
    upper = LevelEntry.objects.select_related("level", "unit", "submission").get(
        level__key="county"
    )
    county = Actor(province.county_a_admin)
    reset_mailboxes()  # the school's decision and confirmation sent their own notices
    with django_capture_on_commit_callbacks(execute=True):
        upper = decide(county, upper, "returned", reason="缺少教学设计")
    assert outbox_rows() == [
        (
            "admin@school-a.cn",
            "《甲》被东湖区退回修改",
            "东湖区在“县级初选”退回了《甲》，请修改后在截止时间前重新提交。理由：缺少教学设计",
            "sent",
        )
    ]
    note = Notification.objects.get()
    assert note.person == province.school_a_admin
    assert note.url == f"/manage/selection/?campaign={campaign.pk}&unit={province.school_a.pk}"


def test_confirmed_list_tells_teachers_whose_work_goes_up(
    province, campaign, lessons, mailboxes, django_capture_on_commit_callbacks
):

    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙")
    admin = Actor(province.school_a_admin)
    decide(admin, a, "recommended")
    decide(admin, b, "not_recommended", reason="重复")
    reset_mailboxes()  # the two decisions sent their own notices
    with django_capture_on_commit_callbacks(execute=True):
        confirm_list(admin, campaign, level(campaign, "school"), province.school_a)
    assert outbox_rows() == [
        (
            "wang@school-a.cn",
            "《甲》已报送“县级初选”",
            "东湖区实验小学已确认“学校推荐”推荐名单，《甲》已报送“县级初选”遴选。",
            "sent",
        )
    ]


def test_person_without_email_gets_only_the_in_app_notification(province):
    notify(province.teacher_b, "award", title="获奖", body="一等奖")
    assert Notification.objects.filter(person=province.teacher_b).count() == 1
    assert OutboxEmail.objects.count() == 0


def test_sent_once(province, mailboxes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(province.teacher_a, "award", title="获奖通知", body="一等奖")
    email = OutboxEmail.objects.get()
    send_one(email.pk)
    send_outbox.delay(email.pk)
    email.refresh_from_db()
    assert (email.state, email.attempts, len(mail.outbox)) == ("sent", 1, 1)


def test_failure_is_recorded_and_retried_keeping_last_error(province, mailboxes, settings):
    notify(province.teacher_a, "award", title="获奖通知", body="一等奖")
    email = OutboxEmail.objects.get()
    settings.EMAIL_BACKEND = FAILING
    with pytest.raises(SendFailed):
        send_one(email.pk)
    email.refresh_from_db()
    error = "ConnectionRefusedError: smtp.example.cn:25 拒绝连接"
    assert (email.state, email.attempts, email.last_error) == ("failed", 1, error)

    # The task asks Celery for a retry with backoff instead of failing for good.
    with pytest.raises(Retry) as retry:
        send_outbox.apply(args=[email.pk])
    assert 0 <= retry.value.when <= 1  # up to 2**0 s (jittered); doubles each retry
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == ("failed", 2, error)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_one(email.pk)
    email.refresh_from_db()
    assert (email.state, email.last_error, len(mail.outbox)) == ("sent", error, 1)


def test_task_retry_policy():
    assert send_outbox.autoretry_for == (SendFailed,)
    assert send_outbox.retry_backoff is True


def test_beat_schedule_names_the_reminder_task():
    from youke.notifications.schedule import beat_schedule

    entries = beat_schedule()
    assert [e["task"] for e in entries.values()] == ["notifications.deadline_reminders"]
