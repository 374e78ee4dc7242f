"""Training-hour ledger, totals and honours record (issue 9 items 8–10) through the API.

Scoping follows the pages: the ledger list is the caller's admin subtree plus their own
lines; manual credits, totals and another teacher's honours record need the teacher's or the
unit's unit in the caller's subtree, else 404; a teacher reads their own record.
"""

from django.http import Http404
from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_training import (
    CreditFilters,
    CreditIn,
    CreditOut,
    HonoursOut,
    TotalsFilters,
    TotalsOut,
)
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.domain.units import PermissionDenied
from youke.training import rules
from youke.training.access import access_teacher
from youke.training.domain import ledger, totals
from youke.training.domain.honours import honours_record

router = Router(tags=["training"])
CREDIT_RELATED = ("teacher", "unit")


def _unit_total(row) -> dict:
    unit = row.unit
    return {
        "unit": {"id": unit.pk, "name": unit.name, "code": unit.code} if unit else None,
        "hours": row.hours,
        "credits": row.credits,
        "teachers": row.teachers,
    }


def _year(total) -> dict:
    hours = total.hours
    return {
        "year": total.year,
        "showcase": hours.showcase,
        "excellent": hours.excellent,
        "other": hours.other,
        "total": hours.total,
    }


@router.get("/training/credits", response=list[CreditOut], operation_id="list_training_credits")
@paginated
def list_training_credits(request, filters: Query[CreditFilters]):
    """Ledger lines booked at the caller's units and below, and the caller's own, newest
    first; each names its source, and a reversal points at the line it reverses. A unit
    outside the caller's scope gives an empty list."""
    person = viewer(request)
    credits = rules.credits_readable_by(person).select_related(*CREDIT_RELATED)
    if filters.teacher is not None:
        credits = credits.filter(teacher_id=filters.teacher)
    if filters.unit is not None:
        # Another unit's id filters to nothing, like any filter value with no rows.
        unit = org_rules.units_visible_to(person).filter(pk=filters.unit).first()
        credits = credits.filter(unit__path__under=unit.path) if unit else credits.none()
    if filters.year is not None:
        credits = credits.filter(year=filters.year)
    return credits.order_by("-created_at", "-id")


@router.post(
    "/training/credits",
    response={201: CreditOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="add_training_credit",
)
def add_training_credit(request, payload: CreditIn):
    """Record hours by hand (manual, positive) or correct them (correction, either sign) for
    a teacher in the caller's subtree; the reason is required and audited."""
    person = viewer(request)
    teacher = access_teacher(person, payload.teacher)
    if not rules.can_credit(person, teacher):
        raise Http404("teacher")
    try:
        credit = ledger.add_manual_credit(
            actor(request),
            teacher,
            hours=payload.hours,
            year=payload.year,
            source=payload.source,
            reason=payload.reason,
            kind=payload.kind,
        )
    except PermissionDenied as exc:
        raise Http404("teacher") from exc
    return Status(
        201, rules.credits_readable_by(person).select_related(*CREDIT_RELATED).get(pk=credit.pk)
    )


@router.get(
    "/training/totals",
    response={200: TotalsOut, 404: ErrorOut},
    operation_id="get_training_totals",
)
def get_training_totals(request, filters: Query[TotalsFilters]):
    """The unit's hours and one row per child unit (drill down by asking for a child)."""
    person = viewer(request)
    unit = access_unit(person, filters.unit)
    if not org_rules.covers(person, unit):
        raise Http404("unit")
    total, rows = totals.unit_totals(unit, filters.year)
    return {
        "unit": unit,
        "year": filters.year,
        "total": _unit_total(total),
        "children": [_unit_total(row) for row in rows],
    }


@router.get(
    "/training/teachers/{person_id}/honours",
    response={200: HonoursOut, 404: ErrorOut},
    operation_id="get_honours_record",
)
def get_honours_record(request, person_id: int):
    """A teacher's awards, title, certificates and hours across years (the caller's own, or
    a teacher whose unit the caller administers)."""
    teacher = access_teacher(viewer(request), person_id)
    record = honours_record(teacher)
    return {
        "teacher_id": teacher.pk,
        "teacher_name": teacher.full_name,
        "unit": teacher.unit,
        "honour_title": record.honour_title,
        "total_hours": record.total_hours,
        "awards": record.awards,
        "certificates": record.certificates,
        "hours_by_year": [_year(total) for total in record.years],
        "credits": record.credits,
    }
