"""The only writer of the maintained aggregates (``UnitFigure``, ``SubjectFigure``,
``FigureHistory``).

Definitions, over youke's own data (nothing is typed in):

- a *teacher* is an active person holding at least one teacher role, counted once however
  many roles they hold, at their own unit (``Person.unit``) so a subtree's figure is the sum
  of its units' figures;
- a teacher has *showcased* once they have a submitted package in the campaign;
- a *lesson* is a submitted package, counted at the school it was started in;
- an *excellent* lesson is a submitted package with an award that is not revoked;
- an *on-time* lesson was submitted by the first level's deadline (the teachers' one);
- *reviews* are expert assignments on the unit's packages, *done* once submitted (review
  submissions send no signal: the scheduled refresh brings them in).

``refresh_campaign`` recomputes everything of one campaign in a handful of grouped queries
(beat, and the first time); ``refresh_units`` recomputes the subtree of a few changed units
(their school, after a submission or an award) and adds the difference to every ancestor,
so the dashboard never waits for the schedule. Both hold the campaign row's lock so a delta
never lands between a full refresh's read and its write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils import timezone

from youke.campaigns.models import Campaign, Level
from youke.catalog.models import CourseNode
from youke.monitoring.models import FigureHistory, SubjectFigure, UnitFigure
from youke.orgs.enums import REGION_KINDS, AreaType, Role
from youke.orgs.models import Person, RoleGrant, Unit
from youke.selection.enums import AssignmentState
from youke.selection.models import Assignment, Award
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

STEP = Unit.steplen
COUNTERS = ("teachers", "teachers_urban", "teachers_county", "showcased", "lessons")
COUNTERS += ("excellent", "on_time", "reviews", "reviews_done")


@dataclass
class Counts:
    teachers: int = 0
    teachers_urban: int = 0
    teachers_county: int = 0
    showcased: int = 0
    lessons: int = 0
    excellent: int = 0
    on_time: int = 0
    reviews: int = 0
    reviews_done: int = 0

    def add(self, other: Counts) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def minus(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- the source queries, each grouped by unit ------------------------------------------------


def teachers(queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """Active people with at least one teacher role (one row each, whatever their roles)."""
    base = Person.objects.all() if queryset is None else queryset
    return base.filter(
        Exists(RoleGrant.objects.filter(person_id=OuterRef("pk"), role=Role.TEACHER)),
        is_active=True,
    )


def lessons(campaign: Campaign) -> QuerySet[Submission]:
    return Submission.objects.filter(campaign=campaign, state=SubmissionState.SUBMITTED)


def teachers_deadline(campaign: Campaign):
    return (
        Level.objects.filter(campaign=campaign).order_by("order").values_list("deadline", flat=True)
    ).first()


def _grouped(queryset, field: str = "unit_id") -> dict[int, int]:
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())


def _subtree_ids(under: str) -> QuerySet:
    return Unit.objects.filter(path__under=under).values("pk")


def own_counts(campaign: Campaign, under: str) -> dict[int, dict[str, int]]:
    """Counts attributed to each unit itself (not its subtree), for units under ``under``."""
    # ``unit_id IN (subtree)`` rather than a join on the unit's path: the planner then seeks
    # the (unit, campaign) index per unit instead of scanning the campaign's packages.
    units = _subtree_ids(under)
    people = teachers(Person.objects.filter(unit_id__in=units))
    submitted = Submission.objects.filter(
        campaign=campaign, state=SubmissionState.SUBMITTED, teacher_id=OuterRef("pk")
    )
    packages = lessons(campaign).filter(unit_id__in=units)
    awarded = Award.objects.filter(entry__submission_id=OuterRef("pk"), revoked_at__isnull=True)
    columns = {
        "teachers": _grouped(people),
        "showcased": _grouped(people.filter(Exists(submitted))),
        "lessons": _grouped(packages),
        "excellent": _grouped(packages.filter(Exists(awarded))),
    }
    deadline = teachers_deadline(campaign)
    columns["on_time"] = (
        _grouped(packages.filter(submitted_at__lte=deadline)) if deadline is not None else {}
    )
    assignments = Assignment.objects.filter(
        round__campaign=campaign, entry__submission__unit_id__in=units
    )
    columns["reviews"] = _grouped(assignments, "entry__submission__unit_id")
    columns["reviews_done"] = _grouped(
        assignments.filter(state=AssignmentState.SUBMITTED), "entry__submission__unit_id"
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for name, column in columns.items():
        for unit_id, n in column.items():
            result[unit_id][name] = n
    return result


def own_subject_counts(campaign: Campaign, under: str) -> dict[int, dict[tuple, int]]:
    """Submitted lessons per unit and (stage id, subject id), from the node's path."""
    rows = (
        lessons(campaign)
        .filter(unit_id__in=_subtree_ids(under))
        .values_list("unit_id", "node__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = list(rows)
    prefixes = {path[: 2 * CourseNode.steplen] for _, path, _ in rows}
    prefixes |= {path[: CourseNode.steplen] for _, path, _ in rows}
    ids = dict(CourseNode.objects.filter(path__in=prefixes).values_list("path", "pk"))
    result: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, path, n in rows:
        stage = ids.get(path[: CourseNode.steplen])
        if stage is None:
            continue
        subject = (
            ids.get(path[: 2 * CourseNode.steplen]) if len(path) > CourseNode.steplen else None
        )
        result[unit_id][(stage, subject)] += n
    return result


# --- rolling own counts up the tree ----------------------------------------------------------


def _units_of(campaign: Campaign) -> list[tuple[int, str, int, str, str]]:
    return list(
        Unit.objects.filter(path__under=campaign.owner_unit.path, is_active=True)
        .order_by("path")
        .values_list("pk", "path", "depth", "area_type", "kind")
    )


def _own_as_counts(unit_area: str, own: dict[str, int]) -> Counts:
    n = own.get("teachers", 0)
    return Counts(
        teachers=n,
        teachers_urban=n if unit_area == AreaType.URBAN else 0,
        teachers_county=n if unit_area == AreaType.COUNTY else 0,
        showcased=own.get("showcased", 0),
        lessons=own.get("lessons", 0),
        excellent=own.get("excellent", 0),
        on_time=own.get("on_time", 0),
        reviews=own.get("reviews", 0),
        reviews_done=own.get("reviews_done", 0),
    )


def rollup(units, own: dict[int, dict[str, int]], top_depth: int) -> dict[str, Counts]:
    """Subtree totals by path: each unit's own counts added to itself and its ancestors."""
    totals: dict[str, Counts] = {path: Counts() for _, path, *_ in units}
    for unit_id, path, depth, area, _ in units:
        mine = own.get(unit_id)
        if not mine:
            continue
        counts = _own_as_counts(area, mine)
        for level in range(top_depth, depth + 1):
            totals[path[: level * STEP]].add(counts)
    return totals


@transaction.atomic
def refresh_campaign(campaign: Campaign) -> int:
    """Recompute every aggregate of the campaign; returns the number of unit rows."""
    from youke.monitoring.domain.registry import ensure_defaults

    ensure_defaults()  # figures exist only with the registry they are judged against
    # The campaign row is the refreshers' mutex. NO KEY: a plain FOR UPDATE would also block
    # every foreign-key check on the campaign (a recommendation inserting an entry) and
    # deadlock with it on PostgreSQL.
    Campaign.objects.select_for_update(no_key=True).filter(pk=campaign.pk).first()
    now = timezone.now()
    owner = campaign.owner_unit
    units = _units_of(campaign)
    totals = rollup(units, own_counts(campaign, owner.path), owner.depth)
    UnitFigure.objects.filter(campaign=campaign).delete()
    UnitFigure.objects.bulk_create(
        [
            UnitFigure(
                campaign=campaign,
                unit_id=unit_id,
                path=path,
                depth=depth,
                refreshed_at=now,
                **totals[path].as_dict(),
            )
            for unit_id, path, depth, _, _ in units
        ],
        batch_size=2000,
    )
    subject_own = own_subject_counts(campaign, owner.path)
    subject_totals: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, path, depth, _, _ in units:
        for key, n in subject_own.get(unit_id, {}).items():
            for level in range(owner.depth, depth + 1):
                subject_totals[path[: level * STEP]][key] += n
    ids = {path: unit_id for unit_id, path, *_ in units}
    SubjectFigure.objects.filter(campaign=campaign).delete()
    SubjectFigure.objects.bulk_create(
        [
            SubjectFigure(
                campaign=campaign, unit_id=ids[path], stage_id=stage, subject_id=subject, lessons=n
            )
            for path, by_key in subject_totals.items()
            for (stage, subject), n in by_key.items()
        ],
        batch_size=2000,
    )
    _write_history(campaign, units, totals, now)
    return len(units)


def _write_history(campaign, units, totals: dict[str, Counts], now) -> None:
    day = timezone.localdate(now)
    FigureHistory.objects.filter(campaign=campaign, day=day).delete()
    FigureHistory.objects.bulk_create(
        [
            FigureHistory(
                campaign=campaign,
                unit_id=unit_id,
                day=day,
                teachers=totals[path].teachers,
                showcased=totals[path].showcased,
                lessons=totals[path].lessons,
                excellent=totals[path].excellent,
            )
            for unit_id, path, _, _, kind in units
            if kind in REGION_KINDS
        ],
        batch_size=2000,
    )


# --- incremental ------------------------------------------------------------------------------


def campaigns_with_figures() -> QuerySet[Campaign]:
    return Campaign.objects.filter(pk__in=UnitFigure.objects.values("campaign_id").distinct())


@transaction.atomic
def refresh_units(campaign: Campaign, unit_ids: Iterable[int]) -> None:
    """Recompute the subtrees of ``unit_ids`` and add the differences to their ancestors.

    Deepest first: a changed unit inside another changed unit is settled before its
    ancestor is compared with what is stored.
    """
    # The refreshers' mutex without blocking foreign-key checks (see refresh_campaign).
    Campaign.objects.select_for_update(no_key=True).filter(pk=campaign.pk).first()
    if not UnitFigure.objects.filter(campaign=campaign).exists():
        transaction.on_commit(lambda: refresh_campaign(campaign))
        return
    owner = campaign.owner_unit
    units = Unit.objects.filter(pk__in=set(unit_ids), path__under=owner.path).order_by("-depth")
    for unit in units:
        _apply_delta(campaign, unit, owner.depth)


def _apply_delta(campaign: Campaign, unit: Unit, top_depth: int) -> None:
    now = timezone.now()
    subtree = list(
        Unit.objects.filter(path__under=unit.path, is_active=True)
        .order_by("path")
        .values_list("pk", "path", "depth", "area_type", "kind")
    )
    fresh = rollup(subtree, own_counts(campaign, unit.path), unit.depth).get(unit.path, Counts())
    stored_row = UnitFigure.objects.filter(campaign=campaign, unit=unit).first()
    if stored_row is None:
        return  # a unit added since the last full refresh: the schedule brings it in
    stored = Counts(**{name: getattr(stored_row, name) for name in COUNTERS})
    delta = fresh.minus(stored)
    chain = [unit.path[: level * STEP] for level in range(top_depth, unit.depth + 1)]
    changes = {name: F(name) + n for name, n in delta.as_dict().items() if n}
    UnitFigure.objects.filter(campaign=campaign, path__in=chain).update(refreshed_at=now, **changes)
    _apply_subject_delta(campaign, unit, chain, subtree)


def _apply_subject_delta(campaign: Campaign, unit: Unit, chain: list[str], subtree) -> None:
    fresh: dict[tuple, int] = defaultdict(int)
    for by_key in own_subject_counts(campaign, unit.path).values():
        for key, n in by_key.items():
            fresh[key] += n
    stored = {
        (stage, subject): n
        for stage, subject, n in SubjectFigure.objects.filter(
            campaign=campaign, unit=unit
        ).values_list("stage_id", "subject_id", "lessons")
    }
    chain_ids = dict(Unit.objects.filter(path__in=chain).values_list("path", "pk"))
    for key in set(fresh) | set(stored):
        n = fresh.get(key, 0) - stored.get(key, 0)
        if not n:
            continue
        stage, subject = key
        for path in chain:
            rows = SubjectFigure.objects.filter(
                campaign=campaign, unit_id=chain_ids[path], stage_id=stage, subject_id=subject
            )
            if not rows.update(lessons=F("lessons") + n):
                SubjectFigure.objects.create(
                    campaign=campaign,
                    unit_id=chain_ids[path],
                    stage_id=stage,
                    subject_id=subject,
                    lessons=max(n, 0),
                )


def refresh_running_campaigns() -> int:
    """Full refresh of every published campaign and every campaign that already has figures."""
    from youke.campaigns.enums import CampaignState

    campaigns = Campaign.objects.filter(state=CampaignState.PUBLISHED) | campaigns_with_figures()
    count = 0
    for campaign in campaigns.distinct().select_related("owner_unit"):
        refresh_campaign(campaign)
        count += 1
    return count
