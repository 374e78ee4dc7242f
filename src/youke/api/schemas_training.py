"""Request and response shapes for the training-hour ledger, totals and honours record."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Id, Reason, Text
from youke.api.schemas import UnitRef


class CreditFilters(Schema):
    teacher: Id | None = Field(None, description=_lazy("教师 id"))
    unit: Id | None = Field(None, description=_lazy("单位 id：该单位及其下级单位登记的学时"))
    year: int | None = Field(None, ge=2000, le=2100, description=_lazy("年度"))


class CreditOut(Schema):
    id: int
    teacher_id: int
    teacher_name: str = Field(alias="teacher.full_name")
    unit: UnitRef
    year: int
    hours: float = Field(description=_lazy("学时；冲销和减少的更正为负数"))
    kind: str = Field(
        description=_lazy("rule 按规则认定 / manual 手工登记 / correction 更正 / reversal 冲销")
    )
    event: str = Field(
        description=_lazy("规则事项：showcase、city_excellent、provincial_excellent；手工登记为空")
    )
    source: str = Field(description=_lazy("学时来源"))
    reason: str
    campaign_id: int | None
    submission_id: int | None
    award_id: int | None
    reverses_id: int | None = Field(description=_lazy("冲销记录所冲销的原记录 id"))
    is_reversed: bool
    created_at: datetime.datetime


class CreditIn(Schema):
    teacher: Id = Field(description=_lazy("教师 id（调用者管理范围内）"))
    kind: Literal["manual", "correction"] = "manual"
    year: int = Field(ge=2000, le=2100)
    hours: Text(8, min_length=1) = Field(description=_lazy("学时，最多一位小数；更正可为负数"))
    source: Text(200, min_length=1)
    reason: Reason


class TotalsFilters(Schema):
    unit: Id = Field(description=_lazy("单位 id（调用者管理的单位）"))
    year: int | None = Field(None, ge=2000, le=2100, description=_lazy("年度；不填为全部年度"))


class UnitTotalOut(Schema):
    unit: UnitRef | None = Field(description=_lazy("下级单位；null 为直接登记在该单位的学时"))
    hours: float
    credits: int = Field(description=_lazy("记录数"))
    teachers: int | None = Field(
        description=_lazy("有学时记录的教师人数（按年度统计）；不指定年度时为 null")
    )


class TotalsOut(Schema):
    unit: UnitRef
    year: int | None
    total: UnitTotalOut
    children: list[UnitTotalOut]


class YearHoursOut(Schema):
    year: int
    showcase: float
    excellent: float
    other: float
    total: float


class HonourAwardOut(Schema):
    year: int
    campaign: str
    level: str
    grade: str
    title: str
    node: str
    awarded_on: str
    role: str = Field(description=_lazy("主讲（申报教师）或合作者"))


class HonourCertificateOut(Schema):
    serial: str
    level: str
    grade: str
    issued_on: str
    revoked: bool
    revoked_reason: str


class HonoursOut(Schema):
    teacher_id: int
    teacher_name: str
    unit: UnitRef
    honour_title: str = Field(description=_lazy("荣誉称号（特级教师、学科带头人等）"))
    total_hours: float
    awards: list[HonourAwardOut]
    certificates: list[HonourCertificateOut]
    hours_by_year: list[YearHoursOut]
    credits: list[CreditOut]
