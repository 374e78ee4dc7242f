import datetime

import pytest
from django.utils import timezone

from tests.factories import make_admin, make_person
from tests.selection.conftest import level, submitted
from youke.campaigns.models import Level, UnitDeadline
from youke.core.actor import Actor
from youke.notifications.domain.reminders import send_deadline_reminders
from youke.notifications.models import Notification
from youke.notifications.tasks import deadline_reminders
from youke.orgs.enums import Role
from youke.selection.domain.entries import decide
from youke.submissions.models import Submission

pytestmark = pytest.mark.django_db


def draft(campaign, teacher, node, title):
    return Submission.objects.create(
        campaign=campaign,
        category=campaign.categories.order_by("order", "id").first(),
        node=node,
        teacher=teacher,
        unit=teacher.unit,
        title=title,
    )


@pytest.fixture
def due(province, campaign, lessons):
    """School level (and so the teacher deadline) ends in 3 days, except in county B (1 day)."""
    now = timezone.now()
    school = level(campaign, "school")
    Level.objects.filter(pk=school.pk).update(deadline=now + datetime.timedelta(days=3))
    UnitDeadline.objects.create(
        campaign=campaign,
        level=school,
        unit=province.county_b,
        deadline=now + datetime.timedelta(days=1),
    )
    school_b_admin = make_admin(province.school_b, full_name="西岭一中管理员")
    quiet_teacher = make_person(province.school_a, Role.TEACHER, full_name="已提交老师")
    late_teacher = make_person(province.school_a, Role.TEACHER, full_name="草稿老师")
    submitted(campaign, province.teacher_a, lessons[0], "待审作品")
    decided = submitted(campaign, quiet_teacher, lessons[1], "已处理作品")
    decide(Actor(province.school_a_admin), decided, "recommended")
    submitted(campaign, province.teacher_b, lessons[2], "西岭待审")  # county B: 1 day left
    draft(campaign, late_teacher, lessons[3], "草稿一")
    draft(campaign, late_teacher, lessons[4], "草稿二")  # two drafts, one reminder
    draft(campaign, make_person(province.school_b, Role.TEACHER), lessons[5], "西岭草稿")
    return {"school_b_admin": school_b_admin, "late_teacher": late_teacher}


def reminded():
    return sorted(
        Notification.objects.filter(kind="deadline_soon").values_list("person__full_name", "title")
    )


def test_reminds_exactly_the_right_people_once_per_day(province, campaign, due):
    today = timezone.localdate()
    at = timezone.localtime(level(campaign, "school").deadline).strftime("%Y-%m-%d %H:%M")
    assert send_deadline_reminders(today) == 2
    assert reminded() == [
        ("东湖小学管理员", f"“学校推荐”将于 {at} 截止"),
        ("草稿老师", f"“精品课测试”教师申报将于 {at} 截止"),
    ]
    admin_note = Notification.objects.get(person=province.school_a_admin)
    assert admin_note.body == (
        f"“精品课测试”的“学校推荐”将于 {at} 截止，还有 1 件作品待审。请在截止前处理并确认推荐名单。"
    )
    # A second run the same day (a restarted worker) adds nothing.
    deadline_reminders.delay()
    assert len(reminded()) == 2
    # The next day the deadline is two days away: nobody is reminded again.
    assert send_deadline_reminders(today + datetime.timedelta(days=1)) == 0


def test_nothing_when_deadline_is_further_away(province, campaign, due):
    assert send_deadline_reminders(timezone.localdate() - datetime.timedelta(days=1)) == 0
    assert reminded() == []
