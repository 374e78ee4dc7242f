"""People: real-name accounts, passwords and roles (audited, guarded)."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.core.fields import keyed_hash
from youke.orgs import rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role, TeacherTitle
from youke.orgs.models import ApiToken, ExpertProfile, Person, PersonSession, RoleGrant, Unit
from youke.orgs.validators import normalize_id_card, validate_id_card, validate_mobile

PERSON_FIELDS = (
    "username",
    "full_name",
    "mobile",
    "id_card",
    "email",
    "unit",
    "title",
    "is_active",
)
EDITABLE_FIELDS = ("full_name", "mobile", "id_card", "email", "title")
SELF_EDITABLE_FIELDS = ("email",)


def _clean(fields: dict, *, instance: Person | None = None) -> dict:
    """Normalise and validate person fields; errors keyed by field, in Chinese."""
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors: dict[str, str] = {}
    others = Person.objects.exclude(pk=instance.pk) if instance else Person.objects.all()
    if "full_name" in fields and not fields["full_name"]:
        errors["full_name"] = _("姓名不能为空，请填写真实姓名。")
    if "username" in fields:
        if not fields["username"]:
            errors["username"] = _("用户名不能为空。")
        elif others.filter(username=fields["username"]).exists():
            errors["username"] = _("用户名 %(v)s 已被使用，请换一个。") % {"v": fields["username"]}
    if fields.get("mobile"):
        try:
            validate_mobile(fields["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages[0]
        else:
            if others.filter(mobile=fields["mobile"]).exists():
                errors["mobile"] = _("手机号 %(v)s 已被其他账号使用；同一人请勿重复建号。") % {
                    "v": fields["mobile"]
                }
    elif "mobile" in fields:
        fields["mobile"] = None
    if fields.get("id_card"):
        fields["id_card"] = normalize_id_card(fields["id_card"])
        try:
            validate_id_card(fields["id_card"])
        except ValidationError as exc:
            errors["id_card"] = exc.messages[0]
        else:
            if others.filter(id_card_hash=keyed_hash(fields["id_card"])).exists():
                errors["id_card"] = _("该身份证号已登记在其他账号上；同一人请勿重复建号。")
    elif "id_card" in fields:
        fields["id_card"] = None
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确，例如 name@example.com，请重新填写。")
    if fields.get("title") and fields["title"] not in TeacherTitle.values:
        errors["title"] = _("称号无效，请从列表中选择。")
    if errors:
        raise ValidationError(errors)
    return fields


def generate_password() -> str:
    # Easy to read aloud over the phone: no 0/O, 1/l confusion.
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def create_person(
    actor: Actor, unit: Unit, *, password: str | None = None, roles: tuple[str, ...] = (), **fields
) -> tuple[Person, str]:
    """Create an account; returns it with the initial password (to hand over once)."""
    if actor.person is not None and not rules.covers(actor.person, unit):
        raise PermissionDenied
    if not fields.get("username"):
        fields["username"] = fields.get("mobile") or ""
    fields = _clean(fields)
    password = password or generate_password()
    person = Person(unit=unit, must_change_password=True, **fields)
    person.set_password(password)
    person.save()
    record(actor, AuditAction.CREATE, person, unit=unit, after=snapshot(person, PERSON_FIELDS))
    for role in roles:
        grant_role(actor, person, unit, role)
    return person, password


@transaction.atomic
def update_person(actor: Actor, person: Person, **fields) -> Person:
    if actor.person is not None and not (
        actor.person.pk == person.pk or rules.can_change_person(actor.person, person)
    ):
        raise PermissionDenied
    fields = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    person = Person.objects.select_for_update().get(pk=person.pk)
    if actor.person is not None and not rules.can_change_person(actor.person, person):
        # Self-service: real-name identity (name, mobile, ID card, title) is the admin's.
        locked = [
            k
            for k in fields
            if k not in SELF_EDITABLE_FIELDS and (fields[k] or None) != (getattr(person, k) or None)
        ]
        if locked:
            raise ValidationError(
                {
                    k: _("实名信息（姓名、手机号、身份证号、称号）请联系本单位管理员修改。")
                    for k in locked
                }
            )
    fields = _clean(fields, instance=person)
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    after = snapshot(person, PERSON_FIELDS)
    if before != after:
        person.save(update_fields=[*fields.keys(), "updated_at"])
        record(actor, AuditAction.UPDATE, person, unit=person.unit, before=before, after=after)
    return person


@transaction.atomic
def move_person(actor: Actor, person: Person, unit: Unit, *, reason: str = "") -> Person:
    """Transfer to another unit in scope (e.g. a teacher changes school)."""
    if actor.person is not None and not (
        rules.can_change_person(actor.person, person) and rules.covers(actor.person, unit)
    ):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = {"unit": person.unit_id, "unit_name": str(person.unit)}
    person.unit = unit
    person.save(update_fields=["unit", "updated_at"])
    record(
        actor,
        AuditAction.MOVE,
        person,
        unit=unit,
        before=before,
        after={"unit": unit.pk, "unit_name": unit.name},
        reason=reason,
    )
    return person


def end_access(person: Person) -> dict[str, int]:
    """Log the person out everywhere: delete their sessions and API tokens."""
    sessions, _detail = PersonSession.objects.filter(person_id=person.pk).delete()
    tokens, _detail = ApiToken.objects.filter(person_id=person.pk).delete()
    return {"sessions_ended": sessions, "tokens_revoked": tokens}


@transaction.atomic
def set_person_active(actor: Actor, person: Person, active: bool, *, reason: str = "") -> Person:
    if actor.person is not None and (
        actor.person.pk == person.pk or not rules.can_change_person(actor.person, person)
    ):
        raise PermissionDenied
    if not active and not reason.strip():
        raise ValidationError({"reason": _("请填写停用原因。")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active", "updated_at"])
        ended = {} if active else end_access(person)
        record(
            actor,
            AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE,
            person,
            unit=person.unit,
            before={"is_active": not active},
            after={"is_active": active, **ended},
            reason=reason,
        )
    return person


@transaction.atomic
def reset_password(actor: Actor, person: Person) -> str:
    """An admin sets a temporary password; the person must change it at next log-in."""
    if actor.person is not None and (
        actor.person.pk == person.pk or not rules.can_change_person(actor.person, person)
    ):
        raise PermissionDenied
    password = generate_password()
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.set_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password", "updated_at"])
    record(actor, AuditAction.PASSWORD_RESET, person, unit=person.unit, after=end_access(person))
    return password


@transaction.atomic
def change_own_password(actor: Actor, person: Person, old: str, new: str) -> None:
    if not person.check_password(old):
        raise ValidationError({"old_password": _("原密码不正确，请重新输入。")})
    if old == new:
        raise ValidationError({"new_password": _("新密码不能与原密码相同，请换一个。")})
    try:
        validate_password(new, person)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    person.set_password(new)
    person.must_change_password = False
    person.save(update_fields=["password", "must_change_password", "updated_at"])
    record(actor, AuditAction.PASSWORD_CHANGE, person, unit=person.unit)


@transaction.atomic
def grant_role(actor: Actor, person: Person, unit: Unit, role: str) -> RoleGrant:
    if role not in Role.values:
        raise ValidationError({"role": _("角色无效，请从列表中选择。")})
    if actor.person is not None and not rules.can_grant_role(actor.person, unit, person):
        raise PermissionDenied
    if not unit.is_active:
        raise ValidationError(
            {"unit": _("单位“%(name)s”已停用，不能在其上授予角色。") % {"name": unit.name}}
        )
    grant, created = RoleGrant.objects.get_or_create(
        person=person, unit=unit, role=role, defaults={"granted_by": actor.person}
    )
    if created:
        record(
            actor,
            AuditAction.GRANT,
            grant,
            unit=unit,
            after={"person": person.pk, "unit": unit.pk, "role": role},
        )
        if role == Role.EXPERT:
            ExpertProfile.objects.get_or_create(person=person)
    return grant


@transaction.atomic
def revoke_role(actor: Actor, grant: RoleGrant, *, reason: str = "") -> None:
    if actor.person is not None and not rules.can_grant_role(
        actor.person, grant.unit, grant.person
    ):
        raise PermissionDenied
    if (
        actor.person is not None
        and grant.person_id == actor.person.pk
        and (grant.role == Role.UNIT_ADMIN)
    ):
        raise ValidationError(_("不能撤销自己的管理员角色，请由上级管理员操作。"))
    record(
        actor,
        AuditAction.REVOKE,
        grant,
        unit=grant.unit,
        before={"person": grant.person_id, "unit": grant.unit_id, "role": grant.role},
        reason=reason,
    )
    grant.delete()


@transaction.atomic
def set_expert_areas(actor: Actor, person: Person, area_ids: list[int], note: str = "") -> None:
    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode

    if actor.person is not None and not rules.can_change_person(actor.person, person):
        raise PermissionDenied
    areas = list(
        CourseNode.objects.filter(pk__in=area_ids, level__in=[NodeLevel.STAGE, NodeLevel.SUBJECT])
    )
    if len(areas) != len(set(area_ids)):
        raise ValidationError({"areas": _("专家的学段/学科只能选择课程目录中的学段或学科节点。")})
    profile, _created = ExpertProfile.objects.get_or_create(person=person)
    before = sorted(profile.areas.values_list("pk", flat=True))
    profile.areas.set(areas)
    profile.note = note
    profile.save(update_fields=["note"])
    record(
        actor,
        AuditAction.UPDATE,
        profile,
        unit=person.unit,
        before={"areas": before},
        after={"areas": sorted(a.pk for a in areas)},
    )
