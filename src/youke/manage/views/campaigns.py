"""Campaign admin pages: list, create from a template, detail, settings, state, internal
deadlines, node status with close/reopen, and the past-award import. Rules live in
``youke.campaigns.domain``; these views only translate requests and errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns import rules
from youke.campaigns.access import access_campaign
from youke.campaigns.domain import campaigns as campaigns_domain
from youke.campaigns.domain import deadlines, nodes, past_awards, templates
from youke.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState
from youke.campaigns.forms import (
    CampaignCreateForm,
    CampaignEditForm,
    PastAwardImportForm,
    UnitDeadlineForm,
)
from youke.campaigns.models import (
    Category,
    Criterion,
    Level,
    MaterialRequirement,
    NodeClosure,
    PastAward,
    UnitDeadline,
    UploadWindow,
    VideoRule,
)
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.models import Job
from youke.core.tabular import write_xlsx
from youke.manage.views.common import admin_required, apply_errors, paginate
from youke.orgs import rules as org_rules
from youke.orgs.enums import REGION_KINDS, UnitKind
from youke.orgs.models import Unit


@admin_required
def campaign_list(request):
    campaigns = (
        rules.campaigns_visible_to(request.user)
        .select_related("owner_unit")
        .annotate(teacher_deadline=Min("levels__deadline"))
        .order_by("-year", "-id")
    )
    return render(
        request,
        "manage/campaign_list.html",
        {
            "page": paginate(request, campaigns),
            "filters": request.GET,
            "can_import_awards": rules.can_import_past_awards(request.user),
        },
    )


@admin_required
def campaign_create(request):
    units = list(
        org_rules.scoped(
            Unit.objects.filter(kind__in=REGION_KINDS, is_active=True), request.user
        ).order_by("path")[:500]
    )
    form = CampaignCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["owner_unit"])
        try:
            campaign = templates.create_campaign_from_template(
                Actor.from_request(request),
                unit,
                form.cleaned_data["template_key"],
                name=form.cleaned_data["name"],
                year=form.cleaned_data["year"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("活动已创建（草稿）。请核对设置后发布。"))
            return redirect("manage_campaigns:campaign_detail", campaign.pk)
    return render(request, "manage/campaign_create.html", {"form": form})


@admin_required
def campaign_detail(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id)
    materials = MaterialRequirement.objects.prefetch_related("video_rules__stage", "checklist")
    categories = Category.objects.filter(campaign=campaign).prefetch_related(
        Prefetch("materials", queryset=materials), "criteria"
    )
    can_manage = rules.can_manage_campaign(request.user, campaign)
    return render(
        request,
        "manage/campaign_detail.html",
        {
            "campaign": campaign,
            "can_manage": can_manage,
            "categories": categories,
            "levels": Level.objects.filter(campaign=campaign).prefetch_related("grades"),
            "windows": UploadWindow.objects.filter(campaign=campaign).annotate(
                node_count=Count("nodes")
            ),
            "training_hours": campaign.training_hours.all(),
            "next_states": [CampaignState(s) for s in CAMPAIGN_TRANSITIONS[campaign.state]]
            if can_manage
            else [],
            "upload_bytes": campaign.max_upload_bytes,
        },
    )


def _edit_rows(campaign):
    return (
        list(Level.objects.filter(campaign=campaign)),
        list(UploadWindow.objects.filter(campaign=campaign)),
        list(
            Criterion.objects.filter(category__campaign=campaign, is_veto=False).select_related(
                "category"
            )
        ),
        list(
            VideoRule.objects.filter(requirement__category__campaign=campaign).select_related(
                "requirement__category", "stage"
            )
        ),
    )


@admin_required
def campaign_edit(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    rows = _edit_rows(campaign)
    form = CampaignEditForm.build(campaign, *rows, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns_domain.update_campaign(
                Actor.from_request(request), campaign, **form.domain_values(*rows)
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"max_upload_bytes": "max_upload_mb"})
        else:
            messages.success(request, _("活动设置已保存。"))
            return redirect("manage_campaigns:campaign_detail", campaign.pk)
    return render(request, "manage/campaign_edit.html", {"campaign": campaign, "form": form})


@admin_required
@require_POST
def campaign_set_state(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    state = request.POST.get("state", "")
    if state not in CampaignState.values:
        raise Http404("state")
    try:
        campaigns_domain.set_campaign_state(
            campaign,
            state,
            actor=Actor.from_request(request),
            reason=request.POST.get("reason", "").strip(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("活动状态已改为“%(s)s”。") % {"s": CampaignState(state).label})
    return redirect("manage_campaigns:campaign_detail", campaign.pk)


@admin_required
def campaign_deadlines(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id)
    units = list(
        org_rules.scoped(Unit.objects.filter(path__under=campaign.owner_unit.path), request.user)
        .exclude(kind=UnitKind.TEACHING_POINT)
        .order_by("path")[:300]
    )
    levels = list(Level.objects.filter(campaign=campaign))
    form = UnitDeadlineForm(request.POST or None, units=units, levels=levels)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        level = next(lv for lv in levels if lv.pk == form.cleaned_data["level"])
        try:
            deadlines.set_unit_deadline(
                Actor.from_request(request), campaign, level, unit, form.cleaned_data["deadline"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except deadlines.PermissionDenied as exc:
            raise Http404("unit") from exc
        else:
            messages.success(request, _("内部截止时间已保存。"))
            return redirect("manage_campaigns:campaign_deadlines", campaign.pk)
    rows = org_rules.scoped(
        UnitDeadline.objects.filter(campaign=campaign), request.user, "unit__path"
    ).select_related("unit", "level", "set_by")
    return render(
        request,
        "manage/campaign_deadlines.html",
        {
            "campaign": campaign,
            "form": form,
            "levels": levels,
            "rows": rows.order_by("unit__path", "level__order"),
        },
    )


@admin_required
def campaign_nodes(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id)
    q = request.GET.get("q", "").strip()
    parent = None
    if q:
        found = CourseNode.objects.filter(Q(name__contains=q) | Q(code=q))
    elif request.GET.get("parent", "").isdigit():
        parent = get_object_or_404(CourseNode, pk=int(request.GET["parent"]))
        found = CourseNode.objects.filter(path__under=parent.path, depth=parent.depth + 1)
    else:
        found = CourseNode.objects.filter(depth=1)
    page = paginate(request, found.filter(is_active=True).order_by("path"))
    statuses = nodes.node_statuses(campaign, page.object_list, today=timezone.localdate())
    closed_here = set(
        NodeClosure.objects.filter(campaign=campaign, node__in=page.object_list).values_list(
            "node_id", flat=True
        )
    )
    return render(
        request,
        "manage/campaign_nodes.html",
        {
            "campaign": campaign,
            "can_manage": rules.can_manage_campaign(request.user, campaign),
            "page": page,
            "rows": [(n, statuses[n.pk], n.pk in closed_here) for n in page.object_list],
            "parent": parent,
            "ancestors": list(parent.get_ancestors()) if parent else [],
            "q": q,
            "filters": request.GET,
        },
    )


def _back_to_nodes(campaign, node):
    url = reverse("manage_campaigns:campaign_nodes", args=[campaign.pk])
    return redirect(f"{url}?parent={node.get_parent().pk}" if node.depth > 1 else url)


@admin_required
@require_POST
def campaign_node_close(request, campaign_id: int, node_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    node = get_object_or_404(CourseNode, pk=node_id)
    try:
        nodes.close_node(
            Actor.from_request(request), campaign, node, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("节点“%(n)s”已关闭。") % {"n": node.name})
    return _back_to_nodes(campaign, node)


@admin_required
@require_POST
def campaign_node_reopen(request, campaign_id: int, node_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    node = get_object_or_404(CourseNode, pk=node_id)
    try:
        nodes.reopen_node(Actor.from_request(request), campaign, node)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("节点“%(n)s”已重新开放。") % {"n": node.name})
    return _back_to_nodes(campaign, node)


@admin_required
def past_award_import(request):
    if not rules.can_import_past_awards(request.user):
        raise Http404("past awards")
    form = PastAwardImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        job = jobs.create_job(
            actor, past_awards.JOB_KIND, upload=form.cleaned_data["file"], params={"ip": actor.ip}
        )
        return redirect("manage:job_detail", job.pk)
    return render(
        request,
        "manage/campaign_past_awards.html",
        {
            "form": form,
            "award_count": PastAward.objects.count(),
            "jobs": Job.objects.filter(created_by=request.user, kind=past_awards.JOB_KIND)[:10],
        },
    )


@admin_required
def past_award_template(request):
    if not rules.can_import_past_awards(request.user):
        raise Http404("past awards")
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="youke-past-awards-template.xlsx"'
    headers = [c.header for c in past_awards.AWARD_COLUMNS]
    write_xlsx(response, headers, past_awards.TEMPLATE_EXAMPLE, title=_("往年获奖课例"))
    return response
