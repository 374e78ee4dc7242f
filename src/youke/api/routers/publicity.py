"""Publicity (公示) and objections (异议).

Reading a started window and filing an objection need no account, like the public pages
under ``/public/publicity/``; everything else is for the publishing unit's admins and is
scoped by ``publicities_visible_to`` (404 outside it).
"""

from django.http import Http404
from ninja import File, Form, Router, Status, UploadedFile

from youke.api.common import actor, paginated, viewer
from youke.api.fields import Id, Search
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_reviews import (
    ObjectionIn,
    ObjectionOut,
    ObjectionReceiptOut,
    PublicityDetailOut,
    PublicityIn,
    PublicityOut,
    PublishedEntriesOut,
    ResolveIn,
)
from youke.campaigns.access import access_campaign
from youke.campaigns.models import Level
from youke.core.actor import client_ip
from youke.orgs.access import access_unit
from youke.selection.domain import publicity as domain
from youke.selection.domain import publicity_list
from youke.selection.models import Objection

router = Router(tags=["publicity"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _public(publicity_id: int):
    found = domain.public_publicities().filter(pk=publicity_id).first()
    if found is None:
        raise Http404("publicity")
    return found


@router.get("/publicity", response=list[PublicityOut], operation_id="list_publicity", auth=None)
@paginated
def list_publicity(request):
    """Windows that have started, newest first (open and past results alike); no log-in."""
    return domain.public_publicities().order_by("-starts_at", "-id")


@router.get(
    "/publicity/{publicity_id}",
    response={200: PublicityDetailOut, 404: ErrorOut},
    operation_id="get_publicity",
    auth=None,
)
def get_publicity(request, publicity_id: int):
    """One started window with every entry it lists; no log-in. For long lists page through
    ``GET /publicity/{id}/entries`` instead (same rows)."""
    publicity = _public(publicity_id)
    publicity.entries = publicity_list.all_rows(publicity)
    return publicity


@router.get(
    "/publicity/{publicity_id}/entries",
    response={200: PublishedEntriesOut, 404: ErrorOut},
    operation_id="list_publicity_entries",
    auth=None,
)
def list_publicity_entries(request, publicity_id: Id, page: int = 1, q: Search = ""):
    """The entries of a started window, 50 per page (``?page=``), optionally searched by
    title, school or teacher (``?q=``, substring); no log-in. A page past the end answers
    the last page."""
    publicity = _public(publicity_id)
    found = publicity_list.page(publicity, max(1, min(page, 1_000_000)), q)
    return {
        "count": found.count,
        "total": found.total,
        "page": found.number,
        "pages": found.pages,
        "version": publicity.version,
        "items": found.rows,
    }


@router.post(
    "/publicity", response={201: PublicityOut, **WRITE_ERRORS}, operation_id="open_publicity"
)
def open_publicity(request, payload: PublicityIn):
    """Publish a confirmed list for a window; objections are accepted while it is open."""
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign)
    level = Level.objects.filter(pk=payload.level, campaign=campaign).first()
    if level is None:
        raise Http404("level")
    unit = access_unit(person, payload.unit)
    created = domain.open_publicity(
        actor(request),
        campaign,
        level,
        unit,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        title=payload.title,
    )
    return Status(201, domain.access_publicity(person, created.pk))


@router.post(
    "/publicity/{publicity_id}/finalise",
    response={200: PublicityOut, **WRITE_ERRORS},
    operation_id="finalise_publicity",
)
def finalise_publicity(request, publicity_id: int):
    """Make the results final: only after the window and once every objection is resolved."""
    person = viewer(request)
    publicity = domain.access_publicity(person, publicity_id)
    domain.finalise(publicity, actor=actor(request))
    return domain.access_publicity(person, publicity_id)


@router.get(
    "/publicity/{publicity_id}/objections",
    response=list[ObjectionOut],
    operation_id="list_objections",
)
@paginated
def list_objections(request, publicity_id: int):
    """Objections to one window, with the objector's contact (publishing unit's admins)."""
    publicity = domain.access_publicity(viewer(request), publicity_id)
    return Objection.objects.filter(publicity=publicity).select_related("entry__submission")


@router.post(
    "/publicity/{publicity_id}/objections",
    response={201: ObjectionReceiptOut, **WRITE_ERRORS},
    operation_id="file_objection",
    auth=None,
)
def file_objection(
    request,
    publicity_id: int,
    payload: Form[ObjectionIn],
    evidence: File[UploadedFile] = None,
):
    """Anyone may object during the window, without an account (multipart form; optional
    evidence: PDF, JPG, PNG or docx up to 20 MB, checked by content). Limited per address."""
    publicity = _public(publicity_id)
    entry = domain.published_entries(publicity).filter(pk=payload.entry).first()
    if entry is None:
        raise Http404("entry")
    filed = domain.file_objection(
        publicity,
        entry,
        name=payload.name,
        contact=payload.contact,
        reason=payload.reason,
        evidence=evidence,
        ip=client_ip(request),
    )
    return Status(201, filed)


@router.post(
    "/publicity/objections/{objection_id}/resolve",
    response={200: ObjectionOut, **WRITE_ERRORS},
    operation_id="resolve_objection",
)
def resolve_objection(request, objection_id: int, payload: ResolveIn):
    """Uphold (the recommendation is withdrawn, also at the levels above) or reject."""
    person = viewer(request)
    objection = domain.access_objection(person, objection_id)
    domain.resolve_objection(
        actor(request), objection, upheld=payload.upheld, resolution=payload.resolution
    )
    return Objection.objects.select_related("entry__submission").get(pk=objection_id)
