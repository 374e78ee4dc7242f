"""Request and answer schemas of the monitoring operations (indicators, figures, bulletins)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _lazy
from ninja import Schema
from pydantic import Field

from youke.api.fields import Id, Text


class TargetOut(Schema):
    area_type: str = Field(description=_lazy("城区 urban、县区 county；空为全部单位"))
    stage: str = Field(description=_lazy("学段 primary、junior、senior…；空为全部学段"))
    value: Decimal


class IndicatorOut(Schema):
    key: str
    name: str
    measure: str = Field(description=_lazy("计算口径"))
    direction: str = Field(description=_lazy("at_least 不低于 / at_most 不高于"))
    description: str
    targets: list[TargetOut] = Field(description=_lazy("该活动适用的目标（指定活动时）"))


class IndicatorFilters(Schema):
    campaign: Id | None = Field(None, description=_lazy("遴选活动 id：给出该活动的目标"))


class TargetIn(Schema):
    campaign: Id
    indicator: Text(32)
    area_type: Text(8) = Field("", description=_lazy("urban、county，或留空适用于全部单位"))
    stage: Text(12) = Field(
        "", description=_lazy("学段 primary、junior、senior、nine_year、complete，或留空")
    )
    value: Decimal = Field(ge=0, le=100000, max_digits=8, decimal_places=2)


class CellOut(Schema):
    key: str
    value: float | None = Field(description=_lazy("指标值；百分比指标为 0–100；分母为 0 时为空"))
    target: float | None
    light: str = Field(description=_lazy("green 达标 / amber 接近 / red 未达标 / none 无数据"))


class FigureRowOut(Schema):
    unit_id: int
    name: str
    code: str
    kind: str
    area_type: str
    stage: str = Field(description=_lazy("学校的学段；区域单位为空"))
    teachers: int
    showcased: int
    lessons: int
    excellent: int
    on_time: int
    cells: list[CellOut]


class StageFigureOut(Schema):
    stage: str = Field(description=_lazy("学段；空为未注明学段的学校"))
    label: str
    schools: int
    teachers: int
    lessons: int
    cells: list[CellOut] = Field(description=_lazy("对照该学段目标"))


class FiguresOut(Schema):
    campaign_id: int
    unit_id: int
    refreshed_at: datetime.datetime | None = Field(description=_lazy("数据时间"))
    total: FigureRowOut | None = Field(description=_lazy("本单位（含全部下级）的汇总"))
    children: list[FigureRowOut] = Field(description=_lazy("每个直属下级单位"))
    stages: list[StageFigureOut] = Field(description=_lazy("所辖学校按学段汇总"))


class FigureFilters(Schema):
    campaign: Id
    unit: Id | None = Field(None, description=_lazy("单位 id；缺省为调用者管理范围的顶层单位"))


class RefreshIn(Schema):
    campaign: Id


class RefreshOut(Schema):
    units: int


class BulletinOut(Schema):
    id: int
    title: str
    doc_number: str = Field(description=_lazy("文号，如 示教电通〔2026〕3号；草稿为空"))
    issuing_unit_id: int
    campaign_id: int
    state: str
    is_public: bool
    period_start: datetime.date
    period_end: datetime.date
    indicators: list[str]
    figures_at: datetime.datetime | None
    published_at: datetime.datetime | None
    snapshot: dict = Field(description=_lazy("发布时的数据：总体、排名表、表扬与未达标单位"))


class BulletinIn(Schema):
    campaign: Id
    unit: Id = Field(description=_lazy("发文单位 id"))
    title: Text(120, min_length=1)
    doc_prefix: Text(20) = ""
    period_start: datetime.date
    period_end: datetime.date
    indicators: list[Text(32)] = Field(min_length=1, max_length=20)
    intro: Text(4000) = ""
    closing: Text(4000) = ""
    is_public: bool = False
