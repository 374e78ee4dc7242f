"""factory_boy factories for the foundation models; trees are built through treebeard."""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth.hashers import make_password

from youke.catalog.enums import NodeLevel, child_level
from youke.catalog.models import CourseNode
from youke.orgs.enums import AreaType, Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit
from youke.orgs.validators import id_card_check_digit

PASSWORD = "Youke-Test-2026"
_PASSWORD_HASH: list[str] = []
_codes = itertools.count(1)
_mobiles = itertools.count(13800000000)


def password_hash() -> str:
    if not _PASSWORD_HASH:  # Argon2 once per test process, not once per person
        _PASSWORD_HASH.append(make_password(PASSWORD))
    return _PASSWORD_HASH[0]


def next_code(kind: str) -> str:
    n = next(_codes)
    return f"{n:06d}" if kind in ("ministry", "province", "city", "county") else f"{n:010d}"


def valid_id_card(serial: int) -> str:
    first17 = f"110101198001{serial % 10**5:05d}"
    return first17 + id_card_check_digit(first17)


def make_unit(
    parent: Unit | None = None, kind: str | None = None, name: str | None = None, **fields
) -> Unit:
    order = list(UnitKind.values)
    if kind is None:
        kind = UnitKind.MINISTRY if parent is None else order[order.index(parent.kind) + 1]
    fields.setdefault("code", next_code(kind))
    fields.setdefault(
        "area_type", AreaType.URBAN if kind in ("county", "school", "teaching_point") else ""
    )
    fields["name"] = name or f"{UnitKind(kind).label}{fields['code'][-4:]}"
    if parent is None:
        return Unit.add_root(kind=kind, **fields)
    parent.refresh_from_db()
    return parent.add_child(kind=kind, **fields)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试{n}")
    mobile = factory.LazyFunction(lambda: str(next(_mobiles)))
    password = factory.LazyFunction(password_hash)
    must_change_password = False


def make_person(unit: Unit, *roles: str, on: Unit | None = None, **fields) -> Person:
    """A person in ``unit`` holding ``roles`` on ``on`` (default: their own unit)."""
    person = PersonFactory(unit=unit, **fields)
    for role in roles:
        RoleGrant.objects.create(person=person, unit=on or unit, role=role)
    return person


def make_admin(unit: Unit, **fields) -> Person:
    return make_person(unit, Role.UNIT_ADMIN, **fields)


def make_catalog_path(
    names=("小学", "数学", "人教版", "三年级上册", "第一单元 时、分、秒", "秒的认识"),
):
    """A chain of catalog nodes from stage to lesson; returns the nodes."""
    nodes = []
    level = NodeLevel.STAGE
    parent = None
    for name in names:
        code = f"T{next(_codes):08d}"
        if parent is None:
            node = CourseNode.add_root(code=code, name=name, level=level)
        else:
            parent.refresh_from_db()
            node = parent.add_child(code=code, name=name, level=level)
        nodes.append(node)
        parent = node
        level = child_level(level)
    return nodes
