"""Choices of the action-plan ledger: roster roles, and a task's status with its moves.

逾期 (overdue) is not a status: it is derived from the deadline of a task that is still
open (``domain.tasks.overdue_q``), so it can never disagree with the deadline.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class RosterRole(models.TextChoices):
    LEADER = "leader", pgettext_lazy("roster role", "组长")
    DEPUTY = "deputy", pgettext_lazy("roster role", "副组长")
    MEMBER = "member", pgettext_lazy("roster role", "成员")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("task status", "未开始")
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "进行中")
    COMPLETED = "completed", pgettext_lazy("task status", "已完成")
    PAUSED = "paused", pgettext_lazy("task status", "已暂停")


# Statuses in which a task still has work due: these can be overdue and get reminders.
# A paused task is on hold by the owner's decision, so its deadline does not run.
OPEN_STATUSES = frozenset({TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS})

# Every allowed move. Resuming a paused task returns it to the status it was paused in
# (``Task.paused_from``), which the domain function checks against this table too.
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.NOT_STARTED: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.PAUSED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.COMPLETED, TaskStatus.PAUSED}),
    TaskStatus.COMPLETED: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.PAUSED}),
    TaskStatus.PAUSED: frozenset(
        {TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED}
    ),
}

# Moves only the owner unit's admins may make: pausing, resuming and reopening a completed
# task are decisions about the plan; starting and completing are the responsible unit's report.
OWNER_ONLY: frozenset[tuple[str, str]] = frozenset(
    {(source, TaskStatus.PAUSED) for source in TaskStatus}
    | {(TaskStatus.PAUSED, target) for target in TaskStatus}
    | {(TaskStatus.COMPLETED, TaskStatus.IN_PROGRESS)}
)

# Reminders go to the responsible units of open tasks due within this many days or overdue.
REMIND_DAYS_AHEAD = 7


class CaseState(models.TextChoices):
    """One step of the 择优推荐 chain (典型案例), as the receiving level decides it."""

    PENDING = "pending", pgettext_lazy("case state", "待审核")
    ACCEPTED = "accepted", pgettext_lazy("case state", "已采纳")
    RETURNED = "returned", pgettext_lazy("case state", "已退回")


CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseState.PENDING: frozenset({CaseState.ACCEPTED, CaseState.RETURNED}),
    CaseState.ACCEPTED: frozenset(),
    CaseState.RETURNED: frozenset(),
}


def _notice_kinds():
    from youke.notifications.enums import NotificationKind

    # Reminders are deadline notices; status changes are work on a ledger task.
    return NotificationKind.DEADLINE_SOON, NotificationKind.TASK


REMINDER_KIND, STATUS_NOTICE_KIND = _notice_kinds()
