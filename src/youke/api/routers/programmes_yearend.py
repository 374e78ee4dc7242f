"""Year-end reports of a programme and the 择优推荐 of typical cases through the API.

Scoped like the pages: a report is the programme managers' (else 404); a return is its
unit's and the issuing bureau's (another county: 404); a case is visible from the units it
passed through and the unit it is about. Uploading the report document and its review
(审定) are the collection operations (``submit_document_version``,
``approve_collection_return``, ``return_collection_return``).
"""

from typing import Literal

from django.http import FileResponse, Http404
from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_yearend import (
    TypicalCaseDecisionIn,
    TypicalCaseFilters,
    TypicalCaseForwardIn,
    TypicalCaseIn,
    TypicalCaseOut,
    YearEndConsolidateOut,
    YearEndEntriesIn,
    YearEndEntriesOut,
    YearEndOpenIn,
    YearEndReportOut,
)
from youke.collections import rules as collection_rules
from youke.programmes.access import (
    access_case,
    access_managed_programme,
    access_report,
    access_yearend_return,
)
from youke.programmes.domain import cases, yearend
from youke.programmes.models import YearEndEntry

router = Router(tags=["programmes"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _report(person, report) -> dict:
    rows = (
        collection_rules.returns_visible_to(person)
        .filter(task_id=report.collection_id)
        .select_related("unit", "task")
        .order_by("unit__path")
    )
    return {
        "id": report.pk,
        "programme_id": report.programme_id,
        "year": report.year,
        "collection_id": report.collection_id,
        "title": report.collection.title,
        "deadline": report.collection.deadline,
        "consolidated_at": report.consolidated_at,
        "returns": [
            {"id": r.pk, "unit": r.unit, "status": r.status, "submitted_at": r.submitted_at}
            for r in rows
        ],
        "rows": yearend.consolidated_rows(report),
    }


def _entries(report, collection_return, problems) -> dict:
    return {
        "entries": [
            {
                "task": task.pk,
                "task_title": task.title,
                "done": entry.done if entry else "",
                "percent": entry.percent if entry else None,
                "problems": entry.problems if entry else "",
                "next_steps": entry.next_steps if entry else "",
                "evidence": [e.pk for e in entry.evidence.all()] if entry else [],
            }
            for task, entry in yearend.entry_rows(report, collection_return)
        ],
        "problems": problems,
    }


def _case(case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "report_id": case.report_id,
        "return_id": case.collection_return_id,
        "entry_id": case.entry_id,
        "unit": case.collection_return.unit,
        "from_unit": case.from_unit,
        "to_unit": case.to_unit,
        "previous_id": case.previous_id,
        "state": case.state,
        "reason": case.reason,
        "comment": case.comment,
        "created_at": case.created_at,
        "decided_at": case.decided_at,
    }


@router.post(
    "/programmes/{int:programme_id}/yearend",
    response={201: YearEndReportOut, **WRITE_ERRORS},
    operation_id="open_yearend_report",
)
def open_yearend_report(request, programme_id: int, payload: YearEndOpenIn):
    """Open the year's 年度报告 collection, sent to the programme's responsible units."""
    person = viewer(request)
    programme = access_managed_programme(person, programme_id)
    report = yearend.open_report(
        actor(request),
        programme,
        year=payload.year,
        deadline=payload.deadline,
        instructions=payload.instructions,
    )
    return Status(201, _report(person, report))


@router.get(
    "/programmes/yearend/{int:report_id}",
    response={200: YearEndReportOut, 404: ErrorOut},
    operation_id="get_yearend_report",
)
def get_yearend_report(request, report_id: int):
    """Every unit's status and the consolidated rows (area → task → unit)."""
    person = viewer(request)
    return _report(person, access_report(person, report_id))


@router.post(
    "/programmes/yearend/{int:report_id}/consolidate",
    response={202: YearEndConsolidateOut, **WRITE_ERRORS},
    operation_id="consolidate_yearend_report",
)
def consolidate_yearend_report(request, report_id: int):
    """Queue the consolidated PDF and xlsx (downloaded from the report's page)."""
    report = access_report(viewer(request), report_id)
    job = yearend.start_consolidation(actor(request), report)
    return Status(202, {"job_id": job.pk, "state": job.state})


@router.get(
    "/programmes/yearend/{int:report_id}/consolidated.{kind}",
    response={200: None, 404: ErrorOut},
    operation_id="download_yearend_consolidation",
)
def download_yearend_consolidation(request, report_id: int, kind: Literal["pdf", "xlsx"]):
    """The consolidated report (PDF or xlsx) once ``consolidate_yearend_report`` has built
    it; 404 before that, and for a report the caller does not own."""
    report = access_report(viewer(request), report_id)
    found = yearend.consolidated_file(report, kind)
    if found is None:
        raise Http404("file")
    handle, content_type, name = found
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@router.get(
    "/programmes/yearend/returns/{int:return_id}/entries",
    response={200: YearEndEntriesOut, 404: ErrorOut},
    operation_id="get_yearend_entries",
)
def get_yearend_entries(request, return_id: int):
    """The unit's entry per task it is responsible for, and what still blocks submitting."""
    collection_return, report = access_yearend_return(viewer(request), return_id)
    return _entries(report, collection_return, yearend.entry_errors(report, collection_return))


@router.put(
    "/programmes/yearend/returns/{int:return_id}/entries",
    response={200: YearEndEntriesOut, **WRITE_ERRORS},
    operation_id="save_yearend_entries",
)
def save_yearend_entries(request, return_id: int, payload: YearEndEntriesIn):
    """Save what is given (fields left out keep their value); a bad percentage is named in
    ``problems`` and the rest is kept."""
    collection_return, report = access_yearend_return(viewer(request), return_id)
    rows = {
        entry.task: entry.model_dump(exclude_none=True, exclude={"task"})
        for entry in payload.entries
    }
    problems = yearend.save_entries(actor(request), collection_return, rows)
    return _entries(report, collection_return, problems)


@router.post(
    "/programmes/yearend/returns/{int:return_id}/cases",
    response={201: TypicalCaseOut, **WRITE_ERRORS},
    operation_id="recommend_case",
)
def recommend_case(request, return_id: int, payload: TypicalCaseIn):
    """Recommend an approved return (or one entry) as a typical case to the level above."""
    collection_return, report = access_yearend_return(viewer(request), return_id)
    entry = None
    if payload.entry is not None:
        entry = YearEndEntry.objects.filter(
            pk=payload.entry, collection_return=collection_return
        ).first()
        if entry is None:
            raise Http404("entry")
    case = cases.recommend(
        actor(request),
        report,
        collection_return,
        entry=entry,
        title=payload.title,
        reason=payload.reason,
    )
    return Status(201, _case(case))


@router.get("/programmes/cases", response=list[TypicalCaseOut], operation_id="list_cases")
@paginated
def list_cases(request, filters: Query[TypicalCaseFilters]):
    """Cases the caller may see, newest first; ``inbox`` for those sent to their units."""
    person = viewer(request)
    found = cases.inbox(person) if filters.inbox else cases.cases_visible_to(person)
    if filters.state:
        found = found.filter(state=filters.state)
    found = found.select_related("from_unit", "to_unit", "collection_return__unit")
    return [_case(case) for case in found]


@router.post(
    "/programmes/cases/{int:case_id}/decision",
    response={200: TypicalCaseOut, **WRITE_ERRORS},
    operation_id="decide_case",
)
def decide_case(request, case_id: int, payload: TypicalCaseDecisionIn):
    """Accept (采纳) or return (退回, with a comment) a case sent to the caller's unit."""
    case = access_case(viewer(request), case_id)
    return _case(cases.decide(actor(request), case, payload.accept, payload.comment))


@router.post(
    "/programmes/cases/{int:case_id}/forward",
    response={201: TypicalCaseOut, **WRITE_ERRORS},
    operation_id="forward_case",
)
def forward_case(request, case_id: int, payload: TypicalCaseForwardIn):
    """Recommend an accepted case one level further up."""
    case = access_case(viewer(request), case_id)
    return Status(201, _case(cases.forward(actor(request), case, reason=payload.reason)))
