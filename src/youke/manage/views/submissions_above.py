"""The 作品 menu above school: packages recommended out of the schools of the admin's subtree.

Filterable by campaign, category, state (of the furthest level reached), child unit and
text; counts per child unit with a drill-down into each (the list follows the chosen unit).
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render

from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Category
from youke.manage.views.common import paginate_ids
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.models import Unit
from youke.selection import rules as selection_rules
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry
from youke.submissions.models import Submission


def _trail(top: Unit, unit: Unit) -> list[Unit]:
    """From the admin's own unit down to ``unit`` (one query)."""
    paths = [unit.path[:i] for i in range(len(top.path), len(unit.path) + 1, Unit.steplen)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def _latest(field: str) -> Subquery:
    """``field`` of the package's entry at its furthest level."""
    latest = LevelEntry.objects.filter(submission=OuterRef("pk")).order_by("-level__order")
    return Subquery(latest.values(field)[:1])


def submission_list_above(request, top: Unit):
    g = request.GET
    unit = top
    if g.get("unit", "").isdigit():
        unit = access_unit(request.user, int(g["unit"]))
        if not (org_rules.covers(request.user, unit) and unit.path.startswith(top.path)):
            raise Http404("unit")
    packages = selection_rules.submissions_above_school_visible_to(request.user).filter(
        unit__path__under=unit.path
    )
    campaigns = campaign_rules.campaigns_visible_to(request.user).order_by("-opens_at")
    if g.get("campaign", "").isdigit():
        packages = packages.filter(campaign_id=int(g["campaign"]))
    if g.get("category", "").strip():
        packages = packages.filter(category__name=g["category"].strip())
    if g.get("state") in EntryState.values:
        packages = packages.annotate(latest_state=_latest("state")).filter(latest_state=g["state"])
    if g.get("q", "").strip():
        term = g["q"].strip()
        packages = packages.filter(Q(title__icontains=term) | Q(teacher__full_name__contains=term))
    children = list(
        Unit.objects.filter(path__under=unit.path, depth=unit.depth + 1, is_active=True).order_by(
            "path"
        )
    )
    per_child = dict.fromkeys((c.path for c in children), 0)
    prefix = (unit.depth + 1) * Unit.steplen
    total = 0  # the grouped count, summed, is the paginator's total: no second COUNT
    for path, n in packages.order_by().values_list("unit__path").annotate(n=Count("id")):
        total += n
        if path[:prefix] in per_child:
            per_child[path[:prefix]] += n
    # The furthest level reached is looked up for the 50 rows shown only.
    rows = Submission.objects.select_related(
        "campaign", "category", "node", "teacher", "unit"
    ).annotate(
        latest_state=_latest("state"),
        latest_level=_latest("level__name"),
        latest_unit=_latest("unit__name"),
    )
    page = paginate_ids(request, packages.order_by("-updated_at", "-id"), rows, count=total)
    return render(
        request,
        "manage/submission_list_above.html",
        {
            "unit": unit,
            "trail": _trail(top, unit),
            "page": page,
            "filters": g,
            "campaigns": campaigns,
            "categories": sorted({c.name for c in Category.objects.filter(campaign__in=campaigns)}),
            "states": EntryState.choices,
            "children": [(c, per_child[c.path]) for c in children],
        },
    )
