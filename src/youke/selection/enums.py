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
