"""Request and response shapes for review rounds, assignments, scores and publicity.

Nothing an expert can receive carries the author's identity except ``EntryViewOut``'s
``teacher``/``unit``/``coauthors``, which the domain's ``entry_view_for`` leaves null in a
blind round. Resolvers read only what the routers loaded, so none of them runs a query.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Count, Id, LongText, Reason, Text
from youke.api.schemas import UnitRef
from youke.api.schemas_selection import LevelRef
from youke.selection.enums import (
    AssignmentState,
    ObjectionState,
    PublicityState,
    RankingMethod,
    RoundState,
)


class ReviewPersonRef(Schema):
    id: int
    full_name: str


# --- rounds ------------------------------------------------------------------------------------


class RoundFilters(Schema):
    campaign: Id | None = Field(None, description=_lazy("活动 id"))
    state: RoundState | None = None


class RoundIn(Schema):
    campaign: Id
    level: Id
    unit: Id = Field(description=_lazy("组织评审的单位 id（须与级别的单位类型一致）"))
    name: Text(100, min_length=1)
    reviews_per_entry: Count = Field(3, ge=1, le=20)
    deadline: datetime.datetime
    blind: bool = Field(True, description=_lazy("匿名评审：专家看不到作者、学校和单位"))
    show_other_scores: bool = False
    exclude_same_county: bool = False
    exclude_same_city: bool = False
    ranking_method: RankingMethod = RankingMethod.MEAN
    disagreement_threshold: Count = Field(15, ge=0, le=1000)


class RoundOut(Schema):
    id: int
    campaign_id: int
    level: LevelRef
    unit: UnitRef
    name: str
    state: str
    state_label: str
    reviews_per_entry: int
    deadline: datetime.datetime
    blind: bool
    show_other_scores: bool
    exclude_same_county: bool
    exclude_same_city: bool
    ranking_method: str
    disagreement_threshold: int
    entry_count: int = Field(description=_lazy("本轮评审的作品数（开始评审时确定）"))
    assignment_count: int
    submitted_count: int = Field(description=_lazy("已提交评分的评审任务数"))

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(RoundState(obj.state).label)


class RoundExpertIn(Schema):
    expert: Id = Field(description=_lazy("专家（人员）id；须在本轮的专家库中"))
    max_load: Count = Field(20, ge=1, le=1000)
    confirm_mismatch: bool = Field(
        False, description=_lazy("专家的学段学科与本轮作品不符时，确认仍要添加")
    )


class SubjectRoundsIn(Schema):
    campaign: Id
    level: Id
    unit: Id = Field(description=_lazy("组织评审的单位 id（须与级别的单位类型一致）"))
    name_prefix: Text(80, min_length=1) = Field(
        description=_lazy("名称前缀；每个轮次命名为“前缀·学段学科”")
    )
    reviews_per_entry: Count = Field(3, ge=1, le=20)
    deadline: datetime.datetime
    blind: bool = Field(True, description=_lazy("匿名评审：专家看不到作者、学校和单位"))
    max_load: Count = Field(20, ge=1, le=1000)
    preview: bool = Field(False, description=_lazy("只预览分组和相符专家，不创建"))


class SubjectRoundOut(Schema):
    round_id: int | None = Field(description=_lazy("创建的评审轮次 id；预览时为空"))
    name: str
    stage: str
    subject: str
    entry_count: int
    experts: list[ReviewPersonRef] = Field(description=_lazy("加入本轮评审名单的专家"))
    warning: str = Field(description=_lazy("缺少专家时的提示；为空表示专家足够"))


class RoundExpertOut(Schema):
    id: int
    round_id: int
    expert: ReviewPersonRef
    max_load: int


class AutoAssignOut(Schema):
    created: int
    problems: list[str] = Field(description=_lazy("未能分配足够专家的作品及原因"))


# --- assignments -------------------------------------------------------------------------------


class AssignmentFilters(Schema):
    round: Id | None = Field(None, description=_lazy("评审轮次 id"))
    state: AssignmentState | None = None


class AssignIn(Schema):
    entry: Id = Field(description=_lazy("级别推荐记录 id（本轮评审的作品）"))
    expert: Id


class AssignmentBase(Schema):
    id: int
    round_id: int
    entry_id: int
    title: str
    expert: ReviewPersonRef
    state: str
    state_label: str
    total: int | None
    veto: bool
    submitted_at: datetime.datetime | None


class AssignmentOut(AssignmentBase):
    @staticmethod
    def resolve_title(obj) -> str:
        return obj.entry.submission.title

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(AssignmentState(obj.state).label)


class MaterialViewOut(Schema):
    label: str
    file_name: str = Field(description=_lazy("匿名评审时为不含作者信息的文件名"))
    check: str
    ready: bool = Field(
        description=_lazy("匿名评审时，去除作者信息的版本是否已生成（未生成时不提供文件）")
    )


class EntryViewOut(Schema):
    title: str
    description: str
    node: str
    category: str
    blind: bool
    materials: list[MaterialViewOut]
    teacher: str | None = Field(description=_lazy("作者；匿名评审时为 null"))
    unit: str | None = Field(description=_lazy("作者单位；匿名评审时为 null"))
    coauthors: list[str] | None = Field(description=_lazy("合作者；匿名评审时为 null"))


class ReviewCriterionOut(Schema):
    id: int
    name: str
    points: int
    is_veto: bool


class ScoreOut(Schema):
    criterion: int
    points: int


class ChecklistOut(Schema):
    item: int
    text: str
    material: str
    confirmed: bool | None = Field(description=_lazy("true 符合，false 不符合，null 尚未确认"))
    note: str


class AssignmentDetailOut(AssignmentBase):
    deadline: datetime.datetime
    comment: str
    veto_reason: str
    entry: EntryViewOut
    criteria: list[ReviewCriterionOut]
    scores: list[ScoreOut]
    checklist: list[ChecklistOut] = Field(
        description=_lazy("人工检查项（片头、机位等）及本专家的确认；提交评分前须逐项确认")
    )


class ChecklistAnswerIn(Schema):
    item: Id
    confirmed: bool | None = Field(None, description=_lazy("true 符合，false 不符合"))
    note: Text(300) = ""


class ScoreIn(Schema):
    criterion: Id
    points: Count


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(
        description=_lazy("各评价指标得分；一票否决项填 1（违反）或 0（未违反）")
    )
    comment: LongText = ""
    veto: bool = False
    veto_reason: Reason = ""
    submit: bool = Field(False, description=_lazy("false 为暂存，true 为提交（提交后不能修改）"))
    checklist: list[ChecklistAnswerIn] | None = Field(
        None, description=_lazy("人工检查项的确认；省略时保留已保存的确认")
    )


# --- results and conflicts ---------------------------------------------------------------------


class EntryResultOut(Schema):
    entry_id: int
    title: str
    teacher_name: str
    school: str
    totals: list[int]
    reviews: int
    mean: float | None
    trimmed_mean: float | None
    zscore: float | None
    spread: int | None
    disagreement: bool
    veto: bool
    rank: int | None


class ExpertResultOut(Schema):
    expert: ReviewPersonRef
    count: int
    mean: float | None
    stdev: float | None
    deviation: float | None = Field(description=_lazy("相对专家组平均分的偏差：>0 偏松，<0 偏严"))


class RoundResultsOut(Schema):
    ranking_method: str
    count: int = Field(description=_lazy("本轮作品总数（分页时为全部页的合计）"))
    page: int | None = Field(None, description=_lazy("当前页码；未指定 page 时返回全部作品"))
    entries: list[EntryResultOut]
    experts: list[ExpertResultOut]


class ConflictIn(Schema):
    reason: Text(200, min_length=1)
    assignment: Id | None = Field(
        None, description=_lazy("专家本人申报：要回避的评审任务 id（其余字段不填）")
    )
    round: Id | None = Field(None, description=_lazy("管理员代为申报：评审轮次 id"))
    expert: Id | None = Field(None, description=_lazy("管理员代为申报：本轮专家 id"))
    entry: Id | None = Field(None, description=_lazy("管理员代为申报：本轮作品 id"))
    unit: Id | None = Field(None, description=_lazy("管理员代为申报：回避该单位的全部作品"))


class ConflictOut(Schema):
    id: int
    round_id: int | None
    expert_id: int
    entry_id: int | None
    unit_id: int | None
    reason: str
    created_at: datetime.datetime


# --- publicity ---------------------------------------------------------------------------------


class PublicityIn(Schema):
    campaign: Id
    level: Id
    unit: Id = Field(description=_lazy("发布公示的单位 id（其名单须已确认）"))
    title: Text(120)
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class PublicityOut(Schema):
    id: int
    campaign_id: int
    level: LevelRef
    unit: UnitRef
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str
    state_label: str
    finalised_at: datetime.datetime | None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(PublicityState(obj.state).label)


class PublishedEntryOut(Schema):
    """One row of a published list (``selection.domain.publicity_list``, as on the page)."""

    id: int
    title: str
    node: str
    node_code: str
    category: str
    teacher_name: str = Field(description=_lazy("第一作者"))
    teachers: str = Field(description=_lazy("作者：第一作者及合作者，以“、”分隔"))
    school: str
    level: str = Field(description=_lazy("公示名单所在级别"))
    objection: str = Field(description=_lazy("异议情况：异议核实中、异议不成立，或空"))

    @staticmethod
    def resolve_teacher_name(obj) -> str:
        return obj["teacher"]


class PublishedEntriesOut(Schema):
    count: int = Field(description=_lazy("符合搜索条件的作品数"))
    total: int = Field(description=_lazy("名单作品总数"))
    page: int
    pages: int
    version: int = Field(description=_lazy("名单版本：名单因异议等变化时加一"))
    items: list[PublishedEntryOut]


class PublicityDetailOut(PublicityOut):
    entries: list[PublishedEntryOut] = Field(description=_lazy("公示的作品（仍在推荐名单中的）"))


class ObjectionIn(Schema):
    entry: Id = Field(description=_lazy("公示作品 id（GET /publicity/{id} 的 entries[].id）"))
    name: Text(50)
    contact: Text(100)
    reason: LongText


class ObjectionReceiptOut(Schema):
    id: int
    state: str
    state_label: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(ObjectionState(obj.state).label)


class ObjectionOut(ObjectionReceiptOut):
    publicity_id: int
    entry_id: int
    title: str
    name: str
    contact: str
    reason: str
    evidence_type: str = Field(description=_lazy("证明材料类型（按内容识别）；空为未附材料"))
    resolution: str
    resolved_at: datetime.datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.entry.submission.title


class ResolveIn(Schema):
    upheld: bool = Field(description=_lazy("true：异议成立（撤销推荐）；false：异议不成立"))
    resolution: LongText
