"""Pages: scoping (404 for another unit's programme and task), 我的任务, fixed query counts,
progress notes and evidence, and the xlsx 台账 row by row."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_admin, make_unit
from tests.programmes.conftest import TODAY, make_task
from youke.core.actor import Actor
from youke.orgs.enums import UnitKind
from youke.programmes.domain import programmes, tasks
from youke.programmes.enums import TaskStatus
from youke.programmes.models import EvidenceFile, Programme


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def other_city(province):
    city = make_unit(province.province, UnitKind.CITY, "云水市", code="990200")
    return city, make_admin(city, username="othercity", full_name="云水市管理员")


def test_programme_and_task_of_another_city_are_404(province, programme, area, other_city):
    task = make_task(province, programme, area, units=[province.county_a], deadline=_day(10))
    _city, outsider = other_city
    client = client_for(outsider)
    for url in (
        reverse("manage_programmes:programme_detail", args=[programme.pk]),
        reverse("manage_programmes:programme_tasks", args=[programme.pk]),
        reverse("manage_programmes:export_xlsx", args=[programme.pk]),
        reverse("manage_programmes:task_detail", args=[task.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("manage_programmes:task_status", args=[task.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_sibling_county_sees_the_programme_but_not_the_task(province, programme, area):
    task = make_task(province, programme, area, units=[province.county_a], deadline=_day(10))
    client = client_for(province.county_b_admin)
    assert (
        client.get(reverse("manage_programmes:programme_detail", args=[programme.pk])).status_code
        == 200
    )
    assert client.get(reverse("manage_programmes:task_detail", args=[task.pk])).status_code == 404
    response = client.get(reverse("manage_programmes:my_tasks"))
    assert response.context["page"].object_list == []


def test_my_tasks_lists_the_units_own_tasks_flagging_overdue(province, programme, area, today):
    mine = make_task(province, programme, area, units=[province.county_a], deadline=_day(-2))
    school = make_task(province, programme, area, units=[province.school_a], deadline=_day(20))
    make_task(province, programme, area, units=[province.county_b], deadline=_day(-2))
    response = client_for(province.county_a_admin).get(reverse("manage_programmes:my_tasks"))
    rows = response.context["page"].object_list
    assert [(t.pk, t.overdue) for t in rows] == [(mine.pk, True), (school.pk, False)]
    assert 'class="table-danger"' in response.content.decode()
    # The school's admin sees only the school's task.
    response = client_for(province.school_a_admin).get(reverse("manage_programmes:my_tasks"))
    assert [t.pk for t in response.context["page"].object_list] == [school.pk]


def test_owner_filters_by_area_unit_status_overdue(province, programme, area, today):
    late = make_task(province, programme, area, units=[province.county_a], deadline=_day(-2))
    school = make_task(province, programme, area, units=[province.school_a], deadline=_day(20))
    other = make_task(province, programme, area, units=[province.county_b], deadline=_day(5))
    tasks.set_task_status(Actor(province.city_admin), other, TaskStatus.IN_PROGRESS)
    client = client_for(province.city_admin)
    url = reverse("manage_programmes:programme_tasks", args=[programme.pk])

    def listed(**query):
        return [t.pk for t in client.get(url, query).context["page"].object_list]

    assert listed() == [late.pk, school.pk, other.pk]
    assert listed(overdue="1") == [late.pk]
    assert listed(unit=province.county_a.code) == [late.pk, school.pk]
    assert listed(status="in_progress") == [other.pk]
    assert listed(area=str(area.pk), unit=province.county_b.code) == [other.pk]
    detail = client.get(reverse("manage_programmes:programme_detail", args=[programme.pk]))
    assert detail.context["figures"]["overdue"] == 1
    assert detail.context["status_counts"][:2] == [("未开始", 2), ("进行中", 1)]


@pytest.mark.parametrize("view", ["my_tasks", "programme_tasks"])
def test_task_list_query_count_is_fixed(province, programme, area, view, today):
    """1 task or 3 tasks (with units, notes): the same number of queries (no N+1)."""
    client = client_for(
        province.city_admin if view == "programme_tasks" else province.county_a_admin
    )
    url = (
        reverse("manage_programmes:programme_tasks", args=[programme.pk])
        if view == "programme_tasks"
        else reverse("manage_programmes:my_tasks")
    )

    def add_one():
        task = make_task(
            province,
            programme,
            area,
            units=[province.county_a, province.school_a],
            deadline=_day(3),
        )
        tasks.add_note(Actor(province.county_a_admin), task, text="已部署", percent=10)

    add_one()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["page"].object_list) == 1
    add_one()
    add_one()
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).context["page"].object_list) == 3
    assert len(one) == len(three)


def test_responsible_unit_adds_note_evidence_and_completes(province, programme, area, today):
    task = make_task(province, programme, area, units=[province.county_a], deadline=_day(10))
    client = client_for(province.county_a_admin)
    response = client.post(
        reverse("manage_programmes:task_note", args=[task.pk]),
        {"date": "2026-06-14", "text": "已完成全区培训", "percent": "80"},
    )
    assert response.status_code == 302
    note = task.notes.get()
    assert (note.unit, note.date, note.text, note.percent) == (
        province.county_a,
        datetime.date(2026, 6, 14),
        "已完成全区培训",
        80,
    )
    content = b"%PDF-1.4 evidence"
    client.post(
        reverse("manage_programmes:task_evidence", args=[task.pk]),
        {"file": SimpleUploadedFile("培训通知.pdf", content, content_type="application/pdf")},
    )
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.size, evidence.sha256, evidence.content_type) == (
        "培训通知.pdf",
        len(content),
        hashlib.sha256(content).hexdigest(),
        "application/pdf",
    )
    download = client.get(reverse("manage_programmes:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == content
    assert (
        client_for(province.county_b_admin)
        .get(reverse("manage_programmes:evidence_download", args=[evidence.pk]))
        .status_code
        == 404
    )
    # A bad file type is refused with the reason; nothing saved.
    response = client.post(
        reverse("manage_programmes:task_evidence", args=[task.pk]),
        {"file": SimpleUploadedFile("a.exe", b"MZ")},
        follow=True,
    )
    assert "不支持该文件类型（.exe）" in response.content.decode()
    assert EvidenceFile.objects.count() == 1
    for status in ("in_progress", "completed"):
        client.post(reverse("manage_programmes:task_status", args=[task.pk]), {"status": status})
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    # Pausing is the owner's: the unit's attempt is refused with the reason.
    response = client.post(
        reverse("manage_programmes:task_status", args=[task.pk]), {"status": "paused"}, follow=True
    )
    assert "须由牵头单位（青山市）的管理员操作" in response.content.decode()


def test_export_rows_are_exact(province, programme, area, today):
    second = programmes.add_area(Actor(province.city_admin), programme, name="规范课程教材管理")
    late = make_task(
        province,
        programme,
        area,
        units=[province.county_b, province.county_a],
        deadline=_day(-1),
        title="树立科学的教育质量观",
    )
    make_task(
        province,
        programme,
        second,
        units=[province.school_a],
        deadline=_day(30),
        title="开齐课程",
        lead="教师进修学校",
    )
    tasks.add_note(Actor(province.county_a_admin), late, text="已自查", date=_day(-5), percent=40)
    tasks.add_note(Actor(province.county_b_admin), late, text="整改中", date=_day(-1))
    response = client_for(province.city_admin).get(
        reverse("manage_programmes:export_xlsx", args=[programme.pk])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "青山市基础教育课程教学改革深化行动 工作台账和任务清单"
    assert rows[2] == [
        "序号",
        "任务领域",
        "任务",
        "牵头部门",
        "责任单位",
        "完成时限",
        "状态",
        "最新进展",
    ]
    assert rows[3:] == [
        [
            1,
            "1. 转变教育理念",
            "树立科学的教育质量观",
            "教育科",
            "东湖区、西岭县",
            "2026-06-14",
            "未开始（逾期）",
            "2026-06-14 整改中",
        ],
        [
            2,
            "2. 规范课程教材管理",
            "开齐课程",
            "教师进修学校",
            "东湖区实验小学",
            "2026-07-15",
            "未开始",
            None,
        ],
    ]


def test_bureau_builds_a_programme_through_the_pages(province, today):
    """Create with stages, add roster, area and task; bad input keeps what was typed."""
    client = client_for(province.city_admin)
    url = reverse("manage_programmes:programme_create")
    form = {
        "owner_unit": province.city.pk,
        "name": "深化行动",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "stage1_name": "动员部署阶段",
        "stage1_start": "2026-01-01",
        "stage1_end": "2027-03-01",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "超出了行动计划的起止日期" in response.content.decode()
    assert 'value="深化行动"' in response.content.decode()
    response = client.post(url, form | {"stage1_end": "2026-06-30"})
    programme = Programme.objects.get()
    assert response.url == reverse("manage_programmes:programme_detail", args=[programme.pk])
    assert list(programme.stages.values_list("name", "end_date")) == [
        ("动员部署阶段", datetime.date(2026, 6, 30))
    ]
    detail = reverse("manage_programmes:programme_detail", args=[programme.pk])
    client.post(
        reverse("manage_programmes:roster_add", args=[programme.pk]),
        {"role": "leader", "name": "周明远", "department": "市教育局", "position": "局长"},
    )
    client.post(
        reverse("manage_programmes:area_add", args=[programme.pk]), {"name": "转变教育理念"}
    )
    area = programme.areas.get()
    response = client.post(
        reverse("manage_programmes:task_create", args=[programme.pk]),
        {
            "area": area.pk,
            "title": "树立科学的教育质量观",
            "lead_department": "教育科",
            "unit_codes": f"{province.county_a.code}，{province.county_b.code}",
            "deadline": "2026-09-30",
        },
    )
    task = programme.tasks.get()
    assert response.url == reverse("manage_programmes:task_detail", args=[task.pk])
    assert sorted(task.units.values_list("code", flat=True)) == ["990101", "990102"]
    page = client.get(detail).content.decode()
    assert "周明远" in page and "转变教育理念" in page
    # Another city's unit code is refused by name, nothing added.
    response = client.post(
        reverse("manage_programmes:task_create", args=[programme.pk]),
        {"area": area.pk, "title": "x", "unit_codes": "990200", "deadline": "2026-09-30"},
        follow=True,
    )
    assert "以下单位代码不存在或不在牵头单位范围内：990200" in response.content.decode()
    assert programme.tasks.count() == 1
    # The county admin cannot write the plan.
    county = client_for(province.county_a_admin)
    assert (
        county.post(
            reverse("manage_programmes:area_add", args=[programme.pk]), {"name": "x"}
        ).status_code
        == 404
    )


def test_list_and_programme_page_show_counts_and_chart_data(province, programme, area, today):
    make_task(province, programme, area, units=[province.county_a], deadline=_day(-1))
    client = client_for(province.county_a_admin)
    listing = client.get(reverse("manage_programmes:programme_list"))
    assert [p.pk for p in listing.context["page"].object_list] == [programme.pk]
    page = client.get(reverse("manage_programmes:programme_detail", args=[programme.pk]))
    assert page.context["chart"] == {
        "areas": ["1. 转变教育理念"],
        "series": [
            {"name": "未开始", "data": [1]},
            {"name": "进行中", "data": [0]},
            {"name": "已完成", "data": [0]},
            {"name": "已暂停", "data": [0]},
        ],
        "overdue": {"name": "逾期", "data": [1]},
    }
    html = page.content.decode()
    assert 'id="programme-chart-data"' in html and "manage/programmes.js" in html
    assert "<script>" not in html.replace('<script id="programme-chart-data"', "")
    # The county is not the owner: no forms to change the plan.
    assert page.context["manages"] is False and "roster_form" not in page.context
