"""Request and response shapes of year-end reports and typical cases (issue 11 item 8)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Id, LongText, Text
from youke.api.schemas import UnitRef
from youke.programmes.enums import CaseState


class YearEndOpenIn(Schema):
    year: int = Field(ge=2000, le=2100, description=_lazy("年度，如 2026"))
    deadline: datetime.date
    instructions: LongText = ""


class YearEndReturnOut(Schema):
    id: int = Field(description=_lazy("报送 id（上传文档、审定用征集报送的接口）"))
    unit: UnitRef
    status: str = Field(description=_lazy("pending、submitted、returned、approved 或 overdue"))
    submitted_at: datetime.datetime | None


class YearEndRowOut(Schema):
    area: str
    task: str
    unit: str
    status: str
    done: str
    percent: int | None
    problems: str
    next_steps: str
    evidence: str


class YearEndReportOut(Schema):
    id: int
    programme_id: int
    year: int
    collection_id: int = Field(description=_lazy("对应的征集任务 id（年度报告）"))
    title: str
    deadline: datetime.date
    consolidated_at: datetime.datetime | None = Field(description=_lazy("上次生成汇总的时间"))
    returns: list[YearEndReturnOut]
    rows: list[YearEndRowOut] = Field(
        description=_lazy("汇总：任务领域 → 任务 → 责任单位（已报送和已通过的内容）")
    )


class YearEndEntryIn(Schema):
    task: Id = Field(description=_lazy("任务 id（本单位负责的任务）"))
    done: Text(4000) | None = None
    percent: Text(8) | None = Field(None, description=_lazy("0–100 的整数；原样保存前检查"))
    problems: Text(2000) | None = None
    next_steps: Text(2000) | None = None
    evidence: list[Id] | None = Field(
        None, max_length=50, description=_lazy("本单位为该任务上传的佐证材料 id")
    )


class YearEndEntriesIn(Schema):
    entries: list[YearEndEntryIn] = Field(max_length=200)


class YearEndEntryOut(Schema):
    task: int
    task_title: str
    done: str
    percent: int | None
    problems: str
    next_steps: str
    evidence: list[int]


class YearEndEntriesOut(Schema):
    entries: list[YearEndEntryOut]
    problems: dict[str, list[str]] = Field(
        description=_lazy("报送前仍需填写或改正的项，键为 <任务 id>-<字段>；为空表示可报送")
    )


class YearEndConsolidateOut(Schema):
    job_id: int
    state: str


class TypicalCaseIn(Schema):
    entry: Id | None = Field(None, description=_lazy("单项任务进展 id；不填为整份报告"))
    title: Text(120, min_length=1)
    reason: Text(2000, min_length=1)


class TypicalCaseDecisionIn(Schema):
    accept: bool
    comment: Text(2000) = ""


class TypicalCaseForwardIn(Schema):
    reason: Text(2000, min_length=1)


class TypicalCaseOut(Schema):
    id: int
    title: str
    report_id: int
    return_id: int
    entry_id: int | None
    unit: UnitRef = Field(description=_lazy("报告所属单位"))
    from_unit: UnitRef
    to_unit: UnitRef
    previous_id: int | None = Field(description=_lazy("下一级的推荐（逐级推荐时）"))
    state: str = Field(description=_lazy("pending 待审核 / accepted 已采纳 / returned 已退回"))
    reason: str
    comment: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None


class TypicalCaseFilters(Schema):
    inbox: bool = Field(False, description=_lazy("只列推荐给本人所管单位的案例"))
    state: CaseState | None = None
