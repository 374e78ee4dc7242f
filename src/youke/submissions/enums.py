from django.db import models
from django.utils.translation import pgettext_lazy


class SubmissionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("submission state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("submission state", "已提交")
    WITHDRAWN = "withdrawn", pgettext_lazy("submission state", "已撤回")


# The teacher's side of the workflow; recommendation states come with the selection app.
SUBMISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SubmissionState.DRAFT: frozenset({SubmissionState.SUBMITTED, SubmissionState.WITHDRAWN}),
    SubmissionState.SUBMITTED: frozenset({SubmissionState.WITHDRAWN, SubmissionState.DRAFT}),
    SubmissionState.WITHDRAWN: frozenset({SubmissionState.DRAFT}),
}


class CheckState(models.TextChoices):
    MISSING = "missing", pgettext_lazy("material check", "未上传")
    QUEUED = "queued", pgettext_lazy("material check", "排队中")
    PROCESSING = "processing", pgettext_lazy("material check", "处理中")
    PASSED = "passed", pgettext_lazy("material check", "通过")
    WARNED = "warned", pgettext_lazy("material check", "有警告")
    FAILED = "failed", pgettext_lazy("material check", "未通过")
    # A slot given as a resource link (never stored on a Material: links are not checked).
    LINKED = "linked", pgettext_lazy("material check", "已提供链接")
