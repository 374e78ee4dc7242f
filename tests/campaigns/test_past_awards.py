"""Past-award import: a background job with a row-by-row report; good rows are kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from youke.campaigns.domain.past_awards import JOB_KIND
from youke.campaigns.models import PastAward
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.models import AuditEvent, Job

pytestmark = pytest.mark.django_db
HEADERS = ["节点编号", "获奖级别", "年度", "课题", "教师", "单位", "来源"]


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("awards.xlsx", buffer.getvalue())


def run_import(province, run_on_commit, rows) -> Job:
    upload = xlsx(rows)
    job = run_on_commit(jobs.create_job, Actor(province.city_admin), JOB_KIND, upload=upload)
    return Job.objects.get(pk=job.pk)


def test_import_reports_bad_rows_and_keeps_good_ones(province, catalog, run_on_commit):
    rows = [
        ["C010201040101", "部级", 2023, "亿以内数的认识", "张老师", "东湖区实验小学", "国家平台"],
        ["C010201040101", "省级", 2022, "亿以内数的认识（二）", "", "", ""],
        ["NOPE", "国家级", "去年", "", "", "", ""],
        ["C010201010101", "ministry", 2024, "数一数", "李老师", "", ""],
    ]
    job = run_import(province, run_on_commit, rows)
    assert job.state == "succeeded"
    assert job.result["errors"] == [
        {
            "row": 4,
            "column": "节点编号",
            "reason": "节点编号 NOPE 不存在。请核对课程目录中的节点编号。",
        },
        {
            "row": 4,
            "column": "获奖级别",
            "reason": "获奖级别“国家级”无效，应为：市级、省级、部级。",
        },
        {"row": 4, "column": "年度", "reason": "年度“去年”无效，请填写四位年份，例如 2023。"},
        {"row": 4, "column": "课题", "reason": "课题不能为空，请填写获奖课例的课题。"},
    ]
    assert job.message == "导入完成：新增 3 条获奖记录，0 条已存在未重复导入，1 行有错误未导入。"
    assert sorted(PastAward.objects.values_list("node__code", "level", "year")) == [
        ("C010201010101", "ministry", 2024),
        ("C010201040101", "ministry", 2023),
        ("C010201040101", "province", 2022),
    ]
    assert (
        AuditEvent.objects.filter(action="import", object_type="campaigns.pastaward").count() == 3
    )
    again = run_import(province, run_on_commit, rows[:1])
    assert again.result["skipped"] == 1 and PastAward.objects.count() == 3


def test_import_with_wrong_header_fails_clearly(province, catalog, run_on_commit):
    book = Workbook()
    book.active.append(["编号", "级别"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("bad.xlsx", buffer.getvalue())
    job = run_on_commit(jobs.create_job, Actor(province.city_admin), JOB_KIND, upload=upload)
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == (
        "表头缺少必填列：节点编号、获奖级别、年度、课题。请使用页面上的模板，不要修改第一行表头。"
    )
