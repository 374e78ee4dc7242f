"""Creating, changing, moving and deactivating units (audited, guarded)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.orgs import rules
from youke.orgs.enums import CHILD_KINDS, STAGED_KINDS, AreaType, SchoolStage, UnitKind
from youke.orgs.models import Contact, Unit
from youke.orgs.validators import validate_mobile, validate_unit_code

UNIT_FIELDS = ("name", "code", "kind", "area_type", "stage", "address", "is_active")
CONTACT_FIELDS = ("name", "department", "position", "office_phone", "mobile")


class PermissionDenied(Exception):
    """Raised by domain functions; interfaces turn it into 404 (never a leak)."""


def _check_kind(parent: Unit | None, kind: str) -> None:
    if parent is None:
        if kind != UnitKind.MINISTRY and kind != UnitKind.PROVINCE:
            raise ValidationError(
                {"parent": _("只有教育部或省级单位可以没有上级单位，请选择上级单位。")}
            )
        return
    if kind not in CHILD_KINDS[parent.kind]:
        allowed = "、".join(str(UnitKind(k).label) for k in CHILD_KINDS[parent.kind]) or _("无")
        raise ValidationError(
            {
                "kind": _(
                    "%(parent)s（%(parent_kind)s）下只能建立：%(allowed)s。请修改单位类型或上级单位。"
                )
                % {
                    "parent": parent.name,
                    "parent_kind": parent.get_kind_display(),
                    "allowed": allowed,
                }
            }
        )


def clean_unit_fields(fields: dict, *, instance: Unit | None = None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors: dict[str, str] = {}
    if "name" in fields and not fields["name"]:
        errors["name"] = _("单位名称不能为空，请填写。")
    kind = fields.get("kind", instance.kind if instance else None)
    if fields.get("area_type") and fields["area_type"] not in AreaType.values:
        errors["area_type"] = _("城区/县区只能填“城区”或“县区”，请重新选择。")
    if fields.get("stage"):
        if fields["stage"] not in SchoolStage.values:
            errors["stage"] = _("学段只能是：%(allowed)s，请重新选择。") % {
                "allowed": "、".join(str(label) for label in SchoolStage.labels)
            }
        elif kind not in STAGED_KINDS:
            errors["stage"] = _("只有学校和教学点有学段，县(区)及以上单位请留空。")
    if "code" in fields:
        try:
            validate_unit_code(fields["code"], kind)
        except ValidationError as exc:
            errors["code"] = exc.messages[0]
        else:
            clash = Unit.objects.filter(code=fields["code"])
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["code"] = _("代码 %(code)s 已被其他单位使用，请核对代码。") % {
                    "code": fields["code"]
                }
    if kind in (UnitKind.SCHOOL, UnitKind.TEACHING_POINT, UnitKind.COUNTY) and not fields.get(
        "area_type", instance.area_type if instance else ""
    ):
        errors["area_type"] = _("县(区)、学校和教学点须注明城区或县区（用于参与率目标）。")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def create_unit(actor: Actor, parent: Unit | None, **fields) -> Unit:
    if parent is None:
        if not (actor.person is None or actor.person.is_platform_admin):
            raise PermissionDenied
    elif actor.person is not None and not rules.can_add_child_unit(actor.person, parent):
        raise PermissionDenied
    _check_kind(parent, fields.get("kind", ""))
    fields = clean_unit_fields(fields)
    if parent is None:
        unit = Unit.add_root(**fields)
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        unit = parent.add_child(**fields)
    record(actor, AuditAction.CREATE, unit, unit=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def update_unit(actor: Actor, unit: Unit, **fields) -> Unit:
    if actor.person is not None and not rules.can_change_unit(actor.person, unit):
        raise PermissionDenied
    fields.pop("kind", None)  # kind follows the place in the tree; change by moving
    fields.pop("is_active", None)  # through deactivate/reactivate only
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    fields = clean_unit_fields(fields, instance=unit)
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, value)
    changed = [name for name in fields if before[name] != getattr(unit, name)]
    if changed:
        unit.save(update_fields=[*changed, "updated_at"])
        record(
            actor,
            AuditAction.UPDATE,
            unit,
            unit=unit,
            before=before,
            after=snapshot(unit, UNIT_FIELDS),
        )
    return unit


@transaction.atomic
def move_unit(actor: Actor, unit: Unit, new_parent: Unit, *, reason: str = "") -> Unit:
    person = actor.person
    if person is not None and not (
        rules.can_restructure_unit(person, unit) and rules.covers(person, new_parent)
    ):
        raise PermissionDenied
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {
                "parent": _(
                    "不能把单位移动到它自己或它的下级单位之下，这会形成循环。请选择其他上级单位。"
                )
            }
        )
    _check_kind(new_parent, unit.kind)
    old_parent = unit.get_parent()
    unit.move(new_parent, pos="last-child")
    unit.refresh_from_db()
    record(
        actor,
        AuditAction.MOVE,
        unit,
        unit=unit,
        before={
            "parent": old_parent.pk if old_parent else None,
            "parent_name": str(old_parent) if old_parent else "",
        },
        after={"parent": new_parent.pk, "parent_name": new_parent.name},
        reason=reason,
    )
    return unit


def _set_active(actor: Actor, unit: Unit, active: bool, reason: str) -> Unit:
    if actor.person is not None and not rules.can_restructure_unit(actor.person, unit):
        raise PermissionDenied
    with transaction.atomic():
        subtree = Unit.objects.select_for_update().filter(path__under=unit.path)
        if not active:
            # Deactivation covers the subtree; people and history stay (never hard-deleted).
            count = subtree.filter(is_active=True).update(is_active=False)
        else:
            count = Unit.objects.filter(pk=unit.pk).update(is_active=True)
        unit.refresh_from_db()
        record(
            actor,
            AuditAction.DEACTIVATE if not active else AuditAction.REACTIVATE,
            unit,
            unit=unit,
            before={"is_active": not active},
            after={"is_active": active, "units_affected": count},
            reason=reason,
        )
    return unit


def deactivate_unit(actor: Actor, unit: Unit, *, reason: str) -> Unit:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写停用原因。")})
    return _set_active(actor, unit, False, reason)


def reactivate_unit(actor: Actor, unit: Unit, *, reason: str = "") -> Unit:
    parent = unit.get_parent()
    if parent is not None and not parent.is_active:
        raise ValidationError(
            {"reason": _("上级单位“%(name)s”已停用，请先启用上级单位。") % {"name": parent.name}}
        )
    return _set_active(actor, unit, True, reason)


@transaction.atomic
def delete_unit(actor: Actor, unit: Unit) -> None:
    """Only a unit created by mistake (no children, no people, no roles) is deleted."""
    if actor.person is not None and not rules.can_restructure_unit(actor.person, unit):
        raise PermissionDenied
    if unit.get_children_count() or unit.people.exists() or unit.grants.exists():
        raise ValidationError(_("该单位下还有下级单位、人员或角色，不能删除；如不再使用，请停用。"))
    before = snapshot(unit, UNIT_FIELDS)
    parent = unit.get_parent()
    record(actor, AuditAction.DELETE, unit, unit=parent, before=before)
    unit.delete()


@transaction.atomic
def save_contact(actor: Actor, unit: Unit, role: str, **fields) -> Contact:
    if actor.person is not None and not rules.can_change_unit(actor.person, unit):
        raise PermissionDenied
    fields = {k: (v or "").strip() for k, v in fields.items()}
    if not fields.get("name"):
        raise ValidationError({"name": _("联系人姓名不能为空，请填写。")})
    if fields.get("mobile"):
        try:
            validate_mobile(fields["mobile"])
        except ValidationError as exc:
            raise ValidationError({"mobile": exc.messages[0]}) from exc
    contact = Contact.objects.filter(unit=unit, role=role).first()
    before = snapshot(contact, CONTACT_FIELDS) if contact else None
    if contact is None:
        contact = Contact(unit=unit, role=role)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    after = snapshot(contact, CONTACT_FIELDS)
    if before != after:
        record(
            actor,
            AuditAction.UPDATE if before else AuditAction.CREATE,
            contact,
            unit=unit,
            before=before,
            after=after,
        )
    return contact
