"""Who sees and changes programmes and their tasks.

A programme is visible in its owner unit's subtree: to the admins of the owner and above
(who manage it) and to the admins of units below it (who carry out its tasks). A task is
visible to the programme's managers and to the admins of its responsible units (and of the
units above those), never to a sibling unit: ``tasks_visible_to`` is the queryset twin of
``can_view_task`` and is used by every list, count, export and API list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from youke.orgs import rules as org_rules

if TYPE_CHECKING:
    from youke.orgs.models import Person, Unit
    from youke.programmes.models import Programme, Task


def _above(paths: list[str]) -> set[str]:
    """Paths of the units strictly above any of ``paths``."""
    from youke.orgs.models import Unit

    step = Unit.steplen
    return {path[: n * step] for path in paths for n in range(1, len(path) // step)}


def programmes_visible_to(person: Person) -> QuerySet[Programme]:
    from youke.programmes.models import Programme

    paths = org_rules.admin_paths(person)
    if paths is None:
        return Programme.objects.all()
    if not paths:
        return Programme.objects.none()
    below = Q(owner_unit__path__in=_above(paths))
    return Programme.objects.filter(org_rules.subtree_q(paths, "owner_unit__path") | below)


def programmes_managed_by(person: Person) -> QuerySet[Programme]:
    from youke.programmes.models import Programme

    return org_rules.scoped(Programme.objects.all(), person, "owner_unit__path")


def can_manage_programme(person: Person, programme: Programme) -> bool:
    """Edit the programme, its roster and tasks, pause/resume tasks: the owner's admins."""
    return org_rules.covers(person, programme.owner_unit)


def tasks_visible_to(person: Person) -> QuerySet[Task]:
    from youke.programmes.models import Task, TaskUnit

    paths = org_rules.admin_paths(person)
    if paths is None:
        return Task.objects.all()
    if not paths:
        return Task.objects.none()
    mine = TaskUnit.objects.filter(org_rules.subtree_q(paths, "unit__path"), task=OuterRef("pk"))
    return Task.objects.filter(
        org_rules.subtree_q(paths, "programme__owner_unit__path") | Q(Exists(mine))
    )


def own_tasks(person: Person) -> QuerySet[Task]:
    """我的任务: tasks with a responsible unit in the person's admin subtrees."""
    from youke.programmes.models import Task, TaskUnit

    paths = org_rules.admin_paths(person)
    if paths is not None and not paths:
        return Task.objects.none()
    mine = TaskUnit.objects.filter(org_rules.subtree_q(paths, "unit__path"), task=OuterRef("pk"))
    return Task.objects.filter(Exists(mine))


def reporting_units(person: Person, task: Task) -> list[Unit]:
    """The task's responsible units the person administers (they report for these)."""
    return [unit for unit in task.units.all() if org_rules.covers(person, unit)]


def can_view_task(person: Person, task: Task) -> bool:
    return can_manage_programme(person, task.programme) or bool(reporting_units(person, task))


def can_report_on_task(person: Person, task: Task) -> bool:
    """Add progress notes and evidence, start and complete the task."""
    return can_view_task(person, task)
