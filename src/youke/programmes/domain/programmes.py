"""Programmes: create one with its stages, keep its roster and its task areas.

Every write takes the acting person explicitly and checks that they manage the owner unit
(``rules.can_manage_programme``); every problem of the input is reported at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit
from youke.programmes import rules
from youke.programmes.enums import RosterRole
from youke.programmes.models import Programme, RosterMember, Stage, TaskArea


@dataclass(frozen=True)
class StageInput:
    name: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    description: str = ""


def _require_manager(actor: Actor, programme: Programme) -> None:
    if actor.person is None or not rules.can_manage_programme(actor.person, programme):
        raise PermissionDenied("programme")


def _check_dates(errors: dict, start, end, field: str = "end_date") -> None:
    if start and end and end < start:
        errors[field] = _("结束日期早于开始日期，请修改。")


@transaction.atomic
def create_programme(
    actor: Actor,
    *,
    owner_unit: Unit,
    name: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    description: str = "",
    doc_number: str = "",
    stages: list[StageInput] = (),
) -> Programme:
    if actor.person is None or not org_rules.covers(actor.person, owner_unit):
        raise PermissionDenied("unit")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("请填写行动计划的名称。")
    if not start_date or not end_date:
        errors["start_date"] = _("请填写行动计划的开始和结束日期。")
    _check_dates(errors, start_date, end_date)
    stages = [s for s in stages if s.name.strip() or s.start_date or s.end_date]
    for index, stage in enumerate(stages, start=1):
        if not stage.name.strip() or not stage.start_date or not stage.end_date:
            errors["stages"] = _("第 %(n)d 个阶段缺少名称或日期，请补全或清空该行。") % {"n": index}
        elif stage.end_date < stage.start_date:
            errors["stages"] = _("第 %(n)d 个阶段的结束日期早于开始日期，请修改。") % {"n": index}
        elif (
            start_date and end_date and (stage.start_date < start_date or stage.end_date > end_date)
        ):
            errors["stages"] = _(
                "第 %(n)d 个阶段超出了行动计划的起止日期（%(start)s 至 %(end)s），请修改。"
            ) % {"n": index, "start": start_date, "end": end_date}
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(
        owner_unit=owner_unit,
        name=name.strip(),
        doc_number=doc_number.strip(),
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
        created_by=actor.person,
    )
    Stage.objects.bulk_create(
        Stage(
            programme=programme,
            order=index,
            name=stage.name.strip(),
            start_date=stage.start_date,
            end_date=stage.end_date,
            description=stage.description.strip(),
        )
        for index, stage in enumerate(stages, start=1)
    )
    record(
        actor,
        AuditAction.CREATE,
        programme,
        unit=owner_unit,
        after={"name": programme.name, "stages": [s.name for s in stages]},
    )
    return programme


@transaction.atomic
def add_roster_member(
    actor: Actor,
    programme: Programme,
    *,
    role: str,
    name: str = "",
    person: Person | None = None,
    department: str = "",
    position: str = "",
    phone: str = "",
) -> RosterMember:
    _require_manager(actor, programme)
    errors: dict[str, str] = {}
    if role not in RosterRole.values:
        errors["role"] = _("请选择组长、副组长或成员。")
    if person is not None and not person.unit.path.startswith(programme.owner_unit.path):
        errors["person"] = _("只能关联牵头单位（%(unit)s）及其下级单位的人员。") % {
            "unit": programme.owner_unit.name
        }
    name = name.strip() or (person.full_name if person else "")
    if not name:
        errors["name"] = _("请填写成员姓名，或选择一名人员。")
    if errors:
        raise ValidationError(errors)
    member = RosterMember.objects.create(
        programme=programme,
        role=role,
        name=name,
        person=person,
        department=department.strip(),
        position=position.strip(),
        phone=phone.strip(),
    )
    record(
        actor,
        AuditAction.CREATE,
        member,
        unit=programme.owner_unit,
        after={"programme": programme.pk, "role": role, "name": name},
    )
    return member


@transaction.atomic
def remove_roster_member(actor: Actor, member: RosterMember) -> None:
    _require_manager(actor, member.programme)
    record(actor, AuditAction.DELETE, member, unit=member.programme.owner_unit)
    member.delete()


@transaction.atomic
def add_area(actor: Actor, programme: Programme, *, name: str) -> TaskArea:
    _require_manager(actor, programme)
    if not name.strip():
        raise ValidationError({"name": _("请填写任务领域的名称。")})
    # The programme row lock keeps two admins from taking the same number.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    last = TaskArea.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0
    area = TaskArea.objects.create(programme=programme, number=last + 1, name=name.strip())
    record(actor, AuditAction.CREATE, area, unit=programme.owner_unit, after={"name": area.name})
    return area
