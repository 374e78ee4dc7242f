from django.db import models
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "新建")
    UPDATE = "update", pgettext_lazy("audit action", "修改")
    DELETE = "delete", pgettext_lazy("audit action", "删除")
    MOVE = "move", pgettext_lazy("audit action", "移动")
    DEACTIVATE = "deactivate", pgettext_lazy("audit action", "停用")
    REACTIVATE = "reactivate", pgettext_lazy("audit action", "启用")
    GRANT = "grant", pgettext_lazy("audit action", "授予角色")
    REVOKE = "revoke", pgettext_lazy("audit action", "撤销角色")
    PASSWORD_RESET = "password_reset", pgettext_lazy("audit action", "重置密码")
    PASSWORD_CHANGE = "password_change", pgettext_lazy("audit action", "修改密码")
    LOGIN = "login", pgettext_lazy("audit action", "登录")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "登录失败")
    IMPORT = "import", pgettext_lazy("audit action", "导入")
    TOKEN = "token", pgettext_lazy("audit action", "签发令牌")


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job state", "排队中")
    RUNNING = "running", pgettext_lazy("job state", "处理中")
    SUCCEEDED = "succeeded", pgettext_lazy("job state", "已完成")
    FAILED = "failed", pgettext_lazy("job state", "失败")


# The only moves a job may make; set_job_state refuses everything else.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.FAILED}),
    # RUNNING -> RUNNING: a worker killed mid-job is retried from the start.
    JobState.RUNNING: frozenset({JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED}),
    JobState.SUCCEEDED: frozenset(),
    JobState.FAILED: frozenset(),
}
