from django.db import models
from django.utils.translation import pgettext_lazy


class UploadState(models.TextChoices):
    UPLOADING = "uploading", pgettext_lazy("upload state", "上传中")
    COMPLETE = "complete", pgettext_lazy("upload state", "已完成")
    ABORTED = "aborted", pgettext_lazy("upload state", "已中止")


# The only moves an upload may make; set_upload_state refuses everything else. A finished
# file may be claimed by a submission, so it never goes back to aborted through here.
UPLOAD_TRANSITIONS: dict[str, frozenset[str]] = {
    UploadState.UPLOADING: frozenset({UploadState.COMPLETE, UploadState.ABORTED}),
    UploadState.COMPLETE: frozenset(),
    UploadState.ABORTED: frozenset(),
}


class AssetState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("media check state", "排队中")
    PROCESSING = "processing", pgettext_lazy("media check state", "处理中")
    PASSED = "passed", pgettext_lazy("media check state", "通过")
    WARNED = "warned", pgettext_lazy("media check state", "有警告")
    FAILED = "failed", pgettext_lazy("media check state", "未通过")
