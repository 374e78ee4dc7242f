"""Who sees which submissions.

Teachers see their own packages and those they co-author. A school's admins see every
package of their school (read-only). Higher levels see only what is recommended to them,
which the selection workflow adds; until then they see counts per unit
(``counts_visible_to``), never contents.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from youke.orgs import rules as org_rules
from youke.orgs.enums import Role, UnitKind

SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.TEACHING_POINT)


def _school_admin_paths(person) -> list[str]:
    from youke.orgs.models import RoleGrant

    return list(
        RoleGrant.objects.filter(
            person=person, role=Role.UNIT_ADMIN, unit__kind__in=SCHOOL_KINDS, unit__is_active=True
        ).values_list("unit__path", flat=True)
    )


def submissions_visible_to(person) -> QuerySet:
    from youke.orgs.models import Unit
    from youke.submissions.models import CoAuthor, Submission

    if not person.is_authenticated:
        return Submission.objects.none()
    if person.is_platform_admin:
        return Submission.objects.all()
    # Every branch is a column of submissions with its own index (teacher, id, unit), so the
    # database can answer the OR by index union instead of scanning every package.
    condition = Q(teacher=person) | Q(
        pk__in=CoAuthor.objects.filter(person=person).values("submission_id")
    )
    paths = _school_admin_paths(person)
    if paths:
        units = Unit.objects.filter(org_rules.subtree_q(paths)).values("pk")
        condition |= Q(unit_id__in=units)
    return Submission.objects.filter(condition)


def can_view_submission(person, submission) -> bool:
    if not person.is_authenticated:
        return False
    if person.is_platform_admin or submission.teacher_id == person.pk:
        return True
    if submission.coauthors.filter(person=person).exists():
        return True
    return any(submission.unit.path.startswith(p) for p in _school_admin_paths(person))


def can_edit_submission(person, submission) -> bool:
    """Only the author edits, and only until the school has acted."""
    return submission.teacher_id == person.pk and submission.school_acted_at is None


def counts_visible_to(person) -> QuerySet:
    """Submissions an admin may count (not open) per unit: their whole admin subtree."""
    from youke.submissions.models import Submission

    if not org_rules.is_unit_admin(person):
        return Submission.objects.none()
    return org_rules.scoped(Submission.objects.all(), person, "unit__path")


def is_teacher(person) -> bool:
    return person.is_authenticated and person.grants.filter(role=Role.TEACHER).exists()
