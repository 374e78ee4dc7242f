"""Who sees which submissions.

Teachers see their own packages and those they co-author. A school's admins see every
package of their school (read-only). Higher levels see only what is recommended to them,
which the selection workflow adds; until then they see counts per unit
(``counts_visible_to``), never contents.
"""

from __future__ import annotations

from django.db.models import QuerySet

from youke.orgs import rules as org_rules
from youke.orgs.enums import Role, UnitKind

SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.TEACHING_POINT)


def _school_admin_paths(person) -> list[str]:
    return [
        grant.unit.path
        for grant in org_rules.active_grants(person)
        if grant.role == Role.UNIT_ADMIN and grant.unit.kind in SCHOOL_KINDS
    ]


def visible_submission_ids(person) -> QuerySet | None:
    """The ids the person may open, as one UNION of index-served id sets; None: every id.

    By teacher (``submission_teacher_recent``), by co-author (the co-author's person index)
    and by the units of the school-admin subtrees (path prefix, then ``submission_unit_campaign``).
    An OR of the three in one WHERE makes PostgreSQL scan every package and probe two hashed
    subplans per row; the UNION lets it read only the matching index entries.
    """
    from youke.orgs.models import Unit
    from youke.submissions.models import CoAuthor, Submission

    if person.is_platform_admin:
        return None
    # Branches of a UNION may not carry an ORDER BY: each clears the model's default one.
    branches = [
        Submission.objects.filter(teacher_id=person.pk).order_by().values("pk"),
        CoAuthor.objects.filter(person_id=person.pk).order_by().values("submission_id"),
    ]
    paths = _school_admin_paths(person)
    if paths:
        units = Unit.objects.filter(org_rules.subtree_q(paths)).values("pk")
        branches.append(Submission.objects.filter(unit_id__in=units).order_by().values("pk"))
    return branches[0].union(*branches[1:])


def submissions_visible_to(person) -> QuerySet:
    from youke.submissions.models import Submission

    if not person.is_authenticated:
        return Submission.objects.none()
    ids = visible_submission_ids(person)
    if ids is None:
        return Submission.objects.all()
    return Submission.objects.filter(pk__in=ids)


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
