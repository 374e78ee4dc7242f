"""The audit log of the admin's subtree, with filters."""

import datetime

from django.shortcuts import render

from youke.core.domain.audit_sentences import KINDS, describe
from youke.core.enums import AuditAction
from youke.manage.views.common import admin_required, paginate, unit_by_code
from youke.orgs import rules

OBJECT_TYPES = {label: kind.noun for label, kind in KINDS.items()}


def _date(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


@admin_required
def audit_list(request):
    events = rules.audit_visible_to(request.user).select_related("unit")
    g = request.GET
    if g.get("action") in AuditAction.values:
        events = events.filter(action=g["action"])
    if g.get("object_type") in OBJECT_TYPES:
        events = events.filter(object_type=g["object_type"])
    if g.get("actor", "").strip():
        events = events.filter(actor_name__contains=g["actor"].strip())
    if g.get("unit", "").strip():
        unit = unit_by_code(request.user, g["unit"])
        events = events.filter(unit__path__under=unit.path) if unit else events.none()
    if start := _date(g.get("since", "")):
        events = events.filter(at__date__gte=start)
    if end := _date(g.get("until", "")):
        events = events.filter(at__date__lte=end)
    page = paginate(request, events)
    return render(
        request,
        "manage/audit_list.html",
        {
            "page": page,
            "rows": describe(page),
            "filters": g,
            "actions": AuditAction.choices,
            "object_types": OBJECT_TYPES.items(),
        },
    )
