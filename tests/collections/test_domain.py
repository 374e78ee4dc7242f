"""Collections domain: transition tables, targets, contact sheets, versions, reviews,
reminders (issue 11 items 5 and 6)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.collections.conftest import PNG, make_task, pdf, return_of, sheet
from youke.collections.domain import exports, reminders, returns, tasks
from youke.collections.enums import (
    RETURN_TRANSITIONS,
    TASK_TRANSITIONS,
    CollectionKind,
    ReturnState,
    ReturnStatus,
    TaskState,
)
from youke.collections.models import CollectionReturn, ContactEntry
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.notifications.models import Notification, OutboxEmail
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db


def test_task_transition_table_is_exact():
    assert {
        TaskState.DRAFT: {TaskState.OPEN},
        TaskState.OPEN: {TaskState.CLOSED},
        TaskState.CLOSED: set(),
    } == TASK_TRANSITIONS
    assert {
        ReturnState.PENDING: {ReturnState.SUBMITTED},
        ReturnState.SUBMITTED: {ReturnState.APPROVED, ReturnState.RETURNED},
        ReturnState.RETURNED: {ReturnState.SUBMITTED},
        ReturnState.APPROVED: set(),
    } == RETURN_TRANSITIONS


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (TaskState.DRAFT, TaskState.OPEN, True),
        (TaskState.DRAFT, TaskState.CLOSED, False),
        (TaskState.OPEN, TaskState.CLOSED, True),
        (TaskState.OPEN, TaskState.OPEN, False),
        (TaskState.CLOSED, TaskState.OPEN, False),
        (TaskState.CLOSED, TaskState.CLOSED, False),
    ],
)
def test_task_transitions_state_by_state(province, start, target, allowed):
    actor = Actor(province.city_admin)
    task = make_task(province.city, province.city_admin, open_it=False)
    if start != TaskState.DRAFT:
        tasks.open_task(actor, task)
    if start == TaskState.CLOSED:
        tasks.close_task(actor, task)
    if allowed:
        assert tasks.set_task_state(actor, task, target).state == target
    else:
        with pytest.raises(ValidationError):
            tasks.set_task_state(actor, task, target)
    task.refresh_from_db()
    assert task.state == (target if allowed else start)


def test_opening_creates_returns_and_notifies_target_admins(
    province, django_capture_on_commit_callbacks
):
    task = make_task(province.city, province.city_admin, open_it=False)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.open_task(Actor(province.city_admin), task)
    units = list(
        CollectionReturn.objects.filter(task=task)
        .order_by("unit__path")
        .values_list("unit__name", flat=True)
    )
    assert units == ["东湖区", "西岭县"]
    assert sorted(Notification.objects.values_list("person__username", flat=True)) == [
        "countya",
        "countyb",
    ]
    assert AuditEvent.objects.filter(object_type="collections.collectiontask").count() == 2


def test_subtree_targets_by_unit_kind(province):
    task = make_task(province.city, province.city_admin, target_kind=UnitKind.SCHOOL)
    assert sorted(task.returns.values_list("unit__name", flat=True)) == [
        "东湖区实验小学",
        "西岭县第一中学",
    ]


def test_create_refuses_past_deadline_and_foreign_unit(province):
    with pytest.raises(ValidationError) as caught:
        make_task(
            province.city,
            province.city_admin,
            open_it=False,
            deadline=datetime.date(2020, 1, 1),
        )
    assert "截止日期不能早于今天" in caught.value.message_dict["deadline"][0]
    with pytest.raises(PermissionDenied):
        make_task(province.county_b, province.county_a_admin, open_it=False)


def test_draft_keeps_what_was_typed_and_confirm_names_each_problem(province, contact_task):
    row = return_of(contact_task, province.county_a)
    actor = Actor(province.county_a_admin)
    typed = sheet(mobile="1391234", email="not-an-email")
    problems = returns.save_contacts(actor, row, typed)
    assert set(problems) == {
        f"{role}-{f}" for role in ("leader", "contact", "admin") for f in ("mobile", "email")
    }
    stored = ContactEntry.objects.get(collection_return=row, role="leader")
    assert (stored.name, stored.mobile, stored.email) == ("leader姓名", "1391234", "not-an-email")
    with pytest.raises(ValidationError) as caught:
        returns.confirm_contacts(actor, row)
    assert "scan" in caught.value.message_dict and "leader-mobile" in caught.value.message_dict
    row.refresh_from_db()
    assert row.state == ReturnState.PENDING
    assert ContactEntry.objects.get(collection_return=row, role="leader").mobile == "1391234"


def test_confirm_with_scan_submits(province, contact_task):
    row = return_of(contact_task, province.county_a)
    actor = Actor(province.county_a_admin)
    assert returns.save_contacts(actor, row, sheet()) == {}
    with pytest.raises(ValidationError) as caught:
        returns.attach_scan(actor, row, ContentFile(b"plain text, not a scan", name="x.pdf"))
    assert "PDF、JPG 或 PNG" in caught.value.message_dict["scan"][0]
    returns.attach_scan(actor, row, ContentFile(PNG, name="scan.pdf"))
    row.refresh_from_db()
    assert row.scan_type == "image/png" and row.scan.name.endswith(".png")
    returns.confirm_contacts(actor, row)
    row.refresh_from_db()
    assert row.state == ReturnState.SUBMITTED and row.submitted_by == province.county_a_admin


def test_prefill_comes_from_the_units_contact_sheet(province, contact_task):
    from youke.orgs.models import Contact

    Contact.objects.create(
        unit=province.county_a, role="leader", name="周局长", mobile="13900000001"
    )
    row = return_of(contact_task, province.county_a)
    assert returns.prefill(row)["leader"]["name"] == "周局长"


def test_versions_are_kept_with_their_review(
    province, plan_task, django_capture_on_commit_callbacks
):
    row = return_of(plan_task, province.county_a)
    unit, city = Actor(province.county_a_admin), Actor(province.city_admin)
    returns.add_version(unit, row, pdf("方案.pdf"), "初稿")
    with pytest.raises(ValidationError):  # waiting for review: no second upload yet
        returns.add_version(unit, row, pdf())
    with pytest.raises(ValidationError) as caught:
        returns.send_back(city, row, "  ")
    assert "修改意见" in caught.value.message_dict["comment"][0]
    with django_capture_on_commit_callbacks(execute=True):
        returns.send_back(city, row, "请补充保障措施。")
    assert list(
        Notification.objects.filter(kind="returned").values_list("person__username", "title")
    ) == [("countya", "青山市 退回了本单位的报送：实施方案")]
    row.refresh_from_db()
    assert row.status == ReturnStatus.RETURNED and row.comment == "请补充保障措施。"
    returns.add_version(unit, row, pdf("方案二.pdf"), "修改稿")
    returns.approve(city, row)
    versions = list(
        row.versions.order_by("number").values_list(
            "number", "original_name", "decision", "comment"
        )
    )
    assert versions == [
        (1, "方案.pdf", "returned", "请补充保障措施。"),
        (2, "方案二.pdf", "approved", ""),
    ]
    row.refresh_from_db()
    assert row.state == ReturnState.APPROVED
    with pytest.raises(ValidationError):
        returns.add_version(unit, row, pdf())


def test_only_the_issuing_side_reviews(province, plan_task):
    row = return_of(plan_task, province.county_a)
    returns.add_version(Actor(province.county_a_admin), row, pdf())
    with pytest.raises(PermissionDenied):
        returns.approve(Actor(province.county_a_admin), row)
    with pytest.raises(PermissionDenied):
        returns.add_version(
            Actor(province.county_b_admin), return_of(plan_task, province.county_a), pdf()
        )


def test_closed_task_takes_no_returns(province, plan_task):
    tasks.close_task(Actor(province.city_admin), plan_task)
    with pytest.raises(ValidationError) as caught:
        returns.add_version(
            Actor(province.county_a_admin), return_of(plan_task, province.county_a), pdf()
        )
    assert "已结束" in caught.value.messages[0]


def test_reminders_reach_exactly_the_missing_units(
    province, contact_task, django_capture_on_commit_callbacks
):
    """Only 西岭县 still owes its sheet: only its admin hears (in-app and outbox)."""
    row = return_of(contact_task, province.county_a)
    actor = Actor(province.county_a_admin)
    returns.save_contacts(actor, row, sheet())
    returns.attach_scan(actor, row, pdf())
    returns.confirm_contacts(actor, row)
    Notification.objects.all().delete()
    OutboxEmail.objects.all().delete()
    for admin, address in (
        (province.county_a_admin, "a@edu.example.cn"),
        (province.county_b_admin, "b@edu.example.cn"),
    ):
        admin.email = address
        admin.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_missing(Actor(province.city_admin), contact_task) == (1, 1)
    assert list(Notification.objects.values_list("person__username", "kind")) == [
        ("countyb", "deadline_soon")
    ]
    assert list(OutboxEmail.objects.values_list("to_address", "subject")) == [
        ("b@edu.example.cn", "提醒：请报送 报送联系表")
    ]
    # the same day again: nobody twice
    assert reminders.remind_missing(Actor(province.city_admin), contact_task) == (1, 0)


def test_scheduled_reminder_only_within_remind_days(province):
    today = timezone.localdate()
    near = make_task(
        province.city,
        province.city_admin,
        deadline=today + datetime.timedelta(days=2),
        remind_days=3,
    )
    make_task(
        province.city,
        province.city_admin,
        deadline=today + datetime.timedelta(days=9),
        remind_days=3,
    )
    Notification.objects.all().delete()
    assert reminders.remind_due() == 2
    assert sorted(Notification.objects.values_list("person__username", "dedupe_key")) == [
        ("countya", f"collection-due:{near.pk}"),
        ("countyb", f"collection-due:{near.pk}"),
    ]
    assert reminders.remind_due() == 0  # once per task


def test_export_rows_exact(province, contact_task):
    row = return_of(contact_task, province.county_a)
    actor = Actor(province.county_a_admin)
    returns.save_contacts(actor, row, sheet())
    returns.attach_scan(actor, row, pdf())
    returns.confirm_contacts(actor, row)
    # 西岭县 typed a draft but did not confirm: not in the consolidated sheet
    returns.save_contacts(
        Actor(province.county_b_admin), return_of(contact_task, province.county_b), sheet()
    )
    expected = [
        [
            "东湖区",
            role,
            f"{key}姓名",
            "女",
            "科长",
            "电教馆",
            "0379-63210000",
            "13912345678",
            "a@edu.example.cn",
        ]
        for key, role in (("leader", "负责人"), ("contact", "联系人"), ("admin", "管理员"))
    ]
    assert exports.contact_rows(contact_task) == expected
    assert exports.headers() == [
        "单位",
        "职责",
        "姓名",
        "性别",
        "职务",
        "负责部门",
        "办公电话",
        "手机",
        "电子邮箱",
    ]


def test_overdue_status(province, contact_task):
    row = return_of(contact_task, province.county_a)
    contact_task.deadline = timezone.localdate() - datetime.timedelta(days=1)
    contact_task.save(update_fields=["deadline"])
    row.refresh_from_db()
    assert row.status == ReturnStatus.OVERDUE and row.status_label == "逾期"
    assert CollectionKind.CONTACT_SHEET.label == "联系表"


def test_beat_runs_the_scheduled_reminder(province, settings):
    from youke.collections.tasks import remind_due

    entry = settings.CELERY_BEAT_SCHEDULE["collections-remind-due"]
    assert entry["task"] == remind_due.name == "collections.remind_due"
    today = timezone.localdate()
    make_task(province.city, province.city_admin, deadline=today, remind_days=1)
    Notification.objects.all().delete()
    remind_due.delay()
    assert sorted(Notification.objects.values_list("person__username", flat=True)) == [
        "countya",
        "countyb",
    ]
