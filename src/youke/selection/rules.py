"""Who sees and decides level entries.

An entry belongs to the unit that decides it at its level; admins of that unit or of any unit
above it see and decide it (above: only with an override after the deadline, see
``domain.entries``). Teachers never see entries: their simplified status comes from the
submission pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from youke.orgs import rules as org_rules

if TYPE_CHECKING:
    from youke.orgs.models import Person, Unit
    from youke.selection.models import LevelEntry


def entries_visible_to(person: Person) -> QuerySet[LevelEntry]:
    from youke.selection.models import LevelEntry

    if not org_rules.is_unit_admin(person):
        return LevelEntry.objects.none()
    return org_rules.scoped(LevelEntry.objects.all(), person, "unit__path")


def can_view_entry(person: Person, entry: LevelEntry) -> bool:
    return org_rules.is_unit_admin(person) and org_rules.covers(person, entry.unit)


def can_decide(person: Person, entry: LevelEntry) -> bool:
    return org_rules.covers(person, entry.unit)


def is_above(person: Person, unit: Unit) -> bool:
    """The person administers a unit strictly above ``unit`` (the level above, R8 overrides)."""
    return org_rules.can_restructure_unit(person, unit)


def can_allocate_quota(person: Person, unit: Unit) -> bool:
    """Quotas are allocated by the level above (R7), never by the unit to itself."""
    return is_above(person, unit)


def access_entry(person: Person, entry_id: int) -> LevelEntry:
    entry = (
        entries_visible_to(person)
        .select_related(
            "level__campaign",
            "unit",
            "submission__campaign",
            "submission__category",
            "submission__node",
            "submission__teacher",
            "submission__unit",
        )
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("entry")
    return entry


def submissions_above_school_visible_to(person: Person) -> QuerySet:
    """Packages an admin above school may open: those recommended out of their school.

    Contents stay with the school until it recommends them; from then on every admin whose
    subtree holds a level entry of the package (the county's, the city's …) sees it.
    """
    from youke.submissions.models import Submission
    from youke.submissions.rules import SCHOOL_KINDS

    if not org_rules.is_unit_admin(person):
        return Submission.objects.none()
    reached = entries_visible_to(person).exclude(unit__kind__in=SCHOOL_KINDS)
    return Submission.objects.filter(pk__in=reached.values("submission_id"))
