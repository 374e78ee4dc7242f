"""Request and response shapes for collections (征集与报送): tasks, returns, contact
sheets, document versions and the consolidated contact sheet."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Email, Id, Integer, LongText, Text
from youke.api.schemas import UnitRef


class CollectionTaskFilters(Schema):
    side: Literal["all", "issued", "received"] = Field(
        "all",
        description=_lazy("issued 本单位发起的；received 发给本单位（及下级）报送的；all 两者"),
    )
    state: Literal["draft", "open", "closed"] | None = None


class CollectionTaskIn(Schema):
    issuing_unit: Id = Field(description=_lazy("发起单位 id（调用者管理的单位）"))
    title: Text(120, min_length=1)
    kind: Literal["contact_sheet", "plan", "report"] = Field(
        description=_lazy("contact_sheet 联系表 / plan 实施方案 / report 年度报告")
    )
    instructions: Text(4000) = ""
    deadline: datetime.date
    target_kind: Literal["", "city", "county", "school", "teaching_point"] = Field(
        "", description=_lazy("空为直属下级单位；否则为发起单位下该类型的全部单位")
    )
    remind_days: Integer(0, 60) = Field(3, description=_lazy("截止前几天自动提醒；0 不提醒"))
    campaign: Id | None = Field(None, description=_lazy("所属遴选活动 id（可选）"))


class CollectionTaskOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    issuing_unit: UnitRef
    campaign_id: int | None
    instructions: str
    deadline: datetime.date
    target_kind: str
    remind_days: int
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ReturnRowOut(Schema):
    id: int
    unit: UnitRef
    state: str = Field(description=_lazy("pending / submitted / returned / approved"))
    status: str = Field(description=_lazy("状态；未报送或已退回且已过截止日期为 overdue（逾期）"))
    submitted_at: datetime.datetime | None
    comment: str
    latest_version: int | None = Field(description=_lazy("文档的最新版本号；联系表为 null"))


class CollectionTaskDetailOut(CollectionTaskOut):
    manages: bool = Field(description=_lazy("调用者是否为发起方（可发布、提醒、审定、导出）"))
    counts: dict[str, int] = Field(description=_lazy("按状态统计的单位数"))
    returns: list[ReturnRowOut]


class RemindOut(Schema):
    units: int = Field(description=_lazy("尚未报送（含已退回）的单位数"))
    people: int = Field(description=_lazy("本次新通知的管理员人数（同一天重复提醒不再通知）"))


class ContactIn(Schema):
    name: Text(64) = ""
    gender: Literal["", "male", "female"] = ""
    position: Text(64) = ""
    department: Text(100) = ""
    office_phone: Text(32) = ""
    mobile: Text(32) = ""
    email: Email = ""


class ContactSheetIn(Schema):
    leader: ContactIn = Field(description=_lazy("负责人"))
    contact: ContactIn = Field(description=_lazy("联系人"))
    admin: ContactIn = Field(description=_lazy("管理员"))
    confirm: bool = Field(
        False, description=_lazy("true 为确认报送（须填写完整且已上传盖章扫描件）；否则保存草稿")
    )


class ContactOut(Schema):
    role: str
    name: str
    gender: str
    position: str
    department: str
    office_phone: str
    mobile: str
    email: str


class CollectionVersionOut(Schema):
    id: int
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    note: str
    uploaded_at: datetime.datetime
    decision: str
    comment: str


class ReturnOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    state: str
    status: str
    comment: str
    submitted_at: datetime.datetime | None
    scan_type: str
    contacts: list[ContactOut]
    versions: list[CollectionVersionOut]
    problems: dict[str, list[str]] = Field(
        default_factory=dict, description=_lazy("草稿中确认报送前仍需改正的项目")
    )


class CollectionReviewIn(Schema):
    comment: LongText = ""


class VersionIn(Schema):
    note: Text(500) = ""


class ExportOut(Schema):
    headers: list[str]
    rows: list[list[str]] = Field(description=_lazy("每个单位 × 职责一行，与导出的 xlsx 相同"))
