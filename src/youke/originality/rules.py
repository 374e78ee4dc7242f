"""Who may see, clear, re-check and explain a package's originality result.

Seeing follows the package's files (``selection.domain.viewing.viewing_mode``: author,
school, admins whose inbox shows it, assigned experts — blind or not); clearing and
re-checking need an admin over one of the package's level entries.
"""

from __future__ import annotations

from youke.orgs import rules as org_rules
from youke.selection import rules as selection_rules
from youke.selection.domain.viewing import viewing_mode
from youke.submissions.models import CoAuthor, Submission


def view_mode(person, submission_id: int) -> str | None:
    return viewing_mode(person, submission_id)


def is_author(person, submission_id: int) -> bool:
    if person is None or not person.is_authenticated:
        return False
    return (
        Submission.objects.filter(pk=submission_id, teacher=person).exists()
        or CoAuthor.objects.filter(submission_id=submission_id, person=person).exists()
    )


def is_admin_over(person, submission_id: int) -> bool:
    if person is None or not person.is_authenticated:
        return False
    if getattr(person, "is_platform_admin", False):
        return Submission.objects.filter(pk=submission_id).exists()
    if not org_rules.is_unit_admin(person):
        return False
    return selection_rules.entries_visible_to(person).filter(submission_id=submission_id).exists()


def can_clear(person, submission_id: int) -> bool:
    return is_admin_over(person, submission_id)


def can_recheck(person, submission_id: int) -> bool:
    return is_admin_over(person, submission_id)
