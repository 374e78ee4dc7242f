"""`youke demo`: the demo province, its people and catalog, loaded once and only once."""

from __future__ import annotations

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.models import AuditEvent
from youke.manage.demo.names import NameBook
from youke.manage.demo.people import FIXED_USERNAMES, PeoplePlanner
from youke.manage.demo.province import plan_units
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Contact, ExpertProfile, Person, RoleGrant, Unit
from youke.orgs.validators import validate_id_card

ROLE_LABELS = (
    "平台管理员",
    "省级管理员",
    "市级管理员",
    "县级管理员",
    "学校管理员",
    "教师",
    "评审专家",
    "教研人员",
    "电教人员",
)


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, object]:
    return {
        "units": Counter(Unit.objects.values_list("kind", flat=True)),
        "people": Person.objects.count(),
        "grants": Counter(RoleGrant.objects.values_list("role", flat=True)),
        "contacts": Contact.objects.count(),
        "experts": ExpertProfile.objects.count(),
        "areas": ExpertProfile.areas.through.objects.count(),
        "catalog": Counter(CourseNode.objects.values_list("level", flat=True)),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """Build the demo once for the module (it takes seconds), rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_output(_demo_once, db) -> str:
    # `db` nests each test in a savepoint inside the module's transaction.
    return _demo_once


def test_demo_builds_the_province_and_catalog(demo_output) -> None:
    found = counts()
    units, grants, catalog = found["units"], found["grants"], found["catalog"]
    assert units[UnitKind.MINISTRY] == 1 and units[UnitKind.PROVINCE] == 1
    assert units[UnitKind.CITY] == 3 and units[UnitKind.COUNTY] == 9
    assert 70 <= units[UnitKind.SCHOOL] <= 90
    assert units[UnitKind.TEACHING_POINT] > 0
    assert 1800 <= grants[Role.TEACHER] <= 2200
    assert grants[Role.UNIT_ADMIN] == 1 + 3 + 9 + units[UnitKind.SCHOOL]
    assert grants[Role.RESEARCH] >= 9 + 3 and grants[Role.ELEARNING] >= 9 + 3
    assert 25 <= grants[Role.EXPERT] <= 40 and found["experts"] == grants[Role.EXPERT]
    assert catalog[NodeLevel.LESSON] >= 2500 and catalog[NodeLevel.STAGE] >= 3
    assert not ExpertProfile.objects.filter(areas=None).exists()

    for county in Unit.objects.filter(kind=UnitKind.COUNTY):
        schools = county.get_children()
        assert schools and all(s.kind == UnitKind.SCHOOL for s in schools)
        for school in schools:
            assert len(school.code) == 10 and school.code.startswith(county.code)
            assert school.area_type == county.area_type
        for point in Unit.objects.filter(
            kind=UnitKind.TEACHING_POINT, path__startswith=county.path
        ):
            assert len(point.code) == 10 and point.code.startswith(county.code)

    regions_and_schools = Unit.objects.exclude(kind=UnitKind.TEACHING_POINT)
    for unit in regions_and_schools.prefetch_related("contacts"):
        roles = {c.role for c in unit.contacts.all()}
        assert {"leader", "contact"} <= roles, unit
    for contact in Contact.objects.all():
        assert len(contact.mobile) == 11 and contact.mobile[:2] in ("13", "15", "18")

    lesson = CourseNode.objects.filter(level=NodeLevel.LESSON).order_by("path").first()
    assert len(lesson.code) == 12 and lesson.code.startswith(lesson.get_parent().code)

    event = AuditEvent.objects.get()
    assert event.action == "create" and event.object_repr == "示范省"
    assert event.after["schools"] == units[UnitKind.SCHOOL]


def test_demo_people_are_valid_and_can_log_in(demo_output) -> None:
    logins = Person.objects.filter(username__in=FIXED_USERNAMES)
    assert sorted(p.username for p in logins) == sorted(FIXED_USERNAMES)
    assert all(not p.must_change_password and p.is_active for p in logins)
    # Every demo account shares one Argon2 hash, so one check covers them all.
    assert len({p.password for p in logins}) == 1
    assert logins[0].check_password("youke2026")
    assert Person.objects.get(username="admin").is_platform_admin

    # The fixed logins nest: county ⊃ school ⊃ teacher; the teacher also reviews as an expert.
    county = Person.objects.get(username="county_admin").unit
    school = Person.objects.get(username="school_admin").unit
    teacher = Person.objects.get(username="teacher")
    assert school.path.startswith(county.path) and teacher.unit == school
    assert set(teacher.grants.values_list("role", flat=True)) == {Role.TEACHER, Role.EXPERT}
    assert teacher.expert_profile.areas.exists()

    mobiles = list(Person.objects.values_list("mobile", flat=True))
    assert None not in mobiles and len(mobiles) == len(set(mobiles))
    id_cards = Person.objects.exclude(id_card=None).select_related("unit")
    assert 0.3 < id_cards.count() / len(mobiles) < 0.5
    for person in id_cards:
        validate_id_card(person.id_card)
        assert person.id_card[:6] == person.unit.code[:6]
        assert "1965" <= person.id_card[6:10] <= "2000"

    # Teachers log in with their mobile.
    grant = RoleGrant.objects.filter(role=Role.TEACHER).select_related("person").last()
    assert grant.person.username == grant.person.mobile
    assert grant.person.unit == grant.unit


def test_demo_prints_the_logins(demo_output) -> None:
    for text in (*FIXED_USERNAMES, *ROLE_LABELS, "youke2026", "http://127.0.0.1:8000/"):
        assert text in demo_output


def test_demo_twice_changes_nothing(demo_output) -> None:
    before = counts()
    second = run_demo()
    assert counts() == before
    assert "已存在" in second and "teacher" in second  # skipped, but still shows the logins


def test_demo_flags_a_changed_password(demo_output) -> None:
    teacher = Person.objects.get(username="teacher")
    teacher.set_password("Changed-2026")
    teacher.save()
    lines = run_demo().splitlines()
    assert "（已修改）" in next(line for line in lines if line.startswith("teacher "))
    assert "youke2026" in next(line for line in lines if line.startswith("expert "))


def test_demo_plan_is_deterministic() -> None:
    def plan(seed: int):
        rng = random.Random(seed)
        units = plan_units(rng)
        people = PeoplePlanner(NameBook(rng), set()).plan(units)
        return [(u.code, u.name) for u in units.walk()], [
            (p.full_name, p.mobile, p.id_card) for p in people
        ]

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)
