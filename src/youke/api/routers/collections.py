"""Collections (征集与报送) through the API: every page action of ``/manage/collections/``.

Scoping follows the pages: a task is visible to its issuing side (the issuing unit's admins
and above) and, once open, to the admins of its target units, who see only their own
returns; anything else is 404.
"""

from django.http import Http404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_collections import (
    CollectionReviewIn,
    CollectionTaskDetailOut,
    CollectionTaskFilters,
    CollectionTaskIn,
    CollectionTaskOut,
    ContactSheetIn,
    ExportOut,
    RemindOut,
    ReturnOut,
    VersionIn,
)
from youke.campaigns.models import Campaign
from youke.collections import rules
from youke.collections.access import access_managed_task, access_return, access_task
from youke.collections.domain import exports, reminders, returns, tasks
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit

router = Router(tags=["collections"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _return_out(collection_return, problems=None) -> dict:
    collection_return.refresh_from_db()
    return {
        "id": collection_return.pk,
        "task_id": collection_return.task_id,
        "unit": collection_return.unit,
        "state": collection_return.state,
        "status": collection_return.status,
        "comment": collection_return.comment,
        "submitted_at": collection_return.submitted_at,
        "scan_type": collection_return.scan_type,
        "contacts": [
            {"role": c.role, **{f: getattr(c, f) for f in returns.CONTACT_FIELDS}}
            for c in collection_return.contacts.order_by("id")
        ],
        "versions": list(collection_return.versions.order_by("-number")),
        "problems": problems or {},
    }


def _detail(person, task) -> dict:
    manages = rules.can_manage_task(person, task)
    scope = rules.returns_visible_to(person) if manages else rules.returns_to_fill(person)
    rows = tasks.status_rows(task, scope)
    return {
        **{f: getattr(task, f) for f in CollectionTaskOut.model_fields if f != "issuing_unit"},
        "issuing_unit": task.issuing_unit,
        "manages": manages,
        "counts": tasks.status_counts(rows),
        "returns": [
            {
                "id": r.pk,
                "unit": r.unit,
                "state": r.state,
                "status": r.status,
                "submitted_at": r.submitted_at,
                "comment": r.comment,
                "latest_version": r.latest_version,
            }
            for r in rows
        ],
    }


@router.get("/collections", response=list[CollectionTaskOut], operation_id="list_collections")
@paginated
def list_collections(request, filters: Query[CollectionTaskFilters]):
    """Tasks issued in the caller's subtrees and opened tasks sent to units there, newest
    first."""
    person = viewer(request)
    if filters.side == "issued":
        found = rules.tasks_issued_by(person)
    elif filters.side == "received":
        received = rules.returns_received(person).values("task_id")
        found = rules.tasks_visible_to(person).filter(pk__in=received)
    else:
        found = rules.tasks_visible_to(person)
    if filters.state:
        found = found.filter(state=filters.state)
    return found.select_related("issuing_unit").order_by("-created_at", "-id")


@router.post(
    "/collections",
    response={201: CollectionTaskOut, **WRITE_ERRORS},
    operation_id="create_collection",
)
def create_collection(request, payload: CollectionTaskIn):
    """A draft task of a unit the caller administers; publish it with open_collection."""
    person = viewer(request)
    unit = access_unit(person, payload.issuing_unit)
    campaign = None
    if payload.campaign is not None:
        campaign = (
            org_rules.scoped(Campaign.objects.all(), person, "owner_unit__path")
            .filter(pk=payload.campaign)
            .first()
        )
        if campaign is None:
            raise Http404("campaign")
    data = payload.dict(exclude={"issuing_unit", "campaign"})
    task = tasks.create_task(actor(request), issuing_unit=unit, campaign=campaign, **data)
    return Status(201, task)


@router.get(
    "/collections/{task_id}",
    response={200: CollectionTaskDetailOut, 404: ErrorOut},
    operation_id="get_collection",
)
def get_collection(request, task_id: int):
    """The task with the status of every target unit the caller may see (the issuing side:
    all of them; a target unit: its own)."""
    person = viewer(request)
    return _detail(person, access_task(person, task_id))


def _transition(request, task_id: int, move):
    person = viewer(request)
    task = access_managed_task(person, task_id)
    move(actor(request), task)
    return _detail(person, access_task(person, task_id))


@router.post(
    "/collections/{task_id}/open",
    response={200: CollectionTaskDetailOut, **WRITE_ERRORS},
    operation_id="open_collection",
)
def open_collection(request, task_id: int):
    """Publish a draft: one return per target unit, their admins notified."""
    return _transition(request, task_id, tasks.open_task)


@router.post(
    "/collections/{task_id}/close",
    response={200: CollectionTaskDetailOut, **WRITE_ERRORS},
    operation_id="close_collection",
)
def close_collection(request, task_id: int):
    """Stop taking returns (reviews of what came in go on)."""
    return _transition(request, task_id, tasks.close_task)


@router.post(
    "/collections/{task_id}/remind",
    response={200: RemindOut, **WRITE_ERRORS},
    operation_id="remind_collection",
)
def remind_collection(request, task_id: int):
    """Notify the admins of the units still missing (未报送 or 已退回), and only them."""
    task = access_managed_task(viewer(request), task_id)
    units, people = reminders.remind_missing(actor(request), task)
    return {"units": units, "people": people}


@router.get(
    "/collections/{task_id}/contacts",
    response={200: ExportOut, 404: ErrorOut},
    operation_id="export_collection_contacts",
)
def export_collection_contacts(request, task_id: int):
    """The consolidated contact sheet, row for row as the page's xlsx export."""
    task = access_managed_task(viewer(request), task_id)
    if task.is_document:
        raise Http404("export")
    return {"headers": exports.headers(), "rows": exports.contact_rows(task)}


@router.get(
    "/collection-returns/{return_id}",
    response={200: ReturnOut, 404: ErrorOut},
    operation_id="get_collection_return",
)
def get_collection_return(request, return_id: int):
    """One unit's return with its contact sheet rows or all its document versions."""
    return _return_out(access_return(viewer(request), return_id))


@router.post(
    "/collection-returns/{return_id}/contacts",
    response={200: ReturnOut, **WRITE_ERRORS},
    operation_id="submit_contact_return",
)
def submit_contact_return(request, return_id: int, payload: ContactSheetIn):
    """Save the contact sheet as typed (a draft; ``problems`` lists what is still wrong);
    with ``confirm`` submit it, which needs every field valid and the scan attached (422
    otherwise, the draft kept)."""
    collection_return = access_return(viewer(request), return_id)
    rows = {role: getattr(payload, role).dict() for role in ("leader", "contact", "admin")}
    problems = returns.save_contacts(actor(request), collection_return, rows)
    if payload.confirm:
        returns.confirm_contacts(actor(request), collection_return)
    return _return_out(collection_return, problems)


@router.post(
    "/collection-returns/{return_id}/scan",
    response={200: ReturnOut, **WRITE_ERRORS},
    operation_id="upload_contact_scan",
)
def upload_contact_scan(request, return_id: int, file: File[UploadedFile]):
    """The stamped contact sheet (multipart; PDF, JPG or PNG up to 20 MB, by content)."""
    collection_return = access_return(viewer(request), return_id)
    returns.attach_scan(actor(request), collection_return, file)
    return _return_out(collection_return)


@router.post(
    "/collection-returns/{return_id}/versions",
    response={201: ReturnOut, **WRITE_ERRORS},
    operation_id="submit_document_version",
)
def submit_document_version(
    request, return_id: int, file: File[UploadedFile], payload: Form[VersionIn]
):
    """A new version of the document (multipart; PDF or Word up to 20 MB, by content),
    which submits the return for review; earlier versions are kept."""
    collection_return = access_return(viewer(request), return_id)
    returns.add_version(actor(request), collection_return, file, payload.note)
    return Status(201, _return_out(collection_return))


@router.post(
    "/collection-returns/{return_id}/approve",
    response={200: ReturnOut, **WRITE_ERRORS},
    operation_id="approve_collection_return",
)
def approve_collection_return(request, return_id: int, payload: CollectionReviewIn):
    """审定通过 (the issuing side only)."""
    collection_return = access_return(viewer(request), return_id)
    returns.approve(actor(request), collection_return, payload.comment)
    return _return_out(collection_return)


@router.post(
    "/collection-returns/{return_id}/return",
    response={200: ReturnOut, **WRITE_ERRORS},
    operation_id="return_collection_return",
)
def return_collection_return(request, return_id: int, payload: CollectionReviewIn):
    """退回修改 with comments (required); the unit's admins are notified."""
    collection_return = access_return(viewer(request), return_id)
    returns.send_back(actor(request), collection_return, payload.comment)
    return _return_out(collection_return)
