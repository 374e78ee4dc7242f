"""Who sees and acts on collections.

A task belongs to its issuing unit: admins of that unit and above see it with every return
(``tasks_issued_by``) and review the returns. A return belongs to its target unit: admins of
that unit and above see and fill it (``returns_to_fill``), and see the task it answers, but
never another unit's return to the same task. Drafts are seen by the issuing side only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from youke.collections.enums import TaskState
from youke.orgs import rules as org_rules

if TYPE_CHECKING:
    from youke.collections.models import CollectionReturn, CollectionTask
    from youke.orgs.models import Person


def tasks_issued_by(person: Person) -> QuerySet[CollectionTask]:
    """Tasks issued by units in the person's admin subtrees (drafts too)."""
    from youke.collections.models import CollectionTask

    if not org_rules.is_unit_admin(person):
        return CollectionTask.objects.none()
    return org_rules.scoped(CollectionTask.objects.all(), person, "issuing_unit__path")


def returns_to_fill(person: Person) -> QuerySet[CollectionReturn]:
    """Returns of units in the person's admin subtrees, for tasks that have been opened."""
    from youke.collections.models import CollectionReturn

    if not org_rules.is_unit_admin(person):
        return CollectionReturn.objects.none()
    return org_rules.scoped(
        CollectionReturn.objects.exclude(task__state=TaskState.DRAFT), person, "unit__path"
    )


def returns_received(person: Person) -> QuerySet[CollectionReturn]:
    """The "to fill" list: returns to fill for tasks issued from outside the person's
    subtrees (their own units' tasks are followed on the other list, not filled)."""
    paths = org_rules.admin_paths(person)
    if paths is None:
        return returns_to_fill(person).none()
    return returns_to_fill(person).exclude(org_rules.subtree_q(paths, "task__issuing_unit__path"))


def returns_visible_to(person: Person) -> QuerySet[CollectionReturn]:
    """Returns the person fills, plus every return of the tasks their units issued."""
    from youke.collections.models import CollectionReturn

    paths = org_rules.admin_paths(person)
    if paths is None:
        return CollectionReturn.objects.all()
    if not paths:
        return CollectionReturn.objects.none()
    issued = org_rules.subtree_q(paths, "task__issuing_unit__path")
    filled = org_rules.subtree_q(paths, "unit__path") & ~Q(task__state=TaskState.DRAFT)
    return CollectionReturn.objects.filter(issued | filled)


def tasks_visible_to(person: Person) -> QuerySet[CollectionTask]:
    """Tasks issued in the person's subtrees, and opened tasks sent to a unit there."""
    from youke.collections.models import CollectionReturn, CollectionTask

    paths = org_rules.admin_paths(person)
    if paths is None:
        return CollectionTask.objects.all()
    if not paths:
        return CollectionTask.objects.none()
    received = Exists(
        CollectionReturn.objects.filter(
            org_rules.subtree_q(paths, "unit__path"), task=OuterRef("pk")
        )
    )
    return CollectionTask.objects.filter(
        org_rules.subtree_q(paths, "issuing_unit__path") | (received & ~Q(state=TaskState.DRAFT))
    )


def can_manage_task(person: Person, task: CollectionTask) -> bool:
    """Open, close, remind, export and review: the issuing unit's admins (and above)."""
    return org_rules.covers(person, task.issuing_unit)


def can_fill(person: Person, collection_return: CollectionReturn) -> bool:
    return org_rules.covers(person, collection_return.unit)
