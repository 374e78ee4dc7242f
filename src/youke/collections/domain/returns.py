"""A unit's return: the contact sheet (save a draft, attach the stamped scan, confirm) or a
document version; the level above approves or returns it with comments.

``set_return_state`` is the only writer of ``CollectionReturn.state``: transition table,
row lock, audit log, and notifications inside the transaction (e-mail after commit).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.collections import rules
from youke.collections.enums import (
    RETURN_TRANSITIONS,
    CollectionKind,
    Decision,
    Gender,
    ReturnState,
    TaskState,
)
from youke.collections.models import CollectionReturn, ContactEntry, DocumentVersion
from youke.collections.signals import return_submitting
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.domain.uploaded import sha256_of_upload, sniff_upload
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import ContactRole
from youke.orgs.models import Contact
from youke.orgs.validators import validate_mobile

CONTACT_FIELDS = ("name", "gender", "position", "department", "office_phone", "mobile", "email")
FIELD_LIMITS = {
    "name": 64,
    "gender": 8,
    "position": 64,
    "department": 100,
    "office_phone": 32,
    "mobile": 32,
    "email": 254,
}
ROLE_ORDER = (ContactRole.LEADER, ContactRole.CONTACT, ContactRole.ADMIN)

FILE_MAX_BYTES = 20 * 1024 * 1024
SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}  # macro-enabled Word files are sniffed as such and refused


# --- transitions -----------------------------------------------------------------------------


def _locked(collection_return: CollectionReturn) -> CollectionReturn:
    return (
        CollectionReturn.objects.select_for_update()
        .select_related("task__issuing_unit", "unit")
        .get(pk=collection_return.pk)
    )


def _set_state(actor: Actor, locked: CollectionReturn, new_state: str, reason: str = "") -> None:
    if new_state not in RETURN_TRANSITIONS[locked.state]:
        raise ValidationError(
            _("该报送当前为“%(state)s”，不能改为“%(new)s”。")
            % {"state": locked.get_state_display(), "new": ReturnState(new_state).label}
        )
    if new_state == ReturnState.SUBMITTED:
        return_submitting.send(CollectionReturn, collection_return=locked, actor=actor)
    before = locked.state
    locked.state = new_state
    now = timezone.now()
    changed = ["state", "updated_at"]
    if new_state == ReturnState.SUBMITTED:
        locked.submitted_at, locked.submitted_by = now, actor.person
        changed += ["submitted_at", "submitted_by"]
    else:
        locked.decided_at, locked.comment = now, reason
        changed += ["decided_at", "comment"]
    locked.save(update_fields=changed)
    record(
        actor,
        AuditAction.UPDATE,
        locked,
        unit=locked.unit,
        before={"state": before},
        after={"state": new_state},
        reason=reason,
    )


def _open_for_filling(actor: Actor, locked: CollectionReturn) -> None:
    if actor.person is None or not rules.can_fill(actor.person, locked):
        raise PermissionDenied("collection return")
    if locked.task.state != TaskState.OPEN:
        raise ValidationError(_("该征集任务已结束或尚未发布，不能再报送；如需补报请联系上级单位。"))
    if locked.state == ReturnState.APPROVED:
        raise ValidationError(_("该报送已审定通过，不能再修改。"))


# --- contact sheets -----------------------------------------------------------------------


def prefill(collection_return: CollectionReturn) -> dict[str, dict[str, str]]:
    """What the form shows: the return's rows, else the unit's contact sheet on file."""
    rows = {c.role: c for c in collection_return.contacts.all()}
    if not rows:
        on_file = {c.role: c for c in Contact.objects.filter(unit_id=collection_return.unit_id)}
        return {
            role: {
                "name": c.name,
                "position": c.position,
                "department": c.department,
                "office_phone": c.office_phone,
                "mobile": c.mobile,
            }
            for role, c in on_file.items()
        }
    return {role: {f: getattr(c, f) for f in CONTACT_FIELDS} for role, c in rows.items()}


def _clip(values: dict) -> dict[str, str]:
    return {
        field: str(values.get(field) or "").strip()[: FIELD_LIMITS[field]]
        for field in CONTACT_FIELDS
    }


def contact_errors(rows: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Per-field problems of a contact sheet, keyed ``<role>-<field>``; empty when complete."""
    errors: dict[str, list[str]] = {}
    for role in ROLE_ORDER:
        values = rows.get(role, {})
        label = ContactRole(role).label
        for field, text in (
            ("name", _("请填写%(role)s的姓名。")),
            ("position", _("请填写%(role)s的职务。")),
            ("department", _("请填写%(role)s的负责部门。")),
            ("office_phone", _("请填写%(role)s的办公电话（含区号，例如 0379-63210000）。")),
        ):
            if not values.get(field):
                errors[f"{role}-{field}"] = [text % {"role": label}]
        if values.get("gender") not in Gender.values:
            errors[f"{role}-gender"] = [_("请选择%(role)s的性别。") % {"role": label}]
        try:
            validate_mobile(values.get("mobile", ""))
        except ValidationError as exc:
            errors[f"{role}-mobile"] = [f"{label}：{m}" for m in exc.messages]
        try:
            validate_email(values.get("email", ""))
        except ValidationError:
            errors[f"{role}-email"] = [
                _("%(role)s的电子邮箱格式不正确，应形如 name@example.com，请重新填写。")
                % {"role": label}
            ]
    return errors


@transaction.atomic
def save_contacts(
    actor: Actor, collection_return: CollectionReturn, rows: dict[str, dict]
) -> dict[str, list[str]]:
    """Keep what was typed (a draft) and return the problems still to fix."""
    locked = _locked(collection_return)
    _open_for_filling(actor, locked)
    if locked.task.kind != CollectionKind.CONTACT_SHEET:
        raise ValidationError(_("该任务报送的是文档，请上传文件。"))
    clean = {role: _clip(rows.get(role, {})) for role in ROLE_ORDER}
    for role, values in clean.items():
        ContactEntry.objects.update_or_create(collection_return=locked, role=role, defaults=values)
    locked.save(update_fields=["updated_at"])
    return contact_errors(clean)


def check_file(upload, accepted: dict[str, str], field: str, what: str) -> str:
    """The upload's type from its bytes (never its name); raises naming the field and fix."""
    if upload.size == 0:
        raise ValidationError({field: _("文件是空的（0 字节），请重新选择文件。")})
    if upload.size > FILE_MAX_BYTES:
        raise ValidationError({field: _("文件不能超过 20 MB，请压缩或拆分后再上传。")})
    kind = sniff_upload(upload)
    if kind not in accepted:
        raise ValidationError({field: what})
    return kind


@transaction.atomic
def attach_scan(actor: Actor, collection_return: CollectionReturn, upload) -> CollectionReturn:
    """The stamped contact sheet (PDF/JPG/PNG); a new scan replaces the previous one."""
    locked = _locked(collection_return)
    _open_for_filling(actor, locked)
    kind = check_file(
        upload,
        SCAN_TYPES,
        "scan",
        _("盖章扫描件只接受 PDF、JPG 或 PNG（按文件内容识别），请扫描或转换后再上传。"),
    )
    locked.scan_sha256 = sha256_of_upload(upload)
    locked.scan_type, locked.scan_size = kind, upload.size
    # The stored name comes from the sniffed type, never from the sender's file name.
    locked.scan.save(f"scan-{locked.pk}.{SCAN_TYPES[kind]}", File(upload), save=False)
    locked.save(update_fields=["scan", "scan_type", "scan_size", "scan_sha256", "updated_at"])
    record(actor, AuditAction.UPDATE, locked, unit=locked.unit, after={"scan": kind})
    return locked


@transaction.atomic
def confirm_contacts(actor: Actor, collection_return: CollectionReturn) -> CollectionReturn:
    """确认报送: every row valid and the scan attached, then the return is submitted."""
    locked = _locked(collection_return)
    _open_for_filling(actor, locked)
    rows = {c.role: {f: getattr(c, f) for f in CONTACT_FIELDS} for c in locked.contacts.all()}
    errors = contact_errors(rows)
    if not locked.scan:
        errors["scan"] = [_("请先上传盖章后的联系表扫描件（PDF、JPG 或 PNG）。")]
    if errors:
        raise ValidationError(errors)
    _set_state(actor, locked, ReturnState.SUBMITTED)
    return locked


# --- documents -----------------------------------------------------------------------------


@transaction.atomic
def add_version(
    actor: Actor, collection_return: CollectionReturn, upload, note: str = ""
) -> DocumentVersion:
    """A new version of the unit's document; uploading it submits the return for review."""
    locked = _locked(collection_return)
    _open_for_filling(actor, locked)
    if locked.task.kind == CollectionKind.CONTACT_SHEET:
        raise ValidationError(_("该任务报送的是联系表，请填写联系表并上传盖章扫描件。"))
    if locked.state == ReturnState.SUBMITTED:
        raise ValidationError(
            _("上一版本正在等待上级审定，审定退回后才能上传新版本；如需撤换请联系上级单位。")
        )
    kind = check_file(
        upload,
        DOCUMENT_TYPES,
        "file",
        _("文档只接受 PDF 或 Word（doc、docx，不含宏）文件（按文件内容识别），请转换后再上传。"),
    )
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        collection_return=locked,
        number=number,
        original_name=(getattr(upload, "name", "") or "")[:200],
        content_type=kind,
        size=upload.size,
        sha256=sha256_of_upload(upload),
        note=note[:500],
        uploaded_by=actor.person,
    )
    version.file.save(
        f"{locked.task.kind}-{locked.pk}-v{number}.{DOCUMENT_TYPES[kind]}",
        File(upload),
        save=False,
    )
    version.save()
    record(actor, AuditAction.CREATE, version, unit=locked.unit, after={"number": number})
    _set_state(actor, locked, ReturnState.SUBMITTED)
    return version


# --- review by the level above ------------------------------------------------------------


@transaction.atomic
def decide(
    actor: Actor, collection_return: CollectionReturn, decision: str, comment: str = ""
) -> CollectionReturn:
    """审定: approve or return with comments; the decision is kept on the latest version."""
    locked = _locked(collection_return)
    if actor.person is None or not rules.can_manage_task(actor.person, locked.task):
        raise PermissionDenied("collection return")
    if locked.task.state == TaskState.DRAFT:
        raise ValidationError(_("任务尚未发布。"))
    comment = comment.strip()
    if decision == Decision.RETURNED and not comment:
        raise ValidationError({"comment": [_("退回修改时请写明修改意见，报送单位会看到它。")]})
    new_state = ReturnState.APPROVED if decision == Decision.APPROVED else ReturnState.RETURNED
    _set_state(actor, locked, new_state, comment)
    latest = locked.versions.order_by("-number").first()
    if latest is not None:
        latest.decision, latest.comment = decision, comment
        latest.decided_by, latest.decided_at = actor.person, locked.decided_at
        latest.save(update_fields=["decision", "comment", "decided_by", "decided_at"])
    if new_state == ReturnState.RETURNED:
        _notify_returned(locked)
    return locked


def approve(actor: Actor, collection_return: CollectionReturn, comment: str = ""):
    return decide(actor, collection_return, Decision.APPROVED, comment)


def send_back(actor: Actor, collection_return: CollectionReturn, comment: str):
    return decide(actor, collection_return, Decision.RETURNED, comment)


def _notify_returned(locked: CollectionReturn) -> None:
    names = {
        "unit": locked.task.issuing_unit.name,
        "title": locked.task.title,
        "comment": locked.comment,
    }
    for person in unit_admins([locked.unit_id]):
        notify(
            person,
            NotificationKind.RETURNED,
            title=_("%(unit)s 退回了本单位的报送：%(title)s") % names,
            body=_("修改意见：%(comment)s。请修改后重新报送。") % names,
            url=reverse("manage_collections:return_detail", args=[locked.pk]),
        )
