"""Summary sheet (推荐汇总表): exact rows, formula safety, scope and confirmation."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tests.selection.conftest import level, submitted
from youke.core.actor import Actor
from youke.core.enums import JobState
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain import summary
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.enums import EntryState
from youke.selection.models import LevelList, SummarySheetConfirmation

pytestmark = pytest.mark.django_db


def build_list(province, campaign, lessons, *, confirm=True):
    """School A's school-level list: two recommended (one formula-looking), one not."""
    from youke.orgs.models import Person

    Person.objects.filter(pk=province.teacher_a.pk).update(mobile="13912345678")
    a = submitted(campaign, province.teacher_a, lessons[0], "=SUM(A1:A9)")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙课")
    c = submitted(campaign, province.teacher_a, lessons[2], "丙课")
    admin = Actor(province.school_a_admin)
    decide(admin, a, EntryState.RECOMMENDED)
    decide(admin, b, EntryState.RECOMMENDED)
    decide(admin, c, EntryState.NOT_RECOMMENDED, reason="重复")
    if confirm:
        confirm_list(admin, campaign, level(campaign, "school"), province.school_a)
    row = LevelList.objects.get(level=level(campaign, "school"), unit=province.school_a)
    return row, (a, b, c)


def generate(run_on_commit, person, row):
    job = run_on_commit(summary.request_summary_sheet, Actor(person), row)
    job.refresh_from_db()
    return job


def read_sheet(job):
    with job.output_file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    return rows


def test_sheet_rows_and_columns(province, campaign, lessons, run_on_commit):
    row, (a, b, _c) = build_list(province, campaign, lessons)
    job = generate(run_on_commit, province.school_a_admin, row)
    assert job.state == JobState.SUCCEEDED, job.message
    assert job.result == {"rows": 2, "level_list": row.pk}
    grade = lessons[0].get_parent().get_parent()
    edition = grade.get_parent()
    # Ordered by node path: lessons[0] and lessons[1] share a parent, created in order.
    expected_head = [
        "序号", "推荐单位", "学校", "课程节点编号", "学段", "学科", "教材版本", "年级/册次",
        "课题", "类别", "教师", "手机号", "状态", "评分", "排名", "奖项",
    ]  # fmt: skip
    category = a.submission.category.name
    common = ["小学", "数学", edition.name, grade.name]
    assert read_sheet(job) == [
        expected_head,
        [1, "东湖区实验小学", "东湖区实验小学", lessons[0].code, *common, "'=SUM(A1:A9)",
         category, "王老师", "139****5678", "推荐", None, None, None],
        [2, "东湖区实验小学", "东湖区实验小学", lessons[1].code, *common, "乙课",
         category, "王老师", "139****5678", "推荐", None, None, None],
    ]  # fmt: skip


def test_only_confirmed_lists(province, campaign, lessons):
    row, _entries = build_list(province, campaign, lessons, confirm=False)
    with pytest.raises(ValidationError, match="推荐名单尚未确认"):
        summary.request_summary_sheet(Actor(province.school_a_admin), row)
    assert list(summary.lists_visible_to(province.school_a_admin)) == []


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("school_a_admin", True),
        ("county_a_admin", True),
        ("city_admin", True),
        ("platform_admin", True),
        ("county_b_admin", False),
        ("teacher_a", False),
        ("expert", False),
    ],
)
def test_permission_table(province, campaign, lessons, client, who, sees):
    row, _entries = build_list(province, campaign, lessons)
    person = getattr(province, who)
    assert summary.can_view_sheet(person, row) is sees
    assert (row in summary.lists_visible_to(person)) is sees
    client.force_login(person)
    response = client.post(reverse("manage_publicity:sheet_generate", args=[row.pk]))
    if sees:
        assert response.status_code == 302
        assert response["Location"].startswith("/manage/jobs/")
    else:
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            summary.request_summary_sheet(Actor(person), row)


def test_confirmation_records_count_and_hash(province, campaign, lessons, run_on_commit, client):
    row, _entries = build_list(province, campaign, lessons)
    job = generate(run_on_commit, province.school_a_admin, row)
    with job.output_file.open("rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    client.force_login(province.school_a_admin)
    page = client.get(reverse("manage_publicity:sheet_list"))
    assert [r["list"] for r in page.context["rows"]] == [row]
    assert page.context["rows"][0]["job"] == job
    response = client.post(
        reverse("manage_publicity:sheet_confirm", args=[row.pk]), {"job": job.pk}
    )
    assert response.status_code == 302
    confirmation = SummarySheetConfirmation.objects.get()
    assert (confirmation.level_list, confirmation.job, confirmation.row_count) == (row, job, 2)
    assert (confirmation.sha256, confirmation.confirmed_by) == (digest, province.school_a_admin)
    event = AuditEvent.objects.get(object_type="selection.summarysheetconfirmation")
    assert (event.actor, event.unit, event.after["sha256"]) == (
        province.school_a_admin,
        province.school_a,
        digest,
    )


def test_only_sending_unit_confirms_its_own_job(province, campaign, lessons, run_on_commit):
    row, _entries = build_list(province, campaign, lessons)
    county_job = generate(run_on_commit, province.county_a_admin, row)
    school_job = generate(run_on_commit, province.school_a_admin, row)
    with pytest.raises(PermissionDenied):
        summary.confirm_summary_sheet(Actor(province.county_a_admin), row, county_job)
    with pytest.raises(PermissionDenied):
        summary.confirm_summary_sheet(Actor(province.school_a_admin), row, county_job)
    summary.confirm_summary_sheet(Actor(province.school_a_admin), row, school_job)
    assert SummarySheetConfirmation.objects.count() == 1
