"""Who sees and changes 三个课堂 records.

Region staff (unit admins, research 教研 and e-learning 电教 roles on a county, city or
province) see everything registered in or touching their subtree. A school admin sees the
groups their school hosts or receives. Teachers see what they teach or assist. Every read
predicate has a queryset twin (``*_visible_to``); ``access.py`` turns "not yours" into 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from youke.orgs import rules as org_rules
from youke.orgs.enums import REGION_KINDS, Role

if TYPE_CHECKING:
    from youke.classrooms.models import (
        ClassSession,
        DeliveryGroup,
        DemoLesson,
        NetworkCourse,
        ReceivingClassroom,
    )
    from youke.orgs.models import Person, Unit

STAFF_ROLES = frozenset({Role.UNIT_ADMIN, Role.RESEARCH, Role.ELEARNING})


def role_paths(person: Person, roles: frozenset[str], *, regions_only=False) -> list[str] | None:
    """Paths of the person's grants in ``roles``; None means the whole tree (platform)."""
    if not person.is_authenticated or not person.is_active:
        return []
    if person.is_platform_admin:
        return None
    return sorted(
        g.unit.path
        for g in org_rules.active_grants(person)
        if g.role in roles and (not regions_only or g.unit.kind in REGION_KINDS)
    )


def _covers(paths: list[str] | None, unit: Unit) -> bool:
    return paths is None or any(unit.path.startswith(p) for p in paths)


def is_staff(person: Person) -> bool:
    paths = role_paths(person, STAFF_ROLES)
    return paths is None or bool(paths)


def is_region_staff(person: Person) -> bool:
    paths = role_paths(person, STAFF_ROLES, regions_only=True)
    return paths is None or bool(paths)


# --- 专递课堂 ---------------------------------------------------------------------------------


def groups_visible_to(person: Person) -> QuerySet[DeliveryGroup]:
    from youke.classrooms.models import DeliveryGroup, Period, ReceivingClassroom

    if not person.is_authenticated:
        return DeliveryGroup.objects.none()
    paths = role_paths(person, STAFF_ROLES)
    if paths is None:
        return DeliveryGroup.objects.all()
    classrooms = ReceivingClassroom.objects.filter(group=OuterRef("pk"))
    condition = Q(Exists(Period.objects.filter(group=OuterRef("pk"), host_teacher=person)))
    condition |= Q(Exists(classrooms.filter(assistant=person)))
    if paths:
        condition |= org_rules.subtree_q(paths, "unit__path")
        condition |= org_rules.subtree_q(paths, "host_school__path")
        condition |= Q(Exists(classrooms.filter(org_rules.subtree_q(paths, "school__path"))))
    return DeliveryGroup.objects.filter(condition)


def can_register_groups(person: Person, unit: Unit) -> bool:
    """County or city (or above) admins and e-learning staff register groups in their area."""
    if unit.kind not in REGION_KINDS:
        return False
    return _covers(role_paths(person, frozenset({Role.UNIT_ADMIN, Role.ELEARNING})), unit)


def can_edit_timetable(person: Person, group: DeliveryGroup) -> bool:
    """The registering bureau, or the host school's admin (the host school runs the course)."""
    if can_register_groups(person, group.unit):
        return True
    return _covers(role_paths(person, frozenset({Role.UNIT_ADMIN})), group.host_school)


def can_run_session(person: Person, session: ClassSession) -> bool:
    """The host teacher marks start and end; the host school's admin may do it for them."""
    if session.host_teacher_id == person.pk:
        return True
    return can_edit_timetable(person, session.group)


def can_record_attendance(person: Person, classroom: ReceivingClassroom) -> bool:
    if classroom.assistant_id == person.pk:
        return True
    paths = role_paths(person, frozenset({Role.UNIT_ADMIN}))
    return _covers(paths, classroom.school) or can_edit_timetable(person, classroom.group)


# --- 名师课堂 ---------------------------------------------------------------------------------


def can_register_masters(person: Person, unit: Unit) -> bool:
    if unit.kind not in REGION_KINDS:
        return False
    return _covers(role_paths(person, frozenset({Role.UNIT_ADMIN, Role.RESEARCH})), unit)


def masters_visible_to(person: Person):
    from youke.classrooms.models import MasterTeacher

    paths = role_paths(person, STAFF_ROLES)
    if paths is None:
        return MasterTeacher.objects.all()
    return MasterTeacher.objects.filter(
        org_rules.subtree_q(paths, "unit__path") | Q(person=person) if paths else Q(person=person)
    )


def _ancestor_paths(unit: Unit) -> list[str]:
    step = 4  # treebeard steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def lessons_visible_to(person: Person) -> QuerySet[DemoLesson]:
    """Lessons open to the person's unit (lesson unit at or above it), in staff scope, or own."""
    from youke.classrooms.models import DemoLesson

    if not person.is_authenticated:
        return DemoLesson.objects.none()
    paths = role_paths(person, STAFF_ROLES)
    if paths is None:
        return DemoLesson.objects.all()
    condition = Q(unit__path__in=_ancestor_paths(person.unit)) | Q(master__person=person)
    if paths:
        condition |= org_rules.subtree_q(paths, "unit__path")
    return DemoLesson.objects.filter(condition)


def can_manage_lesson(person: Person, lesson: DemoLesson) -> bool:
    """The master teacher, or research staff / admins over the lesson's unit."""
    if lesson.master.person_id == person.pk:
        return True
    return _covers(role_paths(person, frozenset({Role.UNIT_ADMIN, Role.RESEARCH})), lesson.unit)


# --- 网络集体备课 ------------------------------------------------------------------------------


def studio_participant(person: Person, studio) -> bool:
    """The studio's host, members and trainees take part in its 集体备课."""
    from youke.classrooms.models import StudioMember

    if not person.is_authenticated:
        return False
    if studio.host.person_id == person.pk:
        return True
    return StudioMember.objects.filter(studio=studio, person=person).exists()


def can_start_prep(person: Person, studio) -> bool:
    """The studio host or a member (not a trainee) shares a draft design."""
    from youke.classrooms.enums import StudioRole
    from youke.classrooms.models import StudioMember

    if studio.host.person_id == person.pk:
        return True
    return StudioMember.objects.filter(
        studio=studio, person=person, role=StudioRole.MEMBER
    ).exists()


def preps_visible_to(person: Person):
    """Sessions of studios the person takes part in; research staff and admins over the
    studio's unit read them too. Everyone else: 404."""
    from youke.classrooms.models import PrepSession, StudioMember

    if not person.is_authenticated:
        return PrepSession.objects.none()
    paths = role_paths(person, frozenset({Role.UNIT_ADMIN, Role.RESEARCH}))
    if paths is None:
        return PrepSession.objects.all()
    condition = Q(studio__host__person=person) | Q(
        Exists(StudioMember.objects.filter(studio=OuterRef("studio"), person=person))
    )
    if paths:
        condition |= org_rules.subtree_q(paths, "studio__unit__path")
    return PrepSession.objects.filter(condition)


# --- 名校网络课堂 ------------------------------------------------------------------------------


def can_register_pilots(person: Person, unit: Unit) -> bool:
    return can_register_groups(person, unit) or can_register_masters(person, unit)


def courses_visible_to(person: Person) -> QuerySet[NetworkCourse]:
    from youke.classrooms.models import NetworkCourse

    paths = role_paths(person, STAFF_ROLES)
    if paths is None:
        return NetworkCourse.objects.all()
    if not paths:
        return NetworkCourse.objects.none()
    return NetworkCourse.objects.filter(
        org_rules.subtree_q(paths, "pilot__school__path")
        | org_rules.subtree_q(paths, "pilot__registered_by__path")
    )


def can_write_courses(person: Person, pilot) -> bool:
    """The pilot school's admin (or an admin above it) writes its courses and plans."""
    return _covers(role_paths(person, frozenset({Role.UNIT_ADMIN})), pilot.school)


def can_edit_course(person: Person, course: NetworkCourse) -> bool:
    return can_write_courses(person, course.pilot)


def review_department(person: Person, course: NetworkCourse) -> str | None:
    """The department the person reviews for at the registering bureau, if any."""
    from youke.classrooms.enums import Department

    unit = course.pilot.registered_by
    for role, department in (
        (Role.RESEARCH, Department.RESEARCH),
        (Role.ELEARNING, Department.ELEARNING),
    ):
        paths = role_paths(person, frozenset({role}), regions_only=True)
        if paths and _covers(paths, unit):
            return department
    return None
