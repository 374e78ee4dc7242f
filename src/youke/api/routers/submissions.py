"""Submissions (晒课/申报): teachers' own packages, school admins' school, counts above that.

Writes go through ``submissions.domain.packages`` with the caller as actor; the domain
re-checks authorship and the campaign's window (R4, R8, R9) whatever the client shows.
Files arrive over tus (``/api/v1/uploads/``) with metadata naming the submission and the
material, and are attached when the upload completes; ``POST …/materials`` attaches an
upload that finished earlier.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from youke.api.common import access_catalog_node, actor, changes, paginated, viewer
from youke.api.fields import Id
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_campaigns import (
    CitationsIn,
    CoAuthorsIn,
    MaterialAttachIn,
    MaterialLinkIn,
    MaterialLinkOut,
    SubmissionCountsOut,
    SubmissionCreateIn,
    SubmissionDetailOut,
    SubmissionFilters,
    SubmissionOut,
    SubmissionUpdateIn,
    WithdrawIn,
)
from youke.campaigns.access import access_campaign
from youke.campaigns.models import Category, MaterialRequirement
from youke.catalog.domain.nodes import ancestors_by_path, trail
from youke.media.access import access_upload
from youke.media.models import MediaAsset
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.models import Person, Unit
from youke.selection.domain import filming
from youke.submissions import rules
from youke.submissions.domain import links, packages
from youke.submissions.domain.stats import counts_by_child_unit
from youke.submissions.enums import CheckState
from youke.submissions.models import CoAuthor, Material, MaterialLink, Submission, SubmissionEvent

router = Router(tags=["submissions"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}
RELATED = ("campaign", "category", "node", "teacher", "unit")


def access_submission(person: Person, submission_id: int) -> Submission:
    """Missing and not-visible are both 404 (``submissions_visible_to`` is the scope)."""
    submission = (
        rules.submissions_visible_to(person)
        .select_related(*RELATED)
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404("submission")
    return submission


@dataclass(frozen=True)
class SlotRow:
    """A checklist slot with its upload's media asset (loaded for all slots at once)."""

    requirement: MaterialRequirement
    period: int
    state: str
    blocks_submission: bool
    due_after_screening: bool
    material: Material | None
    asset: MediaAsset | None
    links: tuple[MaterialLink, ...]


def _slots(submission: Submission) -> list[SlotRow]:
    slots = packages.checklist(submission)
    upload_ids = [slot.material.upload_id for slot in slots if slot.material]
    assets = {a.upload_id: a for a in MediaAsset.objects.filter(upload_id__in=upload_ids)}
    return [
        SlotRow(
            requirement=slot.requirement,
            period=slot.period,
            state=slot.state,
            blocks_submission=slot.blocks_submission,
            due_after_screening=slot.deferred,
            material=slot.material,
            asset=assets.get(slot.material.upload_id) if slot.material else None,
            links=slot.links,
        )
        for slot in slots
    ]


def _detail(request, submission_id: int) -> Submission:
    """The package with everything the detail shows, in a fixed number of queries."""
    submission = (
        rules.submissions_visible_to(viewer(request))
        .select_related(*RELATED)
        .prefetch_related(
            Prefetch("coauthors", queryset=CoAuthor.objects.select_related("person__unit")),
            "citations",
            Prefetch("events", queryset=SubmissionEvent.objects.select_related("actor")),
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404("submission")
    submission.node.ancestors = trail(submission.node, ancestors_by_path([submission.node]))
    submission.slots = _slots(submission)
    submission.deadline = packages.teacher_deadline_for(submission.campaign, submission.unit)
    return submission


# --- lists -----------------------------------------------------------------------------------


@router.get("/submissions", response=list[SubmissionOut], operation_id="list_submissions")
@paginated
def list_submissions(request, filters: Query[SubmissionFilters]):
    """Teachers: their own and co-authored packages. School admins: every package of their
    school. Higher levels see counts only (``GET /submissions/counts``)."""
    submissions = rules.submissions_visible_to(viewer(request))
    if filters.campaign is not None:
        submissions = submissions.filter(campaign_id=filters.campaign)
    if filters.category is not None:
        submissions = submissions.filter(category_id=filters.category)
    if filters.state:
        submissions = submissions.filter(state=filters.state)
    if filters.check_state == CheckState.LINKED:  # a resource link in place of a file
        submissions = submissions.filter(pk__in=MaterialLink.objects.values("submission_id"))
    elif filters.check_state:
        # A subquery, not a join: a package with several such materials stays one row.
        with_state = Material.objects.filter(check_state=filters.check_state)
        submissions = submissions.filter(pk__in=with_state.values("submission_id"))
    return submissions.select_related(*RELATED).order_by("-updated_at", "-id")


def _top_admin_unit(person: Person) -> Unit | None:
    roots = org_rules.admin_paths(person)  # None: the platform admin's whole tree
    units = Unit.objects.all() if roots is None else Unit.objects.filter(path__in=roots)
    return units.order_by("path").first() if roots != [] else None


@router.get(
    "/submissions/counts",
    response={200: SubmissionCountsOut, 404: ErrorOut},
    operation_id="count_submissions",
)
def count_submissions(request, campaign: Id, unit: Id | None = None):
    """Packages per direct child of ``unit`` (default: the caller's top admin unit), by state.

    For every admin in the chain; contents stay closed to levels above the school until the
    package is recommended to them.
    """
    person = viewer(request)
    chosen = access_campaign(person, campaign)
    counted = access_unit(person, unit) if unit is not None else _top_admin_unit(person)
    if counted is None or not org_rules.covers(person, counted):
        raise Http404("unit")
    rows = counts_by_child_unit(person, chosen, counted)
    return {"campaign": chosen, "unit": counted, "rows": rows}


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionDetailOut, 404: ErrorOut},
    operation_id="get_submission",
)
def get_submission(request, submission_id: int):
    """The package: node breadcrumb, co-authors, citations, history and each material slot
    with its upload, probe values and check results."""
    return _detail(request, submission_id)


# --- writes ----------------------------------------------------------------------------------


@router.post(
    "/submissions",
    response={201: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="create_submission",
)
def create_submission(request, payload: SubmissionCreateIn):
    """Start a draft (teachers only) for a lesson node that is open in the campaign."""
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign_id)
    category = Category.objects.filter(pk=payload.category_id, campaign=campaign).first()
    if category is None:
        raise Http404("category")
    node = access_catalog_node(person, payload.node_id)
    submission = packages.start_submission(
        actor(request),
        campaign,
        category,
        node,
        title=payload.title,
        description=payload.description,
        periods=payload.periods,
    )
    return Status(201, _detail(request, submission.pk))


@router.patch(
    "/submissions/{submission_id}",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="update_submission",
)
def update_submission(request, submission_id: int, payload: SubmissionUpdateIn):
    submission = access_submission(viewer(request), submission_id)
    fields = changes(payload, required=("title", "periods"))
    packages.update_submission(actor(request), submission, **fields)
    return _detail(request, submission_id)


@router.put(
    "/submissions/{submission_id}/citations",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="set_citations",
)
def set_citations(request, submission_id: int, payload: CitationsIn):
    """Replace the list of quoted materials (R14: each names its source and author)."""
    submission = access_submission(viewer(request), submission_id)
    rows = [(c.source, c.author, c.note) for c in payload.citations]
    packages.set_citations(actor(request), submission, rows)
    return _detail(request, submission_id)


@router.put(
    "/submissions/{submission_id}/coauthors",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="set_coauthors",
)
def set_coauthors(request, submission_id: int, payload: CoAuthorsIn):
    """Replace the co-authors, named by their mobile numbers in signing order."""
    submission = access_submission(viewer(request), submission_id)
    mobiles = list(dict.fromkeys(m.strip() for m in payload.mobiles if m.strip()))
    found = {p.mobile: p for p in Person.objects.filter(mobile__in=mobiles, is_active=True)}
    unknown = [m for m in mobiles if m not in found]
    if unknown:
        raise ValidationError(
            {
                "mobiles": _("找不到手机号为 %(m)s 的教师账号，请核对后重新填写。")
                % {"m": "、".join(unknown)}
            }
        )
    packages.set_coauthors(actor(request), submission, [found[m] for m in mobiles])
    return _detail(request, submission_id)


@router.post(
    "/submissions/{submission_id}/originality",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="confirm_originality",
)
def confirm_originality(request, submission_id: int):
    """The author confirms the originality declaration (R14)."""
    submission = access_submission(viewer(request), submission_id)
    packages.confirm_originality(actor(request), submission)
    return _detail(request, submission_id)


@router.post(
    "/submissions/{submission_id}/materials",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="attach_material",
)
def attach_material(request, submission_id: int, payload: MaterialAttachIn):
    """Put a finished upload of the caller's into a material slot; its checks are queued.

    Uploads created with ``purpose=material`` and the slot in their metadata are attached
    automatically when they complete; this is for an upload that finished earlier.
    """
    person = viewer(request)
    submission = access_submission(person, submission_id)
    upload = access_upload(person, payload.upload_id)
    requirement = (
        MaterialRequirement.objects.select_related("category__campaign")
        .filter(pk=payload.requirement_id, category_id=submission.category_id)
        .first()
    )
    if requirement is None:
        raise ValidationError({"requirement_id": _("该材料不属于此作品的类别，请刷新后重新选择。")})
    packages.attach_material(actor(request), submission, requirement, payload.period, upload)
    return _detail(request, submission_id)


@router.get(
    "/submissions/{submission_id}/links",
    response={200: list[MaterialLinkOut], 404: ErrorOut},
    operation_id="list_material_links",
)
def list_material_links(request, submission_id: int):
    """The package's resource links in checklist order (visible as the package is)."""
    submission = access_submission(viewer(request), submission_id)
    return packages.package_links(submission)


@router.post(
    "/submissions/{submission_id}/links",
    response={201: MaterialLinkOut, **WRITE_ERRORS},
    operation_id="add_material_link",
)
def add_material_link(request, submission_id: int, payload: MaterialLinkIn):
    """Give a resource link (title + http/https URL) for a material that accepts links; it
    counts as that material being present. A submitted package goes back to draft."""
    submission = access_submission(viewer(request), submission_id)
    requirement = MaterialRequirement.objects.filter(
        pk=payload.requirement_id, category_id=submission.category_id
    ).first()
    if requirement is None:
        raise ValidationError({"requirement_id": _("该材料不属于此作品的类别，请刷新后重新选择。")})
    link = links.add_link(
        actor(request),
        submission,
        requirement,
        payload.period,
        title=payload.title,
        url=payload.url,
    )
    return Status(201, link)


@router.delete(
    "/submissions/{submission_id}/links/{link_id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="remove_material_link",
)
def remove_material_link(request, submission_id: int, link_id: int):
    """Remove a resource link (authors only, while the package may be edited)."""
    submission = access_submission(viewer(request), submission_id)
    link = links.link_of(submission, link_id)
    links.remove_link(actor(request), link)
    return Status(204, None)


@router.post(
    "/submissions/{submission_id}/submit",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="submit_submission",
)
def submit_submission(request, submission_id: int):
    """Submit before the teacher's deadline; every problem is listed under ``__all__``."""
    submission = access_submission(viewer(request), submission_id)
    packages.submit(actor(request), submission)
    return _detail(request, submission_id)


@router.post(
    "/submissions/{submission_id}/deliver-video",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="deliver_video",
)
def deliver_video(request, submission_id: int):
    """Hand in the video(s) asked for after a passed screening (design first, filming later);
    every missing or unchecked video is listed under ``__all__``."""
    submission = access_submission(viewer(request), submission_id)
    filming.deliver_video(actor(request), submission)
    return _detail(request, submission_id)


@router.post(
    "/submissions/{submission_id}/withdraw",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="withdraw_submission",
)
def withdraw_submission(request, submission_id: int, payload: WithdrawIn):
    submission = access_submission(viewer(request), submission_id)
    packages.withdraw(actor(request), submission, reason=payload.reason)
    return _detail(request, submission_id)


@router.post(
    "/submissions/{submission_id}/reopen",
    response={200: SubmissionDetailOut, **WRITE_ERRORS},
    operation_id="reopen_submission",
)
def reopen_submission(request, submission_id: int):
    """Back to draft (from submitted or withdrawn) while the teacher's deadline is open."""
    submission = access_submission(viewer(request), submission_id)
    packages.reopen(actor(request), submission)
    return _detail(request, submission_id)
