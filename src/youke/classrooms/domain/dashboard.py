"""三个课堂 figures for a region's dashboard: the current term's R16 duty and live classes."""

from __future__ import annotations

from django.utils import timezone

from youke.classrooms.domain.duty import duty_rows
from youke.classrooms.models import ClassSession, DeliveryGroup, Term
from youke.orgs.enums import REGION_KINDS


def region_summary(unit) -> dict | None:
    """None for schools; else the term in force for the unit with duty and live figures."""
    if unit is None or unit.kind not in REGION_KINDS:
        return None
    today = timezone.localdate()
    ancestors = [unit.path[:i] for i in range(4, len(unit.path) + 1, 4)]
    term = (
        Term.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .filter(unit__path__in=ancestors)
        .order_by("-unit__depth", "-starts_on")
        .first()
    ) or Term.objects.filter(
        unit__path__under=unit.path, starts_on__lte=today, ends_on__gte=today
    ).first()
    if term is None:
        return None
    rows = duty_rows(term, unit)
    now = timezone.now()
    groups = DeliveryGroup.objects.filter(term=term, unit__path__under=unit.path)
    live = ClassSession.objects.filter(
        group__in=groups, cancelled_at__isnull=True, ended_at__isnull=True
    ).filter(starts_at__lte=now).filter(ends_at__gt=now) | ClassSession.objects.filter(
        group__in=groups, started_at__isnull=False, ended_at__isnull=True, cancelled_at__isnull=True
    )
    return {
        "term": term,
        "duty_total": len(rows),
        "duty_missing": [r for r in rows if not r.done],
        "groups": groups.count(),
        "live_now": live.distinct().count(),
    }
