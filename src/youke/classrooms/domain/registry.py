"""汇总备案: per receiving school, which required subjects its groups cover and which are missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from youke.classrooms.models import DeliveryGroup, ReceivingClassroom, Term
from youke.orgs.enums import UnitKind
from youke.orgs.models import Unit


@dataclass
class RegistryRow:
    school_id: int
    school_name: str
    school_kind: str
    groups: list[str]
    covered: list[str]
    missing: list[str]


def registry(unit: Unit, term: Term) -> list[RegistryRow]:
    """Every school and teaching point under ``unit``, receiving or not, in three queries.

    A school that receives nothing shows every required subject as missing: that is the
    list a county uses to plan new groups.
    """
    required = list(term.required_subjects)
    schools = list(
        Unit.objects.filter(
            path__under=unit.path,
            kind__in=(UnitKind.SCHOOL, UnitKind.TEACHING_POINT),
            is_active=True,
        )
        .order_by("path")
        .values_list("pk", "name", "kind")
    )
    covered: dict[int, set[str]] = defaultdict(set)
    groups: dict[int, list[str]] = defaultdict(list)
    rows = ReceivingClassroom.objects.filter(
        school__path__under=unit.path, group__term=term
    ).values_list("school_id", "group__name", "group__subjects")
    for school_id, group_name, subjects in rows:
        covered[school_id].update(subjects)
        if group_name not in groups[school_id]:
            groups[school_id].append(group_name)
    hosts = set(
        DeliveryGroup.objects.filter(term=term, host_school__path__under=unit.path).values_list(
            "host_school_id", flat=True
        )
    )
    kinds = dict(UnitKind.choices)
    result = []
    for pk, name, kind in schools:
        if pk in hosts and pk not in covered:
            continue  # host schools teach; they are not the ones lacking teachers
        have = covered.get(pk, set())
        result.append(
            RegistryRow(
                school_id=pk,
                school_name=name,
                school_kind=str(kinds[kind]),
                groups=groups.get(pk, []),
                covered=[s for s in required if s in have],
                missing=[s for s in required if s not in have],
            )
        )
    return result
