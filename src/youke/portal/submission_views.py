"""The teacher's pages: 我的申报, start a package, edit it, upload, submit, withdraw."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns import rules as campaign_rules
from youke.campaigns.domain.nodes import teacher_node_list
from youke.campaigns.enums import CampaignState
from youke.campaigns.models import Campaign, MaterialRequirement, rules_for_stage
from youke.catalog.domain.nodes import ancestors_by_path, search_nodes, stage_id_of, trail
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.media.access import access_upload
from youke.media.domain import uploads as uploads_domain
from youke.media.models import MediaAsset, Upload
from youke.media.validators import human_size
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person
from youke.portal.forms import SubmissionForm, WithdrawForm
from youke.portal.player import player_context
from youke.selection.domain import filming
from youke.selection.domain.path import path_context
from youke.selection.domain.viewing import FULL
from youke.submissions import rules
from youke.submissions.domain import packages
from youke.submissions.models import Material, Submission

NODE_RESULTS = 40


def access_submission(person, submission_id: int) -> Submission:
    submission = (
        rules.submissions_visible_to(person)
        .select_related("campaign", "category", "node", "teacher", "unit")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404("submission")
    return submission


def _teacher_required(request):
    if not rules.is_teacher(request.user):
        raise Http404("not a teacher")


@login_required
def my_submissions(request):
    _teacher_required(request)
    mine = (
        Submission.objects.filter(teacher=request.user)
        .select_related("campaign", "category", "node")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    ancestors = ancestors_by_path([s.node for s in page])
    campaigns = (
        campaign_rules.campaigns_visible_to(request.user)
        .filter(state=CampaignState.PUBLISHED)
        .select_related("owner_unit")
        .order_by("-opens_at")
    )
    return render(
        request,
        "portal/my_submissions.html",
        {
            "page": page,
            "filters": {},
            "rows": [(s, trail(s.node, ancestors)) for s in page],
            "campaigns": campaigns,
        },
    )


@login_required
def start(request, campaign_id: int):
    _teacher_required(request)
    campaign = (
        campaign_rules.campaigns_visible_to(request.user)
        .filter(pk=campaign_id, state=CampaignState.PUBLISHED)
        .first()
    )
    if campaign is None:
        raise Http404("campaign")
    categories = list(campaign.categories.order_by("order", "pk"))
    term = request.GET.get("q", "").strip()
    nodes = []
    if term:
        found = list(
            search_nodes(CourseNode.objects.filter(level=NodeLevel.LESSON), term).order_by("path")[
                :NODE_RESULTS
            ]
        )
        ancestors = ancestors_by_path(found)
        nodes = [
            (node, status, trail(node, ancestors))
            for node, status in teacher_node_list(campaign, found, today=timezone.localdate())
        ]
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        category = next((c for c in categories if str(c.pk) == request.POST.get("category")), None)
        node = CourseNode.objects.filter(pk=request.POST.get("node") or 0).first()
        if category is None or node is None:
            form.add_error(None, _("请选择类别，并在下方搜索并选中一个课程节点。"))
        else:
            try:
                submission = packages.start_submission(
                    Actor.from_request(request), campaign, category, node, **form.cleaned_data
                )
            except PermissionDenied as exc:
                raise Http404("campaign") from exc
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("草稿已保存。请上传材料，确认原创声明后提交。"))
                return redirect("portal:submission_detail", submission.pk)
    return render(
        request,
        "portal/submission_start.html",
        {
            "campaign": campaign,
            "categories": categories,
            "form": form,
            "term": term,
            "nodes": nodes,
            "deadline": packages.teacher_deadline_for(campaign, request.user.unit),
            "chosen_category": request.POST.get("category") or request.GET.get("category", ""),
        },
    )


def _requirements(submission) -> list:
    """The package's checklist requirements with their video rules (two queries)."""
    return list(
        submission.category.materials.order_by("order", "pk").prefetch_related("video_rules")
    )


def _slot_rows(submission, materials=None, ancestors=None, links=None, requirements=None):
    """(slot, media asset, browser pre-check spec as JSON) for each checklist line.

    Three queries (requirements, their video rules, materials with their thumbnail counts);
    fewer when the page
    passes what it has loaded: the requirements, the package's materials and its node's
    ancestors (which hold the stage).
    """
    if requirements is None:
        requirements = _requirements(submission)
    if materials is None:
        materials = packages.package_materials(submission)
    slots = packages.checklist(
        submission, requirements=requirements, materials=materials, links=links
    )
    assets = {m.upload_id: packages.material_asset(m) for m in materials}
    requirements = {r.pk: r for r in requirements}
    stage_id = _stage_id(submission.node, ancestors)
    return [
        (
            slot,
            assets.get(slot.material.upload_id) if slot.material else None,
            json.dumps(
                upload_spec(requirements[slot.requirement.pk], submission.campaign, stage_id)
            ),
        )
        for slot in slots
    ]


def _stage_id(node: CourseNode, ancestors: dict[str, CourseNode] | None) -> int | None:
    """``stage_id_of``, read from the ancestors the page has loaded for its breadcrumb."""
    root = (ancestors or {}).get(node.path[: CourseNode.steplen])
    if root is not None:
        return root.pk if root.level == NodeLevel.STAGE else None
    return stage_id_of(node)


def upload_spec(
    requirement: MaterialRequirement, campaign: Campaign, stage_id: int | None = None
) -> dict:
    """What the browser pre-checks before sending a byte (the server checks again), with the
    rules of the package's stage (学段)."""
    spec: dict = {
        "max_bytes": min(requirement.max_bytes, campaign.max_upload_bytes),
        "extensions": requirement.extensions,
    }
    warn_only = []
    for rule in rules_for_stage(requirement.video_rules.all(), stage_id):
        key = {
            "min_width": "min_width",
            "exact_width": "min_width",
            "min_height": "min_height",
            "exact_height": "min_height",
            "aspect_ratio": "aspect_ratio",
            "min_duration_seconds": "min_duration_seconds",
            "max_duration_seconds": "max_duration_seconds",
        }.get(rule.rule)
        if key is None:
            continue
        spec[key] = rule.value if key == "aspect_ratio" else float(rule.value)
        if rule.severity == "warns" and rule.floor and key in ("min_width", "min_height"):
            # Under the floor the server refuses the file: the browser stops it before upload.
            spec[key] = float(rule.floor)
        elif rule.severity == "warns":
            warn_only.append(key)
    spec["warn_only"] = warn_only
    return spec


@login_required
def detail(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    can_edit = rules.can_edit_submission(request.user, submission)
    form = SubmissionForm(
        request.POST or None,
        initial={
            "title": submission.title,
            "description": submission.description,
            "periods": submission.periods,
        },
    )
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            packages.update_submission(Actor.from_request(request), submission, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("portal:submission_detail", submission.pk)
    ancestors = ancestors_by_path([submission.node])
    # One load of the package's files for the checklist and the player.
    materials = packages.package_materials(submission, request.user)
    requirements = _requirements(submission)
    # Links exist only where a requirement takes them (精品课 has none): no query otherwise.
    links = packages.package_links(submission) if any(r.accepts_link for r in requirements) else []
    return render(
        request,
        "portal/submission_detail.html",
        {
            "submission": submission,
            "form": form,
            "can_edit": can_edit,
            "trail": trail(submission.node, ancestors),
            "slots": _slot_rows(submission, materials, ancestors, links, requirements),
            "citations": submission.citations.all(),
            "coauthors": submission.coauthors.select_related("person__unit"),
            # The teacher's deadline matters while the package can still be changed.
            "deadline": (
                packages.teacher_deadline_for(submission.campaign, submission.unit)
                if can_edit
                else None
            ),
            "withdraw_form": WithdrawForm(),
            "is_author": submission.teacher_id == request.user.pk,
            "videos_later": filming.videos_after_screening(submission.campaign),
            **path_context(request.user, submission),
            # Everyone who sees this page sees the package itself (submissions_visible_to).
            **player_context(request.user, submission, FULL, materials, links),
        },
    )


@login_required
def history(request, submission_id: int):
    """The package's history (state changes with who and why), loaded when it is opened."""
    submission = access_submission(request.user, submission_id)
    return render(
        request,
        "portal/_submission_history.html",
        {"events": submission.events.select_related("actor")},
    )


@login_required
def slot_status(request, submission_id: int, requirement_id: int, period: int):
    """One slot's check result and file: htmx refreshes it after an upload and polls it
    while the check runs (the upload widgets beside it are never replaced)."""
    submission = access_submission(request.user, submission_id)
    rows = [
        row
        for row in _slot_rows(submission)
        if row[0].requirement.pk == requirement_id and row[0].period == period
    ]
    if not rows:
        raise Http404("slot")
    slot, asset, _spec = rows[0]
    return render(
        request,
        "portal/_slot_status.html",
        {"submission": submission, "slot": slot, "asset": asset},
    )


def _act(request, submission, action, success: str):
    return run_action(
        request,
        action,
        success,
        redirect("portal:submission_detail", submission.pk),
    )


@login_required
@require_POST
def submit(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    return _act(
        request,
        submission,
        lambda: packages.submit(Actor.from_request(request), submission),
        _("已提交。学校审核前您仍可修改。"),
    )


@login_required
@require_POST
def deliver_video(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    return _act(
        request,
        submission,
        lambda: filming.deliver_video(Actor.from_request(request), submission),
        _("视频已提交，县级管理员确认名单后作品将报送上一级。"),
    )


@login_required
@require_POST
def withdraw(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    return _act(
        request,
        submission,
        lambda: packages.withdraw(
            Actor.from_request(request), submission, reason=request.POST.get("reason", "")
        ),
        _("作品已撤回；已上传的文件仍保留在“我的上传”中。"),
    )


@login_required
@require_POST
def reopen(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    return _act(
        request,
        submission,
        lambda: packages.reopen(Actor.from_request(request), submission),
        _("作品已恢复为草稿，可以继续修改。"),
    )


@login_required
@require_POST
def originality(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    if not request.POST.get("confirm"):
        messages.error(request, _("请勾选“我已阅读并承诺”后再确认。"))
        return redirect("portal:submission_detail", submission.pk)
    return _act(
        request,
        submission,
        lambda: packages.confirm_originality(Actor.from_request(request), submission),
        _("已确认原创声明。"),
    )


@login_required
@require_POST
def citations(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    rows = list(
        zip(
            request.POST.getlist("source"),
            request.POST.getlist("author"),
            request.POST.getlist("note"),
            strict=False,
        )
    )
    return _act(
        request,
        submission,
        lambda: packages.set_citations(Actor.from_request(request), submission, rows),
        _("引用已保存。"),
    )


@login_required
@require_POST
def coauthors(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    logins = [
        v.strip() for v in request.POST.get("logins", "").replace("，", ",").split(",") if v.strip()
    ]
    people = list(Person.objects.filter(mobile__in=logins, is_active=True))
    if len(people) != len(set(logins)):
        messages.error(
            request, _("有手机号找不到对应的教师账号，请核对后重新填写（多个用逗号分隔）。")
        )
        return redirect("portal:submission_detail", submission.pk)
    return _act(
        request,
        submission,
        lambda: packages.set_coauthors(Actor.from_request(request), submission, people),
        _("合作者已保存。"),
    )


@login_required
def my_uploads(request):
    uploads = (
        Upload.objects.filter(owner=request.user)
        .order_by("-created_at")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.select_related("submission"))
        )
    )
    return render(
        request,
        "portal/my_uploads.html",
        {
            "uploads": uploads,
            "max_unfinished": uploads_domain.max_unfinished_uploads(),
            "max_reserved": human_size(uploads_domain.max_reserved_bytes()),
        },
    )


@login_required
@require_POST
def cancel_upload(request, upload_id):
    """Cancel one of the person's unfinished uploads (the received bytes are dropped)."""
    upload = access_upload(request.user, upload_id)
    return run_action(
        request,
        lambda: uploads_domain.cancel_upload(Actor.from_request(request), upload),
        _("已取消上传“%(name)s”。") % {"name": upload.filename},
        redirect("portal:my_uploads"),
    )


@login_required
def download(request, upload_id):
    """The owner, and whoever may view a package using the file, can download it."""
    upload = Upload.objects.filter(pk=upload_id, state="complete").first()
    if upload is None:
        raise Http404("upload")
    if upload.owner_id != request.user.pk:
        visible = rules.submissions_visible_to(request.user).filter(materials__upload=upload)
        if not visible.exists():
            raise Http404("upload")
    from django.core.files.storage import default_storage

    preview = request.GET.get("inline") == "1" and upload.content_type == "application/pdf"
    response = FileResponse(
        default_storage.open(upload.storage_name, "rb"),
        as_attachment=not preview,
        filename=upload.filename,
    )
    if preview:
        # Only PDFs are shown inline, and only inside our own pages.
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _asset_for(request, upload_id) -> MediaAsset:
    """The media asset of an upload the person may see (owner or package viewer)."""
    upload = Upload.objects.filter(pk=upload_id, state="complete").first()
    if upload is None:
        raise Http404("upload")
    if (
        upload.owner_id != request.user.pk
        and not rules.submissions_visible_to(request.user).filter(materials__upload=upload).exists()
    ):
        raise Http404("upload")
    asset = MediaAsset.objects.filter(upload=upload).first()
    if asset is None:
        raise Http404("asset")
    return asset


@login_required
def asset_poster(request, upload_id):
    asset = _asset_for(request, upload_id)
    if not asset.poster:
        raise Http404("poster")
    return FileResponse(asset.poster.open("rb"), content_type="image/jpeg")


@login_required
def asset_thumbnail(request, upload_id, index: int):
    thumb = _asset_for(request, upload_id).thumbnails.filter(index=index).first()
    if thumb is None:
        raise Http404("thumbnail")
    return FileResponse(thumb.image.open("rb"), content_type="image/jpeg")


@login_required
def asset_preview(request, upload_id):
    """The PDF rendering of an office document, shown inside our own page only."""
    asset = _asset_for(request, upload_id)
    if not asset.preview:
        raise Http404("preview")
    response = FileResponse(asset.preview.open("rb"), content_type="application/pdf")
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
