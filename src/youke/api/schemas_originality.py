from datetime import datetime

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import LongText


class SegmentOut(Schema):
    this_start: float = Field(description=_lazy("本作品片段开始（秒）"))
    this_end: float
    other_start: float = Field(description=_lazy("对方作品片段开始（秒）"))
    other_end: float
    channel: str = Field(default="video", description=_lazy("video 画面相同 / audio 声音相同"))


class PassageOut(Schema):
    this: str = Field(description=_lazy("本作品的段落（规范化后的文字）"))
    other: str = Field(description=_lazy("对方作品的对应段落"))


class MatchOut(Schema):
    id: int
    kind: str = Field(description=_lazy("video 画面、audio 声音或 document 文档"))
    verdict: str = Field(
        description=_lazy("similar 部分相似 / likely_copy 疑似抄袭 / none 正当引用（见 cited）")
    )
    share: float = Field(description=_lazy("本材料与对方相同的比例（0–1）"))
    material_id: int
    other: str = Field(
        description=_lazy("对方作品：有权查看时为作者与标题，否则为“另一份某年的作品”")
    )
    other_submission_id: int | None = Field(
        description=_lazy("对方作品 id，仅在调用者可以查看对方作品时给出")
    )
    campaign: str
    year: int
    level: str = Field(description=_lazy("对方作品已到的级别"))
    date: datetime
    segments: list[SegmentOut]
    passages: list[PassageOut]
    cited: str = Field(
        description=_lazy(
            "非空时：本作品的引用清单注明了对方作品且片段都很短，属正当引用，不计入相同比例"
        )
    )


class OriginalityOut(Schema):
    submission_id: int
    verdict: str = Field(description=_lazy("pending 检测中 / none / similar / likely_copy"))
    copied_share: float
    checked_at: datetime | None
    cleared: bool
    cleared_reason: str
    teacher_note: str
    matches: list[MatchOut]


class ClearIn(Schema):
    reason: LongText = Field(description=_lazy("核查说明，记入日志"))


class ExplainIn(Schema):
    note: LongText = Field(description=_lazy("教师对相似结果的说明"))
