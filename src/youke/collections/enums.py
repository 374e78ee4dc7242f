"""Choices of the collections app: what a task collects, the task's and a return's states
with their transition tables, and the status shown per target unit."""

from django.db import models
from django.utils.translation import pgettext_lazy


class CollectionKind(models.TextChoices):
    CONTACT_SHEET = "contact_sheet", pgettext_lazy("collection kind", "联系表")
    PLAN = "plan", pgettext_lazy("collection kind", "实施方案")
    REPORT = "report", pgettext_lazy("collection kind", "年度报告")


DOCUMENT_KINDS = frozenset({CollectionKind.PLAN, CollectionKind.REPORT})


class TaskState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("collection state", "草稿")
    OPEN = "open", pgettext_lazy("collection state", "报送中")
    CLOSED = "closed", pgettext_lazy("collection state", "已结束")


# Opening creates the returns and notifies the target units; a closed task takes no more
# returns (reviews of what came in still go on).
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskState.DRAFT: frozenset({TaskState.OPEN}),
    TaskState.OPEN: frozenset({TaskState.CLOSED}),
    TaskState.CLOSED: frozenset(),
}


class ReturnState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("return state", "未报送")
    SUBMITTED = "submitted", pgettext_lazy("return state", "已报送待审")
    RETURNED = "returned", pgettext_lazy("return state", "已退回")
    APPROVED = "approved", pgettext_lazy("return state", "已通过")


# A unit submits (or resubmits after a return); the level above approves or returns.
RETURN_TRANSITIONS: dict[str, frozenset[str]] = {
    ReturnState.PENDING: frozenset({ReturnState.SUBMITTED}),
    ReturnState.SUBMITTED: frozenset({ReturnState.APPROVED, ReturnState.RETURNED}),
    ReturnState.RETURNED: frozenset({ReturnState.SUBMITTED}),
    ReturnState.APPROVED: frozenset(),
}

# States in which a unit still owes its return: reminders go to these, and past the
# deadline they show as overdue.
MISSING_STATES = frozenset({ReturnState.PENDING, ReturnState.RETURNED})


class ReturnStatus(models.TextChoices):
    """What the status list shows: the state, with 逾期 for a missing return past the deadline."""

    PENDING = "pending", pgettext_lazy("return status", "未报送")
    SUBMITTED = "submitted", pgettext_lazy("return status", "已报送待审")
    RETURNED = "returned", pgettext_lazy("return status", "已退回")
    APPROVED = "approved", pgettext_lazy("return status", "已通过")
    OVERDUE = "overdue", pgettext_lazy("return status", "逾期")


class Gender(models.TextChoices):
    MALE = "male", pgettext_lazy("gender", "男")
    FEMALE = "female", pgettext_lazy("gender", "女")


class Decision(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("collection decision", "审定通过")
    RETURNED = "returned", pgettext_lazy("collection decision", "退回修改")
