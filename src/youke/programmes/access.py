"""Loading programme objects for a viewer: 404 for missing and not-yours alike."""

from __future__ import annotations

from django.http import Http404

from youke.orgs.models import Person
from youke.programmes import rules
from youke.programmes.models import EvidenceFile, Programme, RosterMember, Task


def access_programme(viewer: Person, programme_id: int) -> Programme:
    programme = (
        rules.programmes_visible_to(viewer)
        .select_related("owner_unit")
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise Http404("programme")
    return programme


def access_managed_programme(viewer: Person, programme_id: int) -> Programme:
    """A programme the viewer manages (its owner unit is in their admin scope)."""
    programme = access_programme(viewer, programme_id)
    if not rules.can_manage_programme(viewer, programme):
        raise Http404("programme")
    return programme


def access_task(viewer: Person, task_id: int) -> Task:
    task = (
        rules.tasks_visible_to(viewer)
        .select_related("programme__owner_unit", "area")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("task")
    return task


def access_roster_member(viewer: Person, member_id: int) -> RosterMember:
    member = (
        RosterMember.objects.select_related("programme__owner_unit").filter(pk=member_id).first()
    )
    if member is None or not rules.can_manage_programme(viewer, member.programme):
        raise Http404("member")
    return member


def access_evidence(viewer: Person, evidence_id: int) -> EvidenceFile:
    evidence = (
        EvidenceFile.objects.filter(task__in=rules.tasks_visible_to(viewer), pk=evidence_id)
        .select_related("task")
        .first()
    )
    if evidence is None:
        raise Http404("evidence")
    return evidence


def access_report(viewer: Person, report_id: int):
    """A year-end report of a programme the viewer manages (the bureau's side)."""
    from youke.programmes.models import YearEndReport

    report = (
        YearEndReport.objects.select_related("programme__owner_unit", "collection__issuing_unit")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not rules.can_manage_programme(viewer, report.programme):
        raise Http404("report")
    return report


def access_yearend_return(viewer: Person, return_id: int):
    """A year-end return the viewer fills or follows, with its report; 404 otherwise."""
    from youke.collections import rules as collection_rules
    from youke.programmes.models import YearEndReport

    collection_return = (
        collection_rules.returns_visible_to(viewer)
        .select_related("task__issuing_unit", "unit")
        .filter(pk=return_id)
        .first()
    )
    report = (
        YearEndReport.objects.select_related("programme__owner_unit", "collection")
        .filter(collection_id=collection_return.task_id)
        .first()
        if collection_return is not None
        else None
    )
    if report is None:
        raise Http404("collection return")
    return collection_return, report


def access_case(viewer: Person, case_id: int):
    from youke.programmes.domain.cases import cases_visible_to

    case = (
        cases_visible_to(viewer)
        .select_related(
            "from_unit",
            "to_unit",
            "report__programme",
            "collection_return__unit",
            "entry__task__area",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("case")
    return case
