"""Request and response shapes for the proposed recommendation list and awards (R11).

Awards arrive from the router with grade, level, entry, submission, its teacher and school
loaded, so no resolver here runs a query.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Id, Reason
from youke.api.schemas import UnitRef
from youke.api.schemas_selection import LevelRef


class ProposalFilters(Schema):
    campaign: Id = Field(description=_lazy("活动 id"))
    level: Id = Field(description=_lazy("级别 id（须与单位的类型相符）"))
    unit: Id = Field(description=_lazy("负责单位 id（调用者管理的单位）"))
    round: Id | None = Field(
        None, description=_lazy("已结束的评审轮次 id；不填则按提交时间排序，没有分数")
    )


class ProposalApplyIn(Schema):
    campaign: Id
    level: Id
    unit: Id
    round: Id | None = None


class ProposalRowOut(Schema):
    entry_id: int
    submission_id: int
    title: str
    teacher_name: str
    state: str
    score: float | None = Field(description=_lazy("按评审轮次排名方式计算的分数；未评审为空"))
    proposed: bool = Field(description=_lazy("是否建议推荐"))
    skip_reason: str = Field(
        description=_lazy("不建议推荐的原因（名额、每节点一件、每教师一件、否决、初选）")
    )
    vetoed: bool


class ProposalOut(Schema):
    campaign_id: int
    level_id: int
    unit_id: int
    round_id: int | None
    proposed: int = Field(description=_lazy("建议推荐的作品数"))
    rows: list[ProposalRowOut]


class RefusedOut(Schema):
    entry_id: int
    title: str
    problems: list[str]


class ApplyOut(Schema):
    recommended: list[int] = Field(description=_lazy("本次推荐的作品（级别条目 id）"))
    kept: list[int] = Field(description=_lazy("原已推荐、保持不变的作品"))
    refused: list[RefusedOut] = Field(description=_lazy("未能推荐的作品及原因"))


class GradeOut(Schema):
    id: int
    name: str
    order: int


class AwardProposalRowOut(Schema):
    entry_id: int
    title: str
    teacher_name: str
    rank: int
    score: float | None
    grade: GradeOut | None = Field(description=_lazy("按排名建议的奖项；空为不获奖"))
    awarded: bool = Field(description=_lazy("已获得本级奖项（未撤销）"))


class AwardProposalOut(Schema):
    round_id: int
    closed: bool = Field(description=_lazy("评审已结束（才能授奖）"))
    grades: list[GradeOut]
    rows: list[AwardProposalRowOut]


class GrantItemIn(Schema):
    entry: Id = Field(description=_lazy("级别条目 id（本轮评审中的作品）"))
    grade: Id = Field(description=_lazy("奖项 id（本级别的奖项）"))
    reason: Reason = Field("", description=_lazy("与按排名的建议不同时必填的调整理由"))


class GrantIn(Schema):
    awards: list[GrantItemIn] = Field(
        description=_lazy("要授予的奖项，至少一项；全部成功或全部不写入")
    )


class RevokeIn(Schema):
    reason: Reason = Field(description=_lazy("撤销理由，记入日志"))


class AwardFilters(Schema):
    campaign: Id | None = Field(None, description=_lazy("活动 id"))
    level: Id | None = Field(None, description=_lazy("级别 id"))
    round: Id | None = Field(None, description=_lazy("评审轮次 id"))
    active: bool | None = Field(None, description=_lazy("true：未撤销；false：已撤销"))


class AwardOut(Schema):
    id: int
    entry_id: int
    submission_id: int
    title: str
    teacher_name: str
    school: UnitRef = Field(description=_lazy("作者所在单位"))
    grade: GradeOut
    level: LevelRef
    round_id: int | None
    reason: str
    awarded_at: datetime.datetime
    revoked_at: datetime.datetime | None
    revoked_reason: str
    active: bool

    @staticmethod
    def resolve_submission_id(obj) -> int:
        return obj.entry.submission_id

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.entry.submission.title

    @staticmethod
    def resolve_teacher_name(obj) -> str:
        return obj.entry.submission.teacher.full_name

    @staticmethod
    def resolve_school(obj):
        return obj.entry.submission.unit

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.revoked_at is None
