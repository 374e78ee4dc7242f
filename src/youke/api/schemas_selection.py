"""Request and response shapes for level entries, lists, quotas and county screening.

Entries arrive from the router with level, unit, submission, its teacher and school loaded,
so no resolver here runs a query.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Count, Id, LongText, Reason
from youke.api.schemas import UnitRef
from youke.selection.enums import EntryState, ListState, PassFail, QuotaBasis


class LevelRef(Schema):
    id: int
    key: str
    name: str


class EntryOut(Schema):
    id: int
    campaign_id: int
    level: LevelRef
    unit: UnitRef = Field(description=_lazy("在该级负责处理的单位"))
    submission_id: int
    title: str
    teacher_name: str
    school: UnitRef = Field(description=_lazy("作者所在单位"))
    category_id: int
    state: str
    state_label: str
    reason: str = Field(description=_lazy("不推荐或退回的理由（下级单位和教师可见）"))
    override_reason: str = Field(
        description=_lazy("特批理由（突破每节点一件、每教师一件或截止后调整）；空为未特批")
    )
    decided_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_campaign_id(obj) -> int:
        return obj.level.campaign_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.submission.title

    @staticmethod
    def resolve_teacher_name(obj) -> str:
        return obj.submission.teacher.full_name

    @staticmethod
    def resolve_school(obj):
        return obj.submission.unit

    @staticmethod
    def resolve_category_id(obj) -> int:
        return obj.submission.category_id

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(EntryState(obj.state).label)


class EntryFilters(Schema):
    campaign: Id | None = Field(None, description=_lazy("活动 id"))
    level: Id | None = Field(None, description=_lazy("级别 id"))
    state: EntryState | None = None
    unit: Id | None = Field(None, description=_lazy("负责单位 id"))


class ReasonIn(Schema):
    reason: Reason = Field(description=_lazy("理由，下级单位和教师会看到"))
    override_reason: Reason = Field("", description=_lazy("截止后由上级调整时的特批理由"))


class RecommendIn(Schema):
    override_reason: Reason = Field(
        "",
        description=_lazy("特批理由：突破每节点一件、每教师一件或截止时间时必填"),
    )


class ConfirmListIn(Schema):
    campaign: Id
    level: Id
    unit: Id
    override_reason: Reason = ""


class LevelListOut(Schema):
    id: int
    campaign_id: int
    level: LevelRef
    unit: UnitRef
    state: str
    state_label: str
    confirmed_at: datetime.datetime | None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(ListState(obj.state).label)


class QuotaOut(Schema):
    id: int
    campaign_id: int
    level: LevelRef
    unit: UnitRef
    category_id: int | None = Field(description=_lazy("类别 id；null 为不分类别的总名额"))
    allowed: int
    used: int = Field(description=_lazy("已推荐件数（按该名额的类别计）"))
    basis: str
    basis_label: str

    @staticmethod
    def resolve_basis_label(obj) -> str:
        return str(QuotaBasis(obj.basis).label)


class QuotaFilters(Schema):
    campaign: Id = Field(description=_lazy("活动 id"))
    level: Id | None = Field(None, description=_lazy("级别 id"))
    unit: Id | None = Field(None, description=_lazy("获得名额的单位 id"))


class QuotaIn(Schema):
    campaign: Id
    level: Id
    unit: Id = Field(description=_lazy("获得名额的下级单位 id"))
    allowed: Count
    category: Id | None = Field(None, description=_lazy("类别 id；不填为总名额"))


class ProportionalIn(Schema):
    campaign: Id
    level: Id
    parent_unit: Id = Field(description=_lazy("分配名额的上级单位 id（其直属下级按比例分得）"))
    total: Count
    bonus_per_award: Count = Field(0, ge=0, description=_lazy("上一年每个省级奖项奖励的名额"))
    apply: bool = Field(False, description=_lazy("false：只预览计算结果；true：保存为名额"))


class ProportionalRowOut(Schema):
    unit: UnitRef
    nodes: int = Field(description=_lazy("已提交作品涉及的课程节点数"))
    base: int
    awards: int
    bonus: int
    allowed: int


class ProportionalOut(Schema):
    applied: bool
    rows: list[ProportionalRowOut]


class ScreeningIn(Schema):
    technical_check: PassFail | None = None
    technical_note: Reason | None = Field(None)
    trial_date: datetime.date | None = None
    panel: Reason | None = Field(None)
    trial_result: PassFail | None = None
    comments: LongText | None = Field(None)


class ScreeningOut(Schema):
    entry_id: int
    technical_check: str
    technical_note: str
    trial_date: datetime.date | None
    panel: str
    trial_result: str
    comments: str
    passed: bool
