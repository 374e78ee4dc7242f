"""Who publishes, takes down and sees the statistics of library lessons.

An award belongs to the unit that decided its entry (the awarding level): that unit's admins
and admins above publish it. A published lesson belongs to its publishing unit for taking it
down; its statistics are seen by the admins over the teacher's school and by the teacher.
Everyone, signed in or not, sees published lessons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from youke.orgs import rules as org_rules

if TYPE_CHECKING:
    from youke.library.models import LibraryLesson
    from youke.orgs.models import Person
    from youke.selection.models import Award


def awards_publishable_by(person: Person) -> QuerySet[Award]:
    from youke.selection.models import Award

    if not org_rules.is_unit_admin(person):
        return Award.objects.none()
    return org_rules.scoped(
        Award.objects.filter(revoked_at__isnull=True), person, "entry__unit__path"
    )


def can_publish(person: Person, award: Award) -> bool:
    return award.revoked_at is None and org_rules.covers(person, award.entry.unit)


def lessons_managed_by(person: Person) -> QuerySet[LibraryLesson]:
    """Lessons the person's units published, or whose school lies in their subtree."""
    from youke.library.models import LibraryLesson

    if not org_rules.is_unit_admin(person):
        return LibraryLesson.objects.none()
    return org_rules.scoped(LibraryLesson.objects.all(), person, "publishing_unit__path")


def can_unpublish(person: Person, lesson: LibraryLesson) -> bool:
    return org_rules.covers(person, lesson.publishing_unit)


def courses_managed_by(person: Person):
    """Library courses published by the person's admin subtrees (the registering bureau)."""
    from youke.library.models import LibraryCourse

    if not org_rules.is_unit_admin(person):
        return LibraryCourse.objects.none()
    return org_rules.scoped(LibraryCourse.objects.all(), person, "publishing_unit__path")


def can_manage_course(person: Person, course) -> bool:
    return org_rules.covers(person, course.publishing_unit)


def own_lessons(person: Person) -> QuerySet[LibraryLesson]:
    from youke.library.models import LibraryLesson

    if not person.is_authenticated:
        return LibraryLesson.objects.none()
    return LibraryLesson.objects.filter(teacher=person)


# --- comments, reports and the word list: the publishing level moderates ------------------------


def comments_moderated_by(person: Person):
    """Comments on lessons published by the person's admin subtrees."""
    from youke.library.models import LessonComment

    if not org_rules.is_unit_admin(person):
        return LessonComment.objects.none()
    return org_rules.scoped(LessonComment.objects.all(), person, "lesson__publishing_unit__path")


def reports_handled_by(person: Person):
    """Problem reports on lessons published by the person's admin subtrees."""
    from youke.library.models import ProblemReport

    if not org_rules.is_unit_admin(person):
        return ProblemReport.objects.none()
    return org_rules.scoped(ProblemReport.objects.all(), person, "lesson__publishing_unit__path")


def words_managed_by(person: Person):
    """Sensitive words of the person's admin subtrees."""
    from youke.library.models import SensitiveWord

    if not org_rules.is_unit_admin(person):
        return SensitiveWord.objects.none()
    return org_rules.scoped(SensitiveWord.objects.all(), person, "unit__path")
