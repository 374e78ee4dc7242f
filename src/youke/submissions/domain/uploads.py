"""The ``material`` upload purpose: who may upload which file into which package slot."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.media.domain.purposes import UploadRefused, register_purpose
from youke.orgs.domain.units import PermissionDenied
from youke.submissions import rules
from youke.submissions.enums import SubmissionState

PURPOSE = "material"


def _slot(person, metadata: dict):
    from youke.campaigns.models import MaterialRequirement
    from youke.selection.domain.filming import is_deferred
    from youke.submissions.models import Submission

    try:
        submission_id = int(metadata.get("submission", ""))
        requirement_id = int(metadata.get("requirement", ""))
        period = int(metadata.get("period", "1") or 1)
    except ValueError as exc:
        raise UploadRefused(
            _("上传信息不完整，请从申报页面的上传按钮重新上传。"), status=400
        ) from exc
    submission = (
        Submission.objects.select_related("category__campaign").filter(pk=submission_id).first()
    )
    if submission is None or submission.teacher_id != person.pk:
        raise UploadRefused(_("找不到该作品，或您不能再修改它。"), status=404)
    if submission.state == SubmissionState.WITHDRAWN:
        raise UploadRefused(_("作品已撤回，请先恢复为草稿再上传。"))
    requirement = MaterialRequirement.objects.filter(
        pk=requirement_id, category=submission.category
    ).first()
    if requirement is None:
        raise UploadRefused(_("该材料不属于此作品的类别，请刷新页面后重试。"), status=404)
    if not rules.can_edit_submission(person, submission) and not is_deferred(
        submission.campaign, requirement
    ):
        raise UploadRefused(_("找不到该作品，或您不能再修改它。"), status=404)
    return submission, requirement, period


def authorize(person, metadata: dict, length: int) -> int:
    from youke.selection.domain.filming import guard_video_upload
    from youke.submissions.domain.packages import check_material_fit, guard_editable

    submission, requirement, period = _slot(person, metadata)
    try:
        check_material_fit(requirement, metadata.get("filename", ""), length)
        if rules.can_edit_submission(person, submission):
            guard_editable(submission)
        else:  # a video asked for after screening (design first)
            guard_video_upload(submission, requirement)
    except ValidationError as exc:
        status = {"too_large": 413, "wrong_type": 415}.get(exc.error_list[0].code, 403)
        raise UploadRefused(exc.messages[0], status=status) from exc
    if not 1 <= period <= (submission.periods if requirement.per_period else 1):
        raise UploadRefused(_("课时编号超出范围，请刷新页面后重试。"), status=400)
    return min(requirement.max_bytes, submission.category.campaign.max_upload_bytes)


def claim(upload) -> None:
    """Attach the finished file to its slot; a file that no longer fits is left unclaimed."""
    from youke.submissions.domain.packages import attach_material

    try:
        submission, requirement, period = _slot(upload.owner, upload.metadata)
        with transaction.atomic():
            attach_material(Actor(upload.owner), submission, requirement, period, upload)
    except (UploadRefused, ValidationError, PermissionDenied):
        # The teacher sees the upload in "my uploads" and the slot still empty; nothing lost.
        return


register_purpose(PURPOSE, authorize=authorize, on_complete=claim)
