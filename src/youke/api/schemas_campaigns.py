"""Request and response shapes for campaigns, node status, submissions and their materials.

Objects arrive from the routers already loaded (prefetched lists, computed deadlines, node
statuses, media assets), so no resolver here runs a query.
"""

from __future__ import annotations

import datetime
import uuid

from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Count, Id, Integer, LongText, Reason, Search, Text
from youke.api.schemas import NodeRef, UnitRef
from youke.campaigns.enums import CampaignState, TemplateKey
from youke.submissions import rules as submission_rules
from youke.submissions.enums import CheckState, SubmissionState

# --- campaigns -------------------------------------------------------------------------------


class CampaignRef(Schema):
    id: int
    name: str
    year: int


class CampaignOut(Schema):
    id: int
    name: str
    template_key: str
    template_label: str
    year: int
    owner_unit: UnitRef = Field(description=_lazy("主办单位；活动面向其全部下级单位"))
    state: str
    state_label: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    max_upload_bytes: int = Field(description=_lazy("单个文件上限（字节）"))

    @staticmethod
    def resolve_template_label(obj) -> str:
        return str(obj.get_template_key_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class CampaignFilters(Schema):
    state: CampaignState | None = None
    year: Integer(1900, 9999) | None = None
    template: TemplateKey | None = None


class VideoRuleOut(Schema):
    rule: str
    rule_label: str
    value: str
    severity: str = Field(description=_lazy("blocks：不符合则不通过；warns：只提示"))
    severity_label: str
    stage_code: str | None = Field(
        None, description=_lazy("适用学段的课程节点编号；为空表示适用于所有学段")
    )
    stage_name: str | None = None

    @staticmethod
    def resolve_stage_code(obj) -> str | None:
        return obj.stage.code if obj.stage_id else None

    @staticmethod
    def resolve_stage_name(obj) -> str | None:
        return obj.stage.name if obj.stage_id else None

    @staticmethod
    def resolve_rule_label(obj) -> str:
        return str(obj.get_rule_display())

    @staticmethod
    def resolve_severity_label(obj) -> str:
        return str(obj.get_severity_display())


class MaterialRequirementOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    required: bool
    required_from_level: str = Field(
        description=_lazy("选填材料自该级别起必交（如 province）；空表示不随级别变化")
    )
    per_period: bool = Field(description=_lazy("每课时一份（如每课时一段视频）"))
    accepts_link: bool = Field(description=_lazy("可提交资源链接（标题和网址）代替或补充上传文件"))
    allowed_extensions: list[str]
    max_bytes: int = Field(description=_lazy("实际上限（字节）：材料上限与活动上限中较小者"))
    video_rules: list[VideoRuleOut]
    checklist: list[str] = Field(description=_lazy("无法自动检查、由评审人工确认的事项"))

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_allowed_extensions(obj) -> list[str]:
        return obj.extensions

    @staticmethod
    def resolve_max_bytes(obj) -> int:
        return min(obj.max_bytes, obj.category.campaign.max_upload_bytes)

    @staticmethod
    def resolve_video_rules(obj):
        return obj.video_rules.all()

    @staticmethod
    def resolve_checklist(obj) -> list[str]:
        return [item.text for item in obj.checklist.all()]


class CriterionOut(Schema):
    id: int
    group: str
    group_label: str
    name: str
    points: int
    is_veto: bool

    @staticmethod
    def resolve_group_label(obj) -> str:
        return str(obj.get_group_display())


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    description: str
    is_micro_lesson: bool
    max_periods: int
    materials: list[MaterialRequirementOut]
    criteria: list[CriterionOut] = Field(description=_lazy("评价指标（一票否决项为 0 分）"))

    @staticmethod
    def resolve_materials(obj):
        return obj.materials.all()

    @staticmethod
    def resolve_criteria(obj):
        return obj.criteria.all()


class LevelOut(Schema):
    id: int
    order: int
    key: str
    name: str
    unit_kind: str
    has_trial_lecture: bool
    level_deadline: datetime.datetime = Field(description=_lazy("活动规定的该级别截止时间"))
    deadline: datetime.datetime = Field(
        description=_lazy("适用于调用者所在单位的截止时间（含上级单位设定的更早的内部截止时间）")
    )

    @staticmethod
    def resolve_level_deadline(obj) -> datetime.datetime:
        return obj.deadline

    @staticmethod
    def resolve_deadline(obj) -> datetime.datetime:
        return obj.effective_deadline


class WindowOut(Schema):
    id: int
    label: str
    opens_on: datetime.date
    closes_on: datetime.date
    nodes: list[NodeRef] = Field(description=_lazy("适用的课程节点（及其全部下级）"))

    @staticmethod
    def resolve_nodes(obj):
        return obj.nodes.all()


class CampaignDetailOut(CampaignOut):
    node_close_award_level: str
    node_close_award_threshold: int
    promote_unawarded_nodes: bool
    video_due: str = Field(
        description=_lazy("at_submission：视频随作品提交；after_screening：初选通过后拍摄提交")
    )
    filming_days: int = Field(description=_lazy("初选通过后提交视频的期限（天）"))
    categories: list[CategoryOut]
    levels: list[LevelOut] = Field(
        description=_lazy("遴选级别，按顺序；第一级的截止时间即教师申报截止时间")
    )
    windows: list[WindowOut] = Field(description=_lazy("按学段、年级的上传时间段"))

    @staticmethod
    def resolve_categories(obj):
        return obj.categories.all()

    @staticmethod
    def resolve_levels(obj):
        return obj.level_rows

    @staticmethod
    def resolve_windows(obj):
        return obj.windows.all()


class CampaignStateIn(Schema):
    reason: Reason = Field("", description=_lazy("原因（写入日志）"))


class CampaignNodeOut(Schema):
    id: int
    parent_id: int | None
    code: str
    name: str
    level: str
    level_label: str
    children_count: int
    open: bool = Field(description=_lazy("本活动是否接受该节点的申报"))
    reason_code: str = Field(
        description=_lazy("open、closed_by_admin、award_rule 或 outside_window")
    )
    reason_text: str = Field(description=_lazy("关闭原因（中文），开放时为空"))
    promoted: bool = Field(description=_lazy("推荐教师优先选择（尚无省级及以上获奖课例）"))

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return obj.parent_pk

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_children_count(obj) -> int:
        return obj.numchild

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.status.open

    @staticmethod
    def resolve_reason_code(obj) -> str:
        return str(obj.status.reason_code)

    @staticmethod
    def resolve_reason_text(obj) -> str:
        return obj.status.reason_text

    @staticmethod
    def resolve_promoted(obj) -> bool:
        return obj.status.promoted


class CampaignNodeFilters(Schema):
    parent_id: Id | None = Field(
        None, description=_lazy("只列出该节点的直接下级；不填且没有 q 时列出各学段")
    )
    q: Search | None = Field(None, description=_lazy("按名称（包含）或节点编号（前缀）查找"))


# --- submissions -----------------------------------------------------------------------------


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class PersonName(Schema):
    id: int
    full_name: str


class SubmissionOut(Schema):
    id: int
    title: str
    campaign: CampaignRef
    category: CategoryRef
    node: NodeRef
    teacher: PersonName
    unit: UnitRef = Field(description=_lazy("作者开始申报时所在学校"))
    periods: int
    state: str
    state_label: str
    originality_confirmed_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    school_acted_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    can_edit: bool = Field(description=_lazy("调用者能否修改（仅作者，且学校处理前）"))

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_can_edit(obj, context) -> bool:
        return submission_rules.can_edit_submission(context["request"].auth, obj)  # no query


class SubmissionFilters(Schema):
    campaign: Id | None = Field(None, description=_lazy("活动 id"))
    category: Id | None = Field(None, description=_lazy("类别 id"))
    state: SubmissionState | None = None
    check_state: CheckState | None = Field(None, description=_lazy("至少有一份材料处于该检查结果"))


class NodeTrailOut(NodeRef):
    ancestors: list[NodeRef] = Field(description=_lazy("从学段开始的上级节点（面包屑）"))

    @staticmethod
    def resolve_ancestors(obj):
        return obj.ancestors


class CoAuthorOut(Schema):
    id: int
    full_name: str
    mobile: str = Field(description=_lazy("只显示前 3 位和后 4 位"))
    unit: UnitRef | None

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.person_id

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_mobile(obj) -> str:
        return obj.person.masked_mobile

    @staticmethod
    def resolve_unit(obj):
        return obj.person.unit


class CitationIn(Schema):
    source: Text(200) = Field(description=_lazy("出处"))
    author: Text(100) = Field(description=_lazy("作者"))
    note: Text(200) = Field("", description=_lazy("引用内容说明"))


class CitationOut(CitationIn):
    id: int


class EventOut(Schema):
    at: datetime.datetime
    actor: PersonName | None
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    note: str

    @staticmethod
    def resolve_from_label(obj) -> str:
        return str(obj.from_label)

    @staticmethod
    def resolve_to_label(obj) -> str:
        return str(obj.to_label)


class CheckOut(Schema):
    rule: str
    label: str
    severity: str
    outcome: str = Field(description=_lazy("pass、warn（提示）或 fail（不通过）"))
    actual: str
    expected: str
    message: str = Field(description=_lazy("给教师看的说明（中文）：问题和改法"))
    fix: str


class MediaOut(Schema):
    state: str = Field(description=_lazy("queued、processing、passed、warned 或 failed"))
    state_label: str
    container: str
    video_codec: str
    audio_codec: str
    width: int | None
    height: int | None
    aspect_ratio: str
    video_bitrate: int | None = Field(description=_lazy("bit/s"))
    audio_bitrate: int | None = Field(description=_lazy("bit/s"))
    frame_rate: float | None
    duration_seconds: float | None
    has_audio: bool | None
    error: str = Field(description=_lazy("无法检查时的原因（中文），如文件损坏或内容与扩展名不符"))
    checks: list[CheckOut]

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_aspect_ratio(obj) -> str:
        return obj.display_aspect_ratio

    @staticmethod
    def resolve_frame_rate(obj) -> float | None:
        return float(obj.frame_rate) if obj.frame_rate is not None else None

    @staticmethod
    def resolve_duration_seconds(obj) -> float | None:
        return float(obj.duration_seconds) if obj.duration_seconds is not None else None


class UploadOut(Schema):
    id: uuid.UUID
    filename: str
    size: int
    sha256: str
    content_type: str
    download_url: str

    @staticmethod
    def resolve_size(obj) -> int:
        return obj.length

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("portal:upload_download", args=[obj.pk])


class RequirementRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    required: bool
    required_from_level: str
    per_period: bool
    accepts_link: bool


class MaterialLinkOut(Schema):
    """A resource link given for a material (seed 003); browsers open it, the server never
    fetches it."""

    id: int
    requirement_id: int
    period: int
    title: str
    url: str
    host: str = Field(description=_lazy("链接的网站地址（主机名）"))
    added_at: datetime.datetime


class MaterialLinkIn(Schema):
    requirement_id: Id = Field(description=_lazy("可提交链接的材料要求 id（accepts_link 为真）"))
    period: Count = Field(1, ge=1)
    title: Text(100) = Field(description=_lazy("链接标题"))
    url: Text(500) = Field(
        description=_lazy("http 或 https 网址；不能含用户名密码，不能是内网或本机地址")
    )


class SlotOut(Schema):
    """One line of the package checklist (``submissions.domain.packages.checklist``)."""

    requirement: RequirementRef
    period: int
    state: str = Field(description=_lazy("missing、queued、processing、passed、warned 或 failed"))
    state_label: str
    blocks_submission: bool = Field(description=_lazy("此项是否阻止提交"))
    due_after_screening: bool = Field(
        description=_lazy("视频在初选（试讲）通过后按通知拍摄提交，不随作品一并提交")
    )
    upload: UploadOut | None
    media: MediaOut | None
    links: list[MaterialLinkOut] = Field(
        description=_lazy("此项材料的资源链接；有链接即视为已提交该材料")
    )

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(CheckState(obj.state).label)

    @staticmethod
    def resolve_upload(obj):
        return obj.material.upload if obj.material else None

    @staticmethod
    def resolve_media(obj):
        return obj.asset


class SubmissionDetailOut(SubmissionOut):
    description: str
    node: NodeTrailOut
    deadline: datetime.datetime | None = Field(
        description=_lazy("作者的申报截止时间（含学校所在各级单位的内部截止时间）")
    )
    coauthors: list[CoAuthorOut]
    citations: list[CitationOut]
    events: list[EventOut] = Field(description=_lazy("状态变化历史"))
    materials: list[SlotOut] = Field(description=_lazy("材料清单：每项材料（按课时）一行"))

    @staticmethod
    def resolve_deadline(obj):
        return obj.deadline

    @staticmethod
    def resolve_coauthors(obj):
        return obj.coauthors.all()

    @staticmethod
    def resolve_citations(obj):
        return obj.citations.all()

    @staticmethod
    def resolve_events(obj):
        return obj.events.all()

    @staticmethod
    def resolve_materials(obj):
        return obj.slots


class SubmissionCreateIn(Schema):
    campaign_id: Id
    category_id: Id
    node_id: Id = Field(description=_lazy("“课”一级的课程节点 id"))
    title: Text(120)
    description: LongText = ""
    periods: Count = Field(1, ge=1, description=_lazy("课时数（不超过类别允许的最多课时数）"))


class SubmissionUpdateIn(Schema):
    title: Text(120) | None = None
    description: LongText | None = None
    periods: Count | None = Field(None, ge=1)


class CitationsIn(Schema):
    citations: list[CitationIn]


class CoAuthorsIn(Schema):
    mobiles: list[Text(11)] = Field(
        description=_lazy("合作者的手机号，按署名顺序；空列表表示没有合作者")
    )


class MaterialAttachIn(Schema):
    requirement_id: Id
    period: Count = Field(1, ge=1)
    upload_id: uuid.UUID = Field(description=_lazy("已完成的上传（tus）id"))


class WithdrawIn(Schema):
    reason: Reason = Field(description=_lazy("撤回原因"))


# --- counts ----------------------------------------------------------------------------------


class UnitCountOut(Schema):
    unit: UnitRef
    total: int
    by_state: dict[str, int] = Field(description=_lazy("按申报状态的数量，每个状态都列出"))


class SubmissionCountsOut(Schema):
    campaign: CampaignRef
    unit: UnitRef = Field(description=_lazy("统计的单位；各行为其直接下级单位"))
    rows: list[UnitCountOut]
