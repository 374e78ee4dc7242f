"""The collection pages: index of both sides, task status list, reminders, export, a unit's
contact sheet and document versions, review; scoping (another county's is 404)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.collections.conftest import PDF, make_task, pdf, return_of, sheet
from tests.factories import make_admin, make_unit
from youke.collections.domain import returns
from youke.collections.enums import CollectionKind, ReturnState
from youke.collections.models import CollectionTask
from youke.core.actor import Actor
from youke.notifications.models import Notification
from youke.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db
URL = "/manage/collections/"


def _confirm(province, task, unit, admin):
    row = return_of(task, unit)
    returns.save_contacts(Actor(admin), row, sheet())
    returns.attach_scan(Actor(admin), row, pdf())
    returns.confirm_contacts(Actor(admin), row)
    return row


def test_index_shows_tasks_to_fill_and_to_follow(client, province, contact_task):
    draft = make_task(province.county_a, province.county_a_admin, open_it=False, title="学校联系表")
    client.force_login(province.county_a_admin)
    response = client.get(URL)
    assert [r.task.title for r in response.context["fill_page"]] == ["报送联系表"]
    assert [t.pk for t in response.context["page"]] == [draft.pk]
    client.force_login(province.county_b_admin)
    response = client.get(URL)
    assert [r.unit.name for r in response.context["fill_page"]] == ["西岭县"]
    assert list(response.context["page"]) == []


def test_create_and_open_from_the_pages(client, province):
    client.force_login(province.city_admin)
    response = client.post(
        URL + "new/",
        {
            "unit_code": province.city.code,
            "title": "关于报送实施方案的通知",
            "kind": "plan",
            "target_kind": "",
            "deadline": "2099-01-01",
            "remind_days": 3,
            "instructions": "报市电教馆审定",
        },
    )
    task = CollectionTask.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{task.pk}/"
    assert (task.kind, task.state, task.issuing_unit) == ("plan", "draft", province.city)
    client.post(f"{URL}{task.pk}/open/")
    task.refresh_from_db()
    assert task.state == "open"
    assert sorted(task.returns.values_list("unit__name", flat=True)) == ["东湖区", "西岭县"]


def test_create_refuses_a_unit_outside_scope_keeping_the_form(client, province):
    client.force_login(province.county_a_admin)
    response = client.post(
        URL + "new/",
        {
            "unit_code": province.county_b.code,
            "title": "x",
            "kind": "plan",
            "deadline": "2099-01-01",
            "remind_days": 3,
        },
    )
    assert response.status_code == 200
    assert "不在您的管理范围内" in response.context["form"].errors["unit_code"][0]
    assert response.context["form"]["title"].value() == "x"


def test_task_page_statuses_missing_and_remind_button(client, province, contact_task):
    _confirm(province, contact_task, province.county_a, province.county_a_admin)
    client.force_login(province.city_admin)
    response = client.get(f"{URL}{contact_task.pk}/")
    assert [(r.unit.name, r.status) for r in response.context["rows"]] == [
        ("东湖区", "submitted"),
        ("西岭县", "pending"),
    ]
    assert [r.unit.name for r in response.context["missing"]] == ["西岭县"]
    only = client.get(f"{URL}{contact_task.pk}/", {"status": "pending"}).context
    assert [r.unit.name for r in only["rows"]] == ["西岭县"] and only["total"] == 2
    Notification.objects.all().delete()
    response = client.post(f"{URL}{contact_task.pk}/remind/", follow=True)
    assert "已提醒 1 个尚未报送的单位" in response.content.decode()
    assert list(Notification.objects.values_list("person__username", flat=True)) == ["countyb"]


def test_export_xlsx_in_the_notice_layout(client, province, contact_task):
    _confirm(province, contact_task, province.county_b, province.county_b_admin)
    client.force_login(province.city_admin)
    response = client.get(f"{URL}{contact_task.pk}/contacts.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert rows[0][0] == "报送联系表"
    assert rows[1] == [
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
    assert [row[:3] for row in rows[2:]] == [
        ["西岭县", "负责人", "leader姓名"],
        ["西岭县", "联系人", "contact姓名"],
        ["西岭县", "管理员", "admin姓名"],
    ]


def test_another_county_is_404(client, province, contact_task, plan_task):
    """A county sees its own return, never the other county's; follow-up pages are the
    issuer's only (BRIEF §7: an id from another county is 404)."""
    other = return_of(contact_task, province.county_b)
    returns.add_version(
        Actor(province.county_b_admin), return_of(plan_task, province.county_b), pdf()
    )
    version = return_of(plan_task, province.county_b).versions.get()
    client.force_login(province.county_a_admin)
    assert client.get(f"{URL}returns/{other.pk}/").status_code == 404
    assert client.post(f"{URL}returns/{other.pk}/contacts/", {"save": "1"}).status_code == 404
    assert client.get(f"{URL}versions/{version.pk}/file").status_code == 404
    assert client.get(f"{URL}{contact_task.pk}/contacts.xlsx").status_code == 404
    assert client.post(f"{URL}{contact_task.pk}/remind/").status_code == 404
    response = client.get(f"{URL}{contact_task.pk}/")
    assert [r.unit.name for r in response.context["rows"]] == ["东湖区"]
    draft = make_task(province.county_b, province.county_b_admin, open_it=False)
    assert client.get(f"{URL}{draft.pk}/").status_code == 404
    client.force_login(province.school_a_admin)
    assert client.get(f"{URL}{contact_task.pk}/").status_code == 404


def test_contact_draft_keeps_typed_values_and_confirm_reports(client, province, contact_task):
    row = return_of(contact_task, province.county_a)
    client.force_login(province.county_a_admin)
    data = {
        f"{role}-{field}": value
        for role, values in sheet(mobile="123").items()
        for field, value in values.items()
    }
    response = client.post(f"{URL}returns/{row.pk}/contacts/", {**data, "confirm": "1"})
    assert response.status_code == 200
    form = response.context["contact_form"]
    assert "手机号应为 11 位数字" in form.errors["leader-mobile"][0]
    assert form["leader-mobile"].value() == "123"
    assert form.non_field_errors() == ["请先上传盖章后的联系表扫描件（PDF、JPG 或 PNG）。"]
    row.refresh_from_db()
    assert row.state == ReturnState.PENDING
    assert row.contacts.get(role="leader").mobile == "123"
    # the page later shows what was saved
    assert (
        client.get(f"{URL}returns/{row.pk}/").context["contact_form"].initial["leader-mobile"]
        == "123"
    )
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    client.post(f"{URL}returns/{row.pk}/scan/", {"file": scan})
    data = {k: ("13912345678" if k.endswith("mobile") else v) for k, v in data.items()}
    response = client.post(f"{URL}returns/{row.pk}/contacts/", {**data, "confirm": "1"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == ReturnState.SUBMITTED and row.scan_type == "application/pdf"


def test_document_upload_review_and_versions_on_the_page(client, province, plan_task):
    row = return_of(plan_task, province.county_a)
    client.force_login(province.county_a_admin)
    upload = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    client.post(f"{URL}returns/{row.pk}/versions/", {"file": upload, "note": "初稿"})
    client.force_login(province.city_admin)
    client.post(f"{URL}returns/{row.pk}/review/return/", {"comment": "请补充"})
    client.force_login(province.county_a_admin)
    upload = SimpleUploadedFile("方案2.pdf", PDF, content_type="application/pdf")
    client.post(f"{URL}returns/{row.pk}/versions/", {"file": upload})
    client.force_login(province.city_admin)
    client.post(f"{URL}returns/{row.pk}/review/approve/", {"comment": ""})
    response = client.get(f"{URL}returns/{row.pk}/")
    assert [(v.number, v.decision) for v in response.context["versions"]] == [
        (2, "approved"),
        (1, "returned"),
    ]
    first = row.versions.get(number=1)
    download = client.get(f"{URL}versions/{first.pk}/file")
    assert b"".join(download.streaming_content) == PDF
    status = client.get(f"{URL}{plan_task.pk}/").context["rows"]
    assert [(r.unit.name, r.status, r.latest_version) for r in status] == [
        ("东湖区", "approved", 2),
        ("西岭县", "pending", None),
    ]


def _city_with(province, n: int):
    city = make_unit(province.province, UnitKind.CITY)
    admin = make_admin(city)
    for _ in range(n):
        county = make_unit(city, UnitKind.COUNTY)
        make_admin(county)
    task = make_task(city, admin, CollectionKind.PLAN)
    for row in task.returns.select_related("unit", "task__issuing_unit"):
        returns.add_version(Actor(admin), row, pdf())
    return admin, task


def test_status_list_query_count_is_fixed(client, province):
    counts = []
    for n in (1, 3):
        admin, task = _city_with(province, n)
        client.force_login(admin)
        client.get(f"{URL}{task.pk}/")  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}{task.pk}/")
        assert len(response.context["rows"]) == n
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_index_query_count_is_fixed(client, province):
    counts = []
    for n in (1, 3):
        admin, task = _city_with(province, n)
        for _ in range(n - 1):
            make_task(task.issuing_unit, admin)
        received = [
            make_task(province.province, province.province_admin, target_kind=UnitKind.CITY)
            for _ in range(n)
        ]
        client.force_login(admin)
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert len(response.context["page"]) == n
        # the province's task to fill; its own tasks' returns are followed, not filled
        assert {r.task for r in response.context["fill_page"]} == set(received)
        counts.append(len(captured))
    assert counts[0] == counts[1]
