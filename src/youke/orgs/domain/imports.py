"""Bulk import of units and teachers from xlsx: good rows land, bad rows are reported.

Each import runs as a background job. Rows are validated one by one against the file and
the database; every bad row is listed with its row number, column and reason, and nothing
from a bad row is written.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record_many
from youke.core.domain.imports import RowCounts, RowRefused, import_each_row, open_rows
from youke.core.enums import AuditAction
from youke.core.fields import keyed_hash
from youke.core.models import Job
from youke.core.tabular import Column, RowError
from youke.orgs import rules
from youke.orgs.domain import people as people_domain
from youke.orgs.domain import units as units_domain
from youke.orgs.enums import AreaType, ContactRole, Role, SchoolStage, TeacherTitle, UnitKind
from youke.orgs.models import Contact, Person, RoleGrant, Unit
from youke.orgs.validators import normalize_id_card, validate_id_card, validate_mobile

UNIT_COLUMNS = [
    Column("code", "单位代码"),
    Column("name", "单位名称"),
    Column("kind", "单位类型"),
    Column("parent_code", "上级单位代码"),
    Column("area_type", "城区/县区", required=False),
    Column("address", "地址", required=False),
    Column("leader_name", "负责人姓名", required=False),
    Column("leader_mobile", "负责人手机", required=False),
    Column("contact_name", "联系人姓名", required=False),
    Column("contact_mobile", "联系人手机", required=False),
    Column("contact_phone", "联系人办公电话", required=False),
    Column("stage", "学段", required=False),
]

TEACHER_COLUMNS = [
    Column("full_name", "姓名"),
    Column("mobile", "手机号"),
    Column("id_card", "身份证号", required=False),
    Column("school_code", "学校代码", required=False),
    Column("title", "称号", required=False),
    Column("email", "电子邮箱", required=False),
]

_HEADER = {c.key: c.header for c in UNIT_COLUMNS + TEACHER_COLUMNS}
_KIND_BY_LABEL = {str(label): value for value, label in UnitKind.choices}
_AREA_BY_LABEL = {str(label): value for value, label in AreaType.choices}
_STAGE_BY_LABEL = {str(label): value for value, label in SchoolStage.choices}
_TITLE_BY_LABEL = {str(label): value for value, label in TeacherTitle.choices if value}


def _actor_of(job: Job) -> Actor:
    return Actor(person=job.created_by, ip=job.params.get("ip"))


def _summary(counts: RowCounts) -> dict:
    return counts.as_result(
        _("导入完成：新增 %(c)s 条，更新 %(u)s 条，%(f)s 行有错误未导入。")
        % {"c": counts.created, "u": counts.updated, "f": len(counts.errors)}
    )


@jobs.register("orgs.import_units")
def import_units(job: Job, progress: jobs.JobProgress) -> dict:
    actor = _actor_of(job)

    def import_row(row: dict) -> bool:
        try:
            return _import_unit_row(actor, row)
        except units_domain.PermissionDenied as exc:
            raise RowRefused(
                "parent_code", _("上级单位不在您的管理范围内，请核对上级单位代码。")
            ) from exc

    return _summary(import_each_row(job, progress, UNIT_COLUMNS, import_row))


def _import_unit_row(actor: Actor, row: dict) -> bool:
    kind = _KIND_BY_LABEL.get(row["kind"]) or (
        row["kind"] if row["kind"] in UnitKind.values else None
    )
    if kind is None:
        raise ValidationError(
            {
                "kind": _("单位类型“%(v)s”无效，应为：%(allowed)s。")
                % {"v": row["kind"], "allowed": "、".join(_KIND_BY_LABEL)}
            }
        )
    area = row.get("area_type", "")
    area_type = _AREA_BY_LABEL.get(area, area if area in AreaType.values else None)
    if area and area_type is None:
        raise ValidationError({"area_type": _("“%(v)s”无效，应填“城区”或“县区”。") % {"v": area}})
    stage_text = row.get("stage", "")
    stage = _STAGE_BY_LABEL.get(
        stage_text, stage_text if stage_text in SchoolStage.values else None
    )
    if stage_text and stage is None:
        raise ValidationError(
            {
                "stage": _("学段“%(v)s”无效，应填：%(allowed)s。")
                % {"v": stage_text, "allowed": "、".join(_STAGE_BY_LABEL)}
            }
        )
    fields = {
        "name": row["name"],
        "code": row["code"],
        "kind": kind,
        "area_type": area_type or "",
        "stage": stage or "",
        "address": row.get("address", ""),
    }
    existing = Unit.objects.filter(code=row["code"]).first()
    if existing is not None:
        if actor.person is not None and not rules.can_change_unit(actor.person, existing):
            raise ValidationError(
                {
                    "code": _("代码 %(v)s 已被您管理范围之外的单位使用，请核对代码。")
                    % {"v": row["code"]}
                }
            )
        fields.pop("code")
        fields.pop("kind")
        unit = units_domain.update_unit(actor, existing, **fields)
        is_new = False
    else:
        parent = Unit.objects.filter(code=row["parent_code"]).first()
        if parent is None:
            raise ValidationError(
                {
                    "parent_code": _("上级单位代码 %(v)s 不存在。请先导入上级单位，或核对代码。")
                    % {"v": row["parent_code"] or _("（空）")}
                }
            )
        unit = units_domain.create_unit(actor, parent, **fields)
        is_new = True
    for role, name_key, mobile_key, phone_key in (
        (ContactRole.LEADER, "leader_name", "leader_mobile", None),
        (ContactRole.CONTACT, "contact_name", "contact_mobile", "contact_phone"),
    ):
        if row.get(name_key):
            try:
                units_domain.save_contact(
                    actor,
                    unit,
                    role,
                    name=row[name_key],
                    mobile=row.get(mobile_key, ""),
                    office_phone=row.get(phone_key, "") if phone_key else "",
                )
            except ValidationError as exc:
                raise ValidationError({mobile_key: exc.messages[0]}) from exc
    return is_new


@jobs.register("orgs.import_teachers")
def import_teachers(job: Job, progress: jobs.JobProgress) -> dict:
    """Teachers of one school (or of several, by the optional school-code column).

    All accounts created by one import share one generated initial password (shown to the
    admin once, forced to change on first log-in): hashing 50,000 Argon2 passwords would
    take most of an hour.
    """
    actor = _actor_of(job)
    default_unit = job.unit
    total, rows = open_rows(job, TEACHER_COLUMNS)
    progress.set_total(total)
    password = people_domain.generate_password()
    password_hash = make_password(password)
    errors: list[RowError] = []
    created = updated = 0
    seen_mobiles: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    unit_cache: dict[str, Unit | None] = {}
    batch: list[tuple[int, dict, Unit]] = []

    def flush() -> None:
        nonlocal created, updated
        c, u, errs = _write_teacher_batch(actor, batch, password_hash)
        created += c
        updated += u
        errors.extend(errs)
        batch.clear()

    try:
        for index, (number, row) in enumerate(rows, start=1):
            row_errors = _check_teacher_row(
                actor, number, row, default_unit, unit_cache, seen_mobiles, seen_ids
            )
            if row_errors:
                errors.extend(row_errors)
            else:
                batch.append((number, row, unit_cache[row.get("school_code") or ""]))
            if len(batch) >= 1000:
                flush()
            progress.advance(index)
        flush()
    finally:
        job.input_file.close()
    summary = _summary(RowCounts(created, updated, errors))
    summary["initial_password"] = password if created else ""
    return summary


def _check_teacher_row(actor, number, row, default_unit, unit_cache, seen_mobiles, seen_ids):
    errs: list[RowError] = []
    if not row["full_name"]:
        errs.append(RowError(number, _HEADER["full_name"], _("姓名不能为空，请填写真实姓名。")))
    try:
        validate_mobile(row["mobile"])
    except ValidationError as exc:
        errs.append(RowError(number, _HEADER["mobile"], exc.messages[0]))
    else:
        if row["mobile"] in seen_mobiles:
            errs.append(
                RowError(
                    number,
                    _HEADER["mobile"],
                    _("手机号与第 %(r)s 行重复；同一教师只需填写一行。")
                    % {"r": seen_mobiles[row["mobile"]]},
                )
            )
        else:
            seen_mobiles[row["mobile"]] = number
    if row.get("id_card"):
        row["id_card"] = normalize_id_card(row["id_card"])
        try:
            validate_id_card(row["id_card"])
        except ValidationError as exc:
            errs.append(RowError(number, _HEADER["id_card"], exc.messages[0]))
        else:
            if row["id_card"] in seen_ids:
                errs.append(
                    RowError(
                        number,
                        _HEADER["id_card"],
                        _("身份证号与第 %(r)s 行重复。") % {"r": seen_ids[row["id_card"]]},
                    )
                )
            else:
                seen_ids[row["id_card"]] = number
    title = row.get("title", "")
    if title and title not in _TITLE_BY_LABEL:
        errs.append(
            RowError(
                number,
                _HEADER["title"],
                _("称号“%(v)s”无效，应为：%(allowed)s，或留空。")
                % {"v": title, "allowed": "、".join(_TITLE_BY_LABEL)},
            )
        )
    code = row.get("school_code") or ""
    if code not in unit_cache:
        unit = default_unit if not code else Unit.objects.filter(code=code).first()
        if unit is not None and (
            unit.kind not in (UnitKind.SCHOOL, UnitKind.TEACHING_POINT)
            or (actor.person is not None and not rules.covers(actor.person, unit))
            or not unit.is_active
        ):
            unit = None
        unit_cache[code] = unit
    if unit_cache[code] is None:
        errs.append(
            RowError(
                number,
                _HEADER["school_code"],
                _("学校代码 %(v)s 不存在、已停用或不在您的管理范围内，请核对。")
                % {"v": code or _("（空）")},
            )
        )
    return errs


def _write_teacher_batch(actor: Actor, batch, password_hash: str):
    """Write one checked batch; rows clashing with existing accounts are reported."""
    errors: list[RowError] = []
    if not batch:
        return 0, 0, errors
    mobiles = [row["mobile"] for _n, row, _u in batch]
    id_cards = [row["id_card"] for _n, row, _u in batch if row.get("id_card")]
    by_mobile = {
        p.mobile: p for p in Person.objects.filter(mobile__in=mobiles).select_related("unit")
    }
    # Numbers are encrypted: match them through their keyed hash, report by plaintext.
    hashes = {keyed_hash(number): number for number in id_cards}
    id_owner = {
        hashes[digest]: pk
        for digest, pk in Person.objects.filter(id_card_hash__in=list(hashes)).values_list(
            "id_card_hash", "pk"
        )
    }
    # Updating an existing account is managing it: every role it holds must be in scope.
    manageable = (
        None
        if actor.person is None
        else set(
            rules.people_manageable_by(actor.person)
            .filter(pk__in=[p.pk for p in by_mobile.values()])
            .values_list("pk", flat=True)
        )
    )
    new_people: list[Person] = []
    to_update: list[Person] = []
    for number, row, unit in batch:
        title = _TITLE_BY_LABEL.get(row.get("title", ""), "")
        existing = by_mobile.get(row["mobile"])
        if existing is not None:
            # Imported twice: same person (same name, in scope) is updated, never duplicated.
            if existing.full_name != row["full_name"] or (
                manageable is not None and existing.pk not in manageable
            ):
                errors.append(
                    RowError(
                        number,
                        _HEADER["mobile"],
                        _("手机号 %(v)s 已被其他账号（非本人或不在您的管理范围）使用，请核对。")
                        % {"v": row["mobile"]},
                    )
                )
                continue
            if row.get("id_card") and id_owner.get(row["id_card"], existing.pk) != existing.pk:
                errors.append(
                    RowError(number, _HEADER["id_card"], _("该身份证号已登记在其他账号上。"))
                )
                continue
            existing.title = title or existing.title
            existing.id_card = row.get("id_card") or existing.id_card
            existing.email = row.get("email") or existing.email
            to_update.append(existing)
            continue
        if row.get("id_card") and row["id_card"] in id_owner:
            errors.append(RowError(number, _HEADER["id_card"], _("该身份证号已登记在其他账号上。")))
            continue
        new_people.append(
            Person(
                username=row["mobile"],
                full_name=row["full_name"],
                mobile=row["mobile"],
                id_card=row.get("id_card") or None,
                email=row.get("email", ""),
                unit=unit,
                title=title,
                password=password_hash,
                must_change_password=True,
            )
        )
    with transaction.atomic():
        taken = set(
            Person.objects.filter(username__in=[p.username for p in new_people]).values_list(
                "username", flat=True
            )
        )
        new_people = [p for p in new_people if p.username not in taken]
        Person.objects.bulk_create(new_people, batch_size=1000)
        if not new_people or new_people[0].pk is None:  # backends without RETURNING ids
            new_people = list(Person.objects.filter(username__in=[p.username for p in new_people]))
        if to_update:
            Person.objects.bulk_update(
                to_update, ["title", "id_card", "id_card_hash", "email"], batch_size=1000
            )
        people = new_people + to_update
        existing_grants = set(
            RoleGrant.objects.filter(person__in=people, role=Role.TEACHER).values_list(
                "person_id", "unit_id"
            )
        )
        RoleGrant.objects.bulk_create(
            [
                RoleGrant(person=p, unit_id=p.unit_id, role=Role.TEACHER, granted_by=actor.person)
                for p in people
                if (p.pk, p.unit_id) not in existing_grants
            ],
            batch_size=1000,
        )
        created_ids = {p.pk for p in new_people}
        record_many(
            actor,
            AuditAction.IMPORT,
            [
                (
                    p,
                    p.unit,
                    {"full_name": p.full_name, "mobile": p.mobile, "created": p.pk in created_ids},
                )
                for p in people
            ],
        )
    return len(new_people), len(to_update), errors


def contact_of(unit: Unit, role: str) -> Contact | None:
    return next((c for c in unit.contacts.all() if c.role == role), None)
