"""Admins and submissions: a school's full list; counts per unit for every level above.

Higher levels open packages only once they are recommended to them (selection workflow);
until then they see how many each subordinate unit has, by state.
"""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Category
from youke.catalog.models import CourseNode
from youke.manage.views.common import admin_required, paginate_ids, scope_roots
from youke.manage.views.submissions_above import submission_list_above
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.enums import Role
from youke.orgs.models import Unit
from youke.portal.roles import active_choice
from youke.submissions import rules
from youke.submissions.domain.stats import counts_by_child_unit
from youke.submissions.enums import CheckState, SubmissionState
from youke.submissions.models import Material, MaterialLink, Submission


def _school_list(request):
    return rules.submissions_visible_to(request.user).exclude(teacher=request.user)


def _scope_unit(request) -> Unit | None:
    """The unit of the admin role in use (the top of the tree for the platform admin)."""
    active = active_choice(request)
    if active is None or active.role not in ("platform", Role.UNIT_ADMIN):
        roots = scope_roots(request.user)
        return roots[0] if roots else None
    if active.unit_id is None:
        return Unit.objects.filter(depth=1).order_by("path").first()
    return Unit.objects.filter(pk=active.unit_id).first()


@admin_required
def submission_list(request):
    top = _scope_unit(request)
    if top is not None and top.kind not in rules.SCHOOL_KINDS:
        return submission_list_above(request, top)
    submissions = _school_list(request)
    g = request.GET
    campaigns = campaign_rules.campaigns_visible_to(request.user).order_by("-opens_at")
    if g.get("campaign", "").isdigit():
        submissions = submissions.filter(campaign_id=int(g["campaign"]))
    if g.get("category", "").strip():
        submissions = submissions.filter(category__name=g["category"].strip())
    if g.get("state") in SubmissionState.values:
        submissions = submissions.filter(state=g["state"])
    if g.get("check") == CheckState.LINKED:  # a resource link in place of a file
        submissions = submissions.filter(pk__in=MaterialLink.objects.values("submission_id"))
    elif g.get("check") in CheckState.values:
        checked = Material.objects.filter(check_state=g["check"]).values("submission_id")
        submissions = submissions.filter(pk__in=checked)
    areas = list(CourseNode.objects.filter(depth__lte=2).order_by("path"))
    area = next((a for a in areas if str(a.pk) == g.get("area")), None)
    if area is not None:  # a stage or a subject: every lesson under it
        submissions = submissions.filter(node__path__under=area.path)
    # One grouped count gives the per-state figures and, summed, the paginator's total.
    counts = dict(submissions.order_by().values_list("state").annotate(n=Count("id")))
    page = paginate_ids(
        request,
        submissions.order_by("-updated_at", "-id"),
        Submission.objects.select_related("campaign", "category", "node", "teacher", "unit"),
        count=sum(counts.values()),
    )
    return render(
        request,
        "manage/submission_list.html",
        {
            "page": page,
            "filters": g,
            "campaigns": campaigns,
            "states": SubmissionState.choices,
            "checks": CheckState.choices,
            "areas": areas,
            "categories": sorted({c.name for c in Category.objects.filter(campaign__in=campaigns)}),
            "counts": [(label, counts.get(value, 0)) for value, label in SubmissionState.choices],
        },
    )


@admin_required
def submission_counts(request):
    """Per subordinate unit: packages by state, for one campaign (every admin in the chain)."""
    campaigns = list(campaign_rules.campaigns_visible_to(request.user).order_by("-opens_at"))
    chosen = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    chosen = chosen or (campaigns[0] if campaigns else None)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = access_unit(request.user, int(unit_id))
    else:
        roots = org_rules.admin_paths(request.user)
        unit = (
            Unit.objects.filter(path__in=roots or []).order_by("path").first()
            if roots
            else Unit.objects.filter(depth=1).first()
        )
    if unit is None or not org_rules.covers(request.user, unit):
        raise Http404("unit")
    rows = []
    if chosen is not None:
        rows = [
            (row.unit, row.in_state_order, row.total)
            for row in counts_by_child_unit(request.user, chosen, unit)
        ]
    return render(
        request,
        "manage/submission_counts.html",
        {
            "campaigns": campaigns,
            "campaign": chosen,
            "unit": unit,
            "rows": rows,
            "states": SubmissionState.choices,
        },
    )
