"""States and choices of the selection workflow (R5–R8, R18)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class EntryState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("entry state", "待审")
    RECOMMENDED = "recommended", pgettext_lazy("entry state", "推荐")
    NOT_RECOMMENDED = "not_recommended", pgettext_lazy("entry state", "不推荐")
    RETURNED = "returned", pgettext_lazy("entry state", "退回修改")


# The only moves an entry may make; ``decide`` refuses everything else. A decision can be
# changed until the list is confirmed; a returned entry comes back as pending once corrected.
ENTRY_TRANSITIONS: dict[str, frozenset[str]] = {
    EntryState.PENDING: frozenset(
        {EntryState.RECOMMENDED, EntryState.NOT_RECOMMENDED, EntryState.RETURNED}
    ),
    EntryState.RECOMMENDED: frozenset({EntryState.NOT_RECOMMENDED, EntryState.RETURNED}),
    EntryState.NOT_RECOMMENDED: frozenset({EntryState.RECOMMENDED, EntryState.RETURNED}),
    EntryState.RETURNED: frozenset({EntryState.PENDING}),
}

# Decisions that the unit below must be able to read a reason for.
NEEDS_REASON = frozenset({EntryState.NOT_RECOMMENDED, EntryState.RETURNED})


class ListState(models.TextChoices):
    OPEN = "open", pgettext_lazy("level list state", "未确认")
    CONFIRMED = "confirmed", pgettext_lazy("level list state", "已确认")


class QuotaBasis(models.TextChoices):
    HAND = "hand", pgettext_lazy("quota basis", "手工分配")
    IMPORT = "import", pgettext_lazy("quota basis", "表格导入")
    PROPORTIONAL = "proportional", pgettext_lazy("quota basis", "按比例计算")


class PassFail(models.TextChoices):
    PASS = "pass", pgettext_lazy("screening result", "通过")
    FAIL = "fail", pgettext_lazy("screening result", "不通过")


class FilmingState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("filming state", "待拍摄")
    DELIVERED = "delivered", pgettext_lazy("filming state", "视频已提交")
    CANCELLED = "cancelled", pgettext_lazy("filming state", "已取消")


# A passed screening requests the video; the teacher delivers it; a screening changed to
# "not passed" cancels an undelivered request, and passing again requests it again.
FILMING_TRANSITIONS: dict[str, frozenset[str]] = {
    FilmingState.REQUESTED: frozenset({FilmingState.DELIVERED, FilmingState.CANCELLED}),
    FilmingState.DELIVERED: frozenset(),
    FilmingState.CANCELLED: frozenset({FilmingState.REQUESTED}),
}


class RoundState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review round state", "准备中")
    OPEN = "open", pgettext_lazy("review round state", "评审中")
    CLOSED = "closed", pgettext_lazy("review round state", "已结束")


# A round is prepared (experts, settings), opened (entries fixed, scoring allowed), then
# closed; it may be reopened to add a late expert when reviews disagree.
ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RoundState.DRAFT: frozenset({RoundState.OPEN}),
    RoundState.OPEN: frozenset({RoundState.CLOSED}),
    RoundState.CLOSED: frozenset({RoundState.OPEN}),
}


class RankingMethod(models.TextChoices):
    MEAN = "mean", pgettext_lazy("ranking method", "平均分")
    TRIMMED_MEAN = "trimmed_mean", pgettext_lazy("ranking method", "去掉最高最低分的平均分")
    ZSCORE = "zscore", pgettext_lazy("ranking method", "标准分（按专家标准化）")


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("assignment state", "待评")
    DRAFT = "draft", pgettext_lazy("assignment state", "已暂存")
    SUBMITTED = "submitted", pgettext_lazy("assignment state", "已提交")


class PublicityState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("publicity state", "未开始")
    OPEN = "open", pgettext_lazy("publicity state", "公示中")
    CLOSED = "closed", pgettext_lazy("publicity state", "公示结束")
    FINAL = "final", pgettext_lazy("publicity state", "结果已生效")


# Time moves a window from scheduled to open to closed; only ``finalise`` makes it final, and
# only when every objection is resolved.
PUBLICITY_TRANSITIONS: dict[str, frozenset[str]] = {
    PublicityState.SCHEDULED: frozenset({PublicityState.OPEN, PublicityState.CLOSED}),
    PublicityState.OPEN: frozenset({PublicityState.CLOSED}),
    PublicityState.CLOSED: frozenset({PublicityState.FINAL}),
    PublicityState.FINAL: frozenset(),
}


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection state", "待处理")
    UPHELD = "upheld", pgettext_lazy("objection state", "异议成立")
    REJECTED = "rejected", pgettext_lazy("objection state", "异议不成立")


# An objection is resolved once; a resolution is never reopened (it may have withdrawn an entry).
OBJECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ObjectionState.OPEN: frozenset({ObjectionState.UPHELD, ObjectionState.REJECTED}),
    ObjectionState.UPHELD: frozenset(),
    ObjectionState.REJECTED: frozenset(),
}
