"""The teacher's lesson package: start, edit, attach materials, submit, withdraw.

Every state change goes through ``set_submission_state``; every write is audited. The
server enforces the campaign (published, teacher deadline R8, node open R4/R9, category in
the campaign) whatever the page showed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.domain.deadlines import first_level_deadline
from youke.campaigns.domain.nodes import node_statuses
from youke.campaigns.enums import CampaignState
from youke.campaigns.models import Campaign, Category, MaterialRequirement
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.media.enums import UploadState
from youke.media.models import MediaThumbnail, PlaybackPosition, Upload
from youke.media.validators import over_limit_sizes
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person
from youke.submissions import rules
from youke.submissions.enums import SUBMISSION_TRANSITIONS, CheckState, SubmissionState
from youke.submissions.models import (
    Citation,
    CoAuthor,
    Material,
    MaterialLink,
    Submission,
    SubmissionEvent,
)
from youke.submissions.signals import citations_changed, package_submitted, package_withdrawn

FIELDS = ("title", "description", "periods", "state", "node", "category")
MAX_CITATIONS = 30
MAX_COAUTHORS = 5


class IllegalTransition(ValidationError):
    """A state change the submission table does not allow."""


def teacher_deadline_for(campaign: Campaign, unit) -> datetime.datetime | None:
    """The teacher's deadline, tightened by any internal deadline of their school's chain."""
    return first_level_deadline(campaign, unit)


def _guard_window(campaign: Campaign, unit, node: CourseNode, now: datetime.datetime) -> None:
    """Refuse work the campaign no longer accepts (server side; buttons are a courtesy)."""
    if campaign.state != CampaignState.PUBLISHED:
        raise ValidationError(_("活动“%(c)s”未在进行中，不能申报或修改。") % {"c": campaign.name})
    if now < campaign.opens_at:
        raise ValidationError(
            _("活动将于 %(t)s 开始接受申报，请届时再提交。")
            % {"t": timezone.localtime(campaign.opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    deadline = teacher_deadline_for(campaign, unit)
    if deadline is not None and now > deadline:
        raise ValidationError(
            _("教师申报已于 %(t)s 截止，不能再提交或修改。如有特殊情况，请联系学校管理员。")
            % {"t": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )
    status = node_statuses(campaign, [node], today=timezone.localdate(now))[node.pk]
    if not status.open:
        raise ValidationError({"node": status.reason_text})


def _event(submission, actor: Actor, from_state: str, to_state: str, note: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        actor=actor.person,
        from_state=from_state,
        to_state=to_state,
        note=note[:300],
    )


def set_submission_state(
    submission: Submission,
    new_state: str,
    *,
    actor: Actor,
    reason: str = "",
    sync_selection: bool = True,
) -> Submission:
    """The only writer of ``Submission.state``: checks the table, locks, logs.

    A submitted package takes its place in the school's inbox (``selection``); taking it
    back removes that place while the school has not decided. (Imported here, not at the
    top: selection builds on submissions.)
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if new_state not in SUBMISSION_TRANSITIONS[locked.state]:
            raise IllegalTransition(
                _("当前状态“%(s)s”不能变为“%(t)s”。")
                % {"s": locked.get_state_display(), "t": SubmissionState(new_state).label}
            )
        before = locked.state
        locked.state = new_state
        fields = ["state", "updated_at"]
        if new_state == SubmissionState.SUBMITTED:
            locked.submitted_at = timezone.now()
            fields.append("submitted_at")
        locked.save(update_fields=fields)
        _event(locked, actor, before, new_state, reason)
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.unit,
            before={"state": before},
            after={"state": new_state},
            reason=reason,
        )
        if sync_selection:
            from youke.selection.domain import entries

            if new_state == SubmissionState.SUBMITTED:
                entries.ensure_entry(locked, actor=actor)
            elif before == SubmissionState.SUBMITTED:
                entries.remove_pending_entry(locked, actor=actor)
    return locked


def _check_author(actor: Actor, submission: Submission) -> None:
    if actor.person is None or not rules.can_edit_submission(actor.person, submission):
        raise PermissionDenied


def guard_editable(submission: Submission, now: datetime.datetime | None = None) -> None:
    """Every change to a package: not withdrawn, campaign open, deadline ahead, node open."""
    if submission.state == SubmissionState.WITHDRAWN:
        raise ValidationError(_("作品已撤回。如需继续，请先恢复为草稿。"))
    _guard_window(submission.campaign, submission.unit, submission.node, now or timezone.now())


def _clean_text(fields: dict, category: Category) -> dict:
    errors = {}
    title = (fields.get("title") or "").strip()
    if "title" in fields:
        if not title:
            errors["title"] = _("请填写作品标题（一般为课题名称）。")
        elif len(title) > 120:
            errors["title"] = _("作品标题最长 120 个字，请精简。")
        fields["title"] = title
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
        if len(fields["description"]) > 2000:
            errors["description"] = _("简介最长 2000 字，请精简。")
    if "periods" in fields:
        periods = fields["periods"]
        if not isinstance(periods, int) or not 1 <= periods <= category.max_periods:
            errors["periods"] = _("课时数应为 1 到 %(n)s。") % {"n": category.max_periods}
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def start_submission(
    actor: Actor,
    campaign: Campaign,
    category: Category,
    node: CourseNode,
    *,
    title: str,
    description: str = "",
    periods: int = 1,
    now: datetime.datetime | None = None,
) -> Submission:
    person = actor.person
    now = now or timezone.now()
    if person is None or not rules.is_teacher(person):
        raise PermissionDenied
    from youke.campaigns.rules import can_view_campaign

    if not can_view_campaign(person, campaign) or category.campaign_id != campaign.pk:
        raise PermissionDenied
    if node.level != NodeLevel.LESSON:
        raise ValidationError({"node": _("请选择到“课”一级的课程节点。")})
    _guard_window(campaign, person.unit, node, now)
    fields = _clean_text({"title": title, "description": description, "periods": periods}, category)
    submission = Submission.objects.create(
        campaign=campaign,
        category=category,
        node=node,
        teacher=person,
        unit=person.unit,
        **fields,
    )
    _event(submission, actor, "", SubmissionState.DRAFT)
    record(
        actor,
        AuditAction.CREATE,
        submission,
        unit=submission.unit,
        after=snapshot(submission, FIELDS),
    )
    return submission


@transaction.atomic
def update_submission(
    actor: Actor, submission: Submission, *, now: datetime.datetime | None = None, **fields
) -> Submission:
    _check_author(actor, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    guard_editable(submission, now)
    fields = {k: v for k, v in fields.items() if k in ("title", "description", "periods")}
    fields = _clean_text(fields, submission.category)
    if "periods" in fields and fields["periods"] < submission.periods:
        extra = submission.materials.filter(period__gt=fields["periods"]).count()
        if extra:
            raise ValidationError(
                {
                    "periods": _(
                        "第 %(n)s 课时之后还有已上传的材料，请先删除这些材料再减少课时数。"
                    )
                    % {"n": fields["periods"]}
                }
            )
    before = snapshot(submission, FIELDS)
    for name, value in fields.items():
        setattr(submission, name, value)
    after = snapshot(submission, FIELDS)
    if before != after:
        submission.save(update_fields=[*fields, "updated_at"])
        record(
            actor, AuditAction.UPDATE, submission, unit=submission.unit, before=before, after=after
        )
    return submission


@transaction.atomic
def set_citations(actor: Actor, submission: Submission, rows: list[tuple[str, str, str]]) -> None:
    """Replace the citation list (R14: quoted material names its source and author)."""
    _check_author(actor, submission)
    guard_editable(submission)
    clean = [(s.strip(), a.strip(), n.strip()) for s, a, n in rows if s.strip() or a.strip()]
    if len(clean) > MAX_CITATIONS:
        raise ValidationError({"citations": _("引用最多 %(n)s 条。") % {"n": MAX_CITATIONS}})
    for index, (source, author, _note) in enumerate(clean, start=1):
        if not source or not author:
            raise ValidationError(
                {
                    "citations": _(
                        "第 %(i)s 条引用须同时填写出处和作者（引用的材料须注明来源和作者）。"
                    )
                    % {"i": index}
                }
            )
    before = [(c.source, c.author, c.note) for c in submission.citations.all()]
    submission.citations.all().delete()
    Citation.objects.bulk_create(
        [Citation(submission=submission, source=s, author=a, note=n) for s, a, n in clean]
    )
    record(
        actor,
        AuditAction.UPDATE,
        submission,
        unit=submission.unit,
        before={"citations": before},
        after={"citations": clean},
    )
    if before != clean:
        submission_id = submission.pk
        transaction.on_commit(
            lambda: citations_changed.send(sender=Submission, submission_id=submission_id),
            robust=True,
        )


@transaction.atomic
def set_coauthors(actor: Actor, submission: Submission, people: list[Person]) -> None:
    _check_author(actor, submission)
    guard_editable(submission)
    if len(people) > MAX_COAUTHORS:
        raise ValidationError({"coauthors": _("合作者最多 %(n)s 人。") % {"n": MAX_COAUTHORS}})
    if any(p.pk == submission.teacher_id for p in people):
        raise ValidationError({"coauthors": _("作者本人不需要再列为合作者。")})
    not_teachers = [p.full_name for p in people if not rules.is_teacher(p)]
    if not_teachers:
        raise ValidationError(
            {
                "coauthors": _("%(names)s 不是教师账号，不能列为合作者。请核对手机号。")
                % {"names": "、".join(not_teachers)}
            }
        )
    submission.coauthors.all().delete()
    CoAuthor.objects.bulk_create(
        [CoAuthor(submission=submission, person=p, order=i) for i, p in enumerate(people)]
    )
    record(
        actor,
        AuditAction.UPDATE,
        submission,
        unit=submission.unit,
        after={"coauthors": [p.pk for p in people]},
    )


@transaction.atomic
def confirm_originality(actor: Actor, submission: Submission) -> Submission:
    _check_author(actor, submission)
    guard_editable(submission)
    Submission.objects.filter(pk=submission.pk).update(originality_confirmed_at=timezone.now())
    submission.refresh_from_db()
    record(
        actor,
        AuditAction.UPDATE,
        submission,
        unit=submission.unit,
        after={"originality_confirmed": True},
    )
    return submission


def check_material_fit(requirement: MaterialRequirement, filename: str, size: int) -> None:
    """Type and size of a file for one material slot (before and after upload)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in requirement.extensions:
        raise ValidationError(
            _("“%(m)s”只接受 %(types)s 文件，“%(f)s”不是。请另存为这些格式之一后再上传。")
            % {"m": requirement.name, "types": "、".join(requirement.extensions), "f": filename},
            code="wrong_type",
        )
    limit = min(requirement.max_bytes, requirement.category.campaign.max_upload_bytes)
    if size > limit:
        size_text, limit_text = over_limit_sizes(size, limit)
        raise ValidationError(
            _("文件大小 %(s)s，超过“%(m)s”的上限 %(l)s。请压缩或降低码率后再上传。")
            % {"s": size_text, "m": requirement.name, "l": limit_text},
            code="too_large",
        )


@transaction.atomic
def attach_material(
    actor: Actor,
    submission: Submission,
    requirement: MaterialRequirement,
    period: int,
    upload: Upload,
) -> Material:
    """Claim a finished upload for one slot; a replaced file stays the teacher's upload.

    Changing a file of a submitted package takes it back to draft: the new file must pass
    its checks and the teacher submits again.
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    # Design first, filming later: a video asked for after screening goes into the package
    # the school already took, without taking the package back to draft.
    filming = submission.school_acted_at is not None and _filming_video(submission, requirement)
    if filming:
        from youke.selection.domain.filming import guard_video_upload

        if actor.person is None or submission.teacher_id != actor.person.pk:
            raise PermissionDenied
        guard_video_upload(submission, requirement)
    else:
        _check_author(actor, submission)
        guard_editable(submission)
    if requirement.category_id != submission.category_id:
        raise ValidationError(_("该材料不属于此作品的类别。"))
    if not 1 <= period <= (submission.periods if requirement.per_period else 1):
        raise ValidationError(_("课时编号超出范围，请刷新页面后重试。"))
    if upload.owner_id != submission.teacher_id or upload.state != UploadState.COMPLETE:
        raise ValidationError(_("上传尚未完成或不属于您，请重新上传。"))
    check_material_fit(requirement, upload.filename, upload.length)
    material, created = Material.objects.select_for_update().get_or_create(
        submission=submission,
        requirement=requirement,
        period=period,
        defaults={"upload": upload, "check_state": CheckState.QUEUED},
    )
    before = None if created else str(material.upload_id)
    if not created:
        material.upload = upload
        material.check_state = CheckState.QUEUED
        material.save(update_fields=["upload", "check_state", "attached_at"])
    record(
        actor,
        AuditAction.UPDATE,
        submission,
        unit=submission.unit,
        before={"material": requirement.code, "period": period, "upload": before},
        after={
            "material": requirement.code,
            "period": period,
            "upload": str(upload.pk),
            "sha256": upload.sha256,
        },
    )
    from youke.submissions.domain.checks import queue_check

    if submission.state == SubmissionState.SUBMITTED and not filming:
        set_submission_state(
            submission,
            SubmissionState.DRAFT,
            actor=actor,
            reason=_("更换了材料“%(m)s”，检查通过后请重新提交。") % {"m": requirement.name},
        )
    transaction.on_commit(lambda: queue_check(material.pk))
    return material


def _filming_video(submission: Submission, requirement: MaterialRequirement) -> bool:
    from youke.selection.domain.filming import is_deferred

    return is_deferred(submission.campaign, requirement)


@dataclass(frozen=True)
class Slot:
    """One line of the package checklist: a material (per period) and its state."""

    requirement: MaterialRequirement
    period: int
    material: Material | None
    # A video filmed after screening (design first): not part of the first submission.
    deferred: bool = False
    # Resource links given for this slot (where the requirement accepts links).
    links: tuple[MaterialLink, ...] = ()

    @property
    def state(self) -> str:
        if self.material is None and self.links:
            return CheckState.LINKED
        return self.material.check_state if self.material else CheckState.MISSING

    @property
    def present(self) -> bool:
        """A file or a saved link: the material counts as given."""
        return self.material is not None or bool(self.links)

    @property
    def blocks_submission(self) -> bool:
        if self.material is None:
            if self.links:
                return False
            return (
                self.requirement.required
                and not self.requirement.required_from_level
                and not self.deferred
            )
        return self.material.check_state in (
            CheckState.FAILED,
            CheckState.QUEUED,
            CheckState.PROCESSING,
        )


def slot_label(slot: Slot) -> str:
    if not slot.requirement.per_period:
        return slot.requirement.name
    return slot.requirement.name + _("（第 %(p)s 课时）") % {"p": slot.period}


def package_materials(submission: Submission, viewer=None) -> list[Material]:
    """Every material of the package with its requirement, upload and media asset (with its
    ``thumbnail_count``), in checklist order, in one query; with ``viewer``, each also
    carries ``resume``: where that person stopped playing it (seconds, or None).

    The package, entry and assignment pages load it once and hand the same list to the
    checklist, the player and the review panel.
    """
    thumbnails = (
        MediaThumbnail.objects.filter(asset__upload_id=OuterRef("upload_id"))
        .order_by()
        .values("asset_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Material.objects.filter(submission_id=submission.pk)
        .select_related("requirement", "upload__asset")
        .annotate(thumbnail_count=Coalesce(Subquery(thumbnails), 0))
        .order_by("requirement__order", "period", "id")
    )
    if viewer is not None:
        position = PlaybackPosition.objects.filter(
            asset_id=OuterRef("upload__asset__id"), person_id=viewer.pk
        ).values("seconds")[:1]
        rows = rows.annotate(resume=Subquery(position))
    materials = list(rows)
    for material in materials:  # the thumbnails' count travels with the asset it counts
        asset = material_asset(material)
        if asset is not None:
            asset.thumbnail_count = material.thumbnail_count
    return materials


def material_asset(material: Material):
    """The media asset of a material loaded by ``package_materials`` (None if none yet)."""
    return getattr(material.upload, "asset", None)


def package_links(submission: Submission) -> list[MaterialLink]:
    """The package's resource links in checklist order (one query)."""
    return list(
        MaterialLink.objects.filter(submission_id=submission.pk)
        .select_related("requirement")
        .order_by("requirement__order", "period", "id")
    )


def checklist(
    submission: Submission,
    *,
    requirements: list[MaterialRequirement] | None = None,
    materials: list[Material] | None = None,
    links: list[MaterialLink] | None = None,
) -> list[Slot]:
    """One slot per required file (per period where asked), with the links given for it;
    pass what the page has loaded."""
    from youke.selection.domain.filming import is_deferred

    campaign = submission.campaign
    if requirements is None:
        requirements = list(submission.category.materials.order_by("order", "pk"))
    if materials is None:
        materials = list(submission.materials.select_related("upload"))
    materials = {(m.requirement_id, m.period): m for m in materials}
    by_slot: dict[tuple[int, int], list[MaterialLink]] = {}
    for link in package_links(submission) if links is None else links:
        by_slot.setdefault((link.requirement_id, link.period), []).append(link)
    slots = []
    for requirement in requirements:
        periods = submission.periods if requirement.per_period else 1
        for period in range(1, periods + 1):
            slots.append(
                Slot(
                    requirement,
                    period,
                    materials.get((requirement.pk, period)),
                    deferred=is_deferred(campaign, requirement),
                    links=tuple(by_slot.get((requirement.pk, period), ())),
                )
            )
    return slots


@transaction.atomic
def submit(actor: Actor, submission: Submission, *, now: datetime.datetime | None = None):
    _check_author(actor, submission)
    # Lock first: a file attached at the same moment waits, then is seen by the checklist.
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    now = now or timezone.now()
    _guard_window(submission.campaign, submission.unit, submission.node, now)
    problems = []
    if submission.originality_confirmed_at is None:
        problems.append(_("请先阅读并确认原创声明。"))
    for slot in checklist(submission):
        if not slot.blocks_submission:
            continue
        label = slot_label(slot)
        if slot.material is None:
            problems.append(_("缺少必交材料：%(m)s。") % {"m": label})
        elif slot.state == CheckState.FAILED:
            problems.append(_("%(m)s未通过检查，请按提示修改后重新上传。") % {"m": label})
        else:
            problems.append(_("%(m)s还在检查中，请稍候再提交。") % {"m": label})
    if problems:
        raise ValidationError(problems)
    submitted = set_submission_state(submission, SubmissionState.SUBMITTED, actor=actor)
    transaction.on_commit(
        lambda: package_submitted.send(sender=Submission, submission_id=submitted.pk, actor=actor),
        robust=True,
    )
    return submitted


def withdraw(actor: Actor, submission: Submission, *, reason: str):
    _check_author(actor, submission)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤回原因。")})
    withdrawn = set_submission_state(
        submission, SubmissionState.WITHDRAWN, actor=actor, reason=reason.strip()
    )
    transaction.on_commit(
        lambda: package_withdrawn.send(
            sender=Submission, submission_id=withdrawn.pk, actor=actor, reason=reason.strip()
        ),
        robust=True,
    )
    return withdrawn


def reopen(actor: Actor, submission: Submission, *, now: datetime.datetime | None = None):
    """Back to draft (from submitted or withdrawn) while the teacher's deadline is open."""
    _check_author(actor, submission)
    _guard_window(submission.campaign, submission.unit, submission.node, now or timezone.now())
    return set_submission_state(submission, SubmissionState.DRAFT, actor=actor)
