"""Who sees training-hour records and honours.

A credit belongs to the unit where it was earned: admins of that unit and above see it
(``credits_visible_to``). A teacher sees their own ledger and honours record; an admin sees
those of a teacher whose home unit is in their subtree (``teachers_visible_to``), and only
that admin may add manual credits for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from youke.orgs import rules as org_rules

if TYPE_CHECKING:
    from youke.orgs.models import Person
    from youke.training.models import TrainingCredit


def credits_visible_to(person: Person) -> QuerySet[TrainingCredit]:
    from youke.training.models import TrainingCredit

    if not org_rules.is_unit_admin(person):
        return TrainingCredit.objects.none()
    return org_rules.scoped(TrainingCredit.objects.all(), person, "unit__path")


def credits_readable_by(person: Person) -> QuerySet[TrainingCredit]:
    """The API list: the admin scope plus the person's own lines."""
    from django.db.models import Q

    from youke.training.models import TrainingCredit

    if not person.is_authenticated:
        return TrainingCredit.objects.none()
    return org_rules.scoped(
        TrainingCredit.objects.all(), person, "unit__path", own=Q(teacher_id=person.pk)
    )


def own_credits(person: Person) -> QuerySet[TrainingCredit]:
    from youke.training.models import TrainingCredit

    if not person.is_authenticated:
        return TrainingCredit.objects.none()
    return TrainingCredit.objects.filter(teacher=person)


def teachers_visible_to(person: Person) -> QuerySet[Person]:
    from youke.orgs.models import Person as PersonModel

    if not org_rules.is_unit_admin(person):
        return PersonModel.objects.none()
    return org_rules.scoped(PersonModel.objects.all(), person, "unit__path")


def can_view_teacher(viewer: Person, teacher: Person) -> bool:
    return viewer.pk == teacher.pk or org_rules.covers(viewer, teacher.unit)


def can_credit(viewer: Person, teacher: Person) -> bool:
    return org_rules.covers(viewer, teacher.unit)
