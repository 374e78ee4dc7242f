"""三个课堂 replays, 网络集体备课 and workload through the API, scoped like their pages.

A replay is uploaded with the resumable upload (``create_upload``, tus) with metadata
``purpose=classroom_replay`` and ``session=<id>`` or ``lesson=<id>``; the operations here read
its processing state and take it off.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from youke.api.common import actor, guarded, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_classroom_work import (
    AnnotationIn,
    AnnotationOut,
    ClassroomIndicatorFilters,
    ClassroomTargetIn,
    ClassroomTargetOut,
    ConcludeIn,
    IndicatorsOut,
    PrepDetailOut,
    PrepIn,
    PrepOut,
    ReplayOut,
    ReviseIn,
    VersionOut,
    WeightsIn,
    WeightsOut,
    WorkloadCreditOut,
    WorkloadFilters,
    WorkloadHourRulesIn,
    WorkloadHourRulesOut,
    WorkloadRowOut,
)
from youke.classrooms import rules
from youke.classrooms.access import access_lesson, access_prep, access_session
from youke.classrooms.domain import preparation, replays, workload
from youke.classrooms.models import Studio, Term
from youke.media.enums import AssetState
from youke.orgs.models import Unit

router = Router(tags=["classrooms"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _replay_out(upload, url_name: str, key: int) -> dict:
    if upload is None:
        return {"state": ""}
    asset = replays.replay_asset(upload)
    out = {
        "upload_id": upload.pk,
        "filename": upload.filename,
        "uploaded_at": upload.completed_at,
        "state": "processing",
    }
    if asset is None or asset.state in (AssetState.QUEUED, AssetState.PROCESSING):
        return out
    if asset.state == AssetState.FAILED:
        return out | {"state": "failed", "error": asset.error}
    return out | {
        "state": "ready",
        "duration_seconds": float(asset.duration_seconds) if asset.duration_seconds else None,
        "play_url": reverse(f"{url_name}_play", args=[key]),
        "hls_url": reverse(f"{url_name}_hls", args=[key, "master.m3u8"])
        if asset.hls_master
        else "",
    }


@router.get(
    "/classrooms/sessions/{session_id}/replay",
    response={200: ReplayOut, 404: ErrorOut},
    operation_id="get_session_replay",
)
def get_session_replay(request, session_id: int):
    """The session's replay and its processing state (its groups' people and staff in scope)."""
    session = access_session(viewer(request), session_id)
    return _replay_out(session.replay, "public_classrooms:replay", session.pk)


@router.delete(
    "/classrooms/sessions/{session_id}/replay",
    response={200: ReplayOut, **WRITE_ERRORS},
    operation_id="remove_session_replay",
)
def remove_session_replay(request, session_id: int):
    """Take the replay off (the host teacher or the host school's admin)."""
    session = access_session(viewer(request), session_id)
    guarded(lambda: replays.remove_replay(actor(request), session))
    return {"state": ""}


@router.get(
    "/classrooms/lessons/{lesson_id}/replay",
    response={200: ReplayOut, 404: ErrorOut},
    operation_id="get_lesson_replay",
)
def get_lesson_replay(request, lesson_id: int):
    lesson = access_lesson(viewer(request), lesson_id)
    return _replay_out(lesson.replay, "portal_classrooms:lesson_replay", lesson.pk)


@router.delete(
    "/classrooms/lessons/{lesson_id}/replay",
    response={200: ReplayOut, **WRITE_ERRORS},
    operation_id="remove_lesson_replay",
)
def remove_lesson_replay(request, lesson_id: int):
    lesson = access_lesson(viewer(request), lesson_id)
    guarded(lambda: replays.remove_replay(actor(request), lesson))
    return {"state": ""}


# --- 网络集体备课 ------------------------------------------------------------------------------


@router.get("/classrooms/preps", response=list[PrepOut], operation_id="list_preps")
@paginated
def list_preps(request):
    """集体备课 of the studios the caller takes part in (and, for staff, in their scope)."""
    return rules.preps_visible_to(viewer(request)).order_by("-created_at", "-id")


@router.get(
    "/classrooms/preps/{prep_id}",
    response={200: PrepDetailOut, 404: ErrorOut},
    operation_id="get_prep",
)
def get_prep(request, prep_id: int):
    """Every version with its paragraphs and annotations."""
    return access_prep(viewer(request), prep_id)


@router.post(
    "/classrooms/preps", response={201: PrepDetailOut, **WRITE_ERRORS}, operation_id="start_prep"
)
def start_prep(request, payload: PrepIn):
    """Share a draft design in a studio (its host or a member; trainees annotate only)."""
    person = viewer(request)
    studio = Studio.objects.select_related("host", "unit").filter(pk=payload.studio).first()
    if studio is None or not rules.studio_participant(person, studio):
        raise Http404("studio")
    prep = guarded(
        lambda: preparation.start_prep(
            actor(request), studio, title=payload.title, text=payload.text
        )
    )
    return Status(201, access_prep(person, prep.pk))


@router.post(
    "/classrooms/preps/{prep_id}/annotations",
    response={201: AnnotationOut, **WRITE_ERRORS},
    operation_id="annotate_prep",
)
def annotate_prep(request, prep_id: int, payload: AnnotationIn):
    """Comment on paragraph ``paragraph`` (1-based) of the latest version, or on the whole."""
    prep = access_prep(viewer(request), prep_id)
    note = guarded(
        lambda: preparation.annotate(
            actor(request), prep, body=payload.body, paragraph=payload.paragraph
        )
    )
    return Status(201, note)


@router.post(
    "/classrooms/preps/{prep_id}/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    operation_id="revise_prep",
)
def revise_prep(request, prep_id: int, payload: ReviseIn):
    """The host posts a revised version (earlier versions are kept)."""
    prep = access_prep(viewer(request), prep_id)
    version = guarded(
        lambda: preparation.revise(actor(request), prep, text=payload.text, note=payload.note)
    )
    return Status(201, version)


@router.post(
    "/classrooms/preps/{prep_id}/conclude",
    response={200: PrepDetailOut, **WRITE_ERRORS},
    operation_id="conclude_prep",
)
def conclude_prep(request, prep_id: int, payload: ConcludeIn):
    """The host's summary ends the session."""
    prep = access_prep(viewer(request), prep_id)
    guarded(lambda: preparation.conclude(actor(request), prep, summary=payload.summary))
    return access_prep(viewer(request), prep_id)


# --- workload --------------------------------------------------------------------------------


def _row_out(row) -> dict:
    return {
        "person_id": row.person_id,
        "full_name": row.full_name,
        "unit_name": row.unit_name,
        "counts": row.counts,
        "weights": {k: float(v) for k, v in row.weights.items()},
        "total": float(row.total),
    }


def _workload_term(terms, term_id: int | None) -> Term:
    from youke.manage.views.classroom_workload import pick_term

    term = pick_term(terms, str(term_id) if term_id else "")
    if term is None:
        raise Http404("term")
    return term


@router.get(
    "/classrooms/workload",
    response={200: list[WorkloadRowOut], 404: ErrorOut},
    operation_id="get_classroom_workload",
)
def get_classroom_workload(request, filters: Query[WorkloadFilters]):
    """Per-teacher 三个课堂 work of the caller's subtree in a term (default: the current),
    with the weights that apply to each teacher; heaviest first."""
    from youke.manage.views.classrooms import visible_terms

    person = viewer(request)
    if not rules.is_staff(person):
        raise Http404("not staff")
    term = _workload_term(visible_terms(person), filters.term)
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    return [_row_out(r) for r in workload.workload_rows(term, paths=paths)]


@router.get(
    "/classrooms/workload/mine",
    response={200: WorkloadRowOut, 404: ErrorOut},
    operation_id="get_my_classroom_workload",
)
def get_my_classroom_workload(request, filters: Query[WorkloadFilters]):
    person = viewer(request)
    terms = Term.objects.filter(unit__path__in=workload.ancestor_paths(person.unit.path))
    term = _workload_term(terms, filters.term)
    rows = workload.workload_rows(term, person=person)
    if rows:
        return _row_out(rows[0])
    weights = workload.weights_for(person.unit)
    return {
        "person_id": person.pk,
        "full_name": person.full_name,
        "unit_name": person.unit.name,
        "counts": {},
        "weights": {k: float(v) for k, v in weights.items()},
        "total": 0.0,
    }


@router.put(
    "/classrooms/workload/weights",
    response={200: WeightsOut, **WRITE_ERRORS},
    operation_id="set_workload_weights",
)
def set_workload_weights(request, payload: WeightsIn):
    """A county/city admin's weights (hours per activity) for their region."""
    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None or not workload.can_set_weights(viewer(request), unit):
        raise Http404("unit")
    found = guarded(lambda: workload.set_weights(actor(request), unit, payload.weights))
    return {"unit_id": unit.pk, "weights": {k: float(v) for k, v in found.items()}}


# --- workload → training hours (issue 12 item 10) -------------------------------------------


def _rules_out(unit, found) -> dict:
    return {
        "unit_id": unit.pk,
        "rules": {
            kind: {
                "hours": float(rule.hours),
                "cap": float(rule.cap) if rule.cap is not None else None,
                "unit_path": rule.unit_path,
            }
            for kind, rule in found.items()
        },
    }


@router.put(
    "/classrooms/workload/hour-rules",
    response={200: WorkloadHourRulesOut, **WRITE_ERRORS},
    operation_id="set_workload_hour_rules",
)
def set_workload_hour_rules(request, payload: WorkloadHourRulesIn):
    """A county/city admin's training-hour rules for 三个课堂 work in their region (hours per
    item and an optional cap per term; ``hours`` null removes the region's own rule).
    Answers the rules that apply at the unit, with the unit that set each."""
    from youke.training.domain import workload_rules

    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None or not workload.can_set_weights(viewer(request), unit):
        raise Http404("unit")
    values = {
        kind: (
            "" if rule.hours is None else str(rule.hours),
            "" if rule.cap is None else str(rule.cap),
        )
        for kind, rule in payload.rules.items()
    }
    found = guarded(lambda: workload_rules.set_rules(actor(request), unit, values))
    return _rules_out(unit, found)


@router.post(
    "/classrooms/terms/{term_id}/workload-hours",
    response={200: WorkloadCreditOut, **WRITE_ERRORS},
    operation_id="credit_workload_hours",
)
def credit_workload_hours(request, term_id: int):
    """计入学时: credit (or recount) an ended term's 三个课堂 workload hours in the training
    ledger, once per teacher × term × work kind."""
    from youke.manage.views.classrooms import visible_terms
    from youke.training.domain import ledger

    term = visible_terms(viewer(request)).filter(pk=term_id).first()
    if term is None:
        raise Http404("term")
    done = guarded(lambda: ledger.credit_workload_term(actor(request), term))
    summary = ledger.workload_summary(term)
    return {
        "term_id": term.pk,
        "credited": done.credited,
        "recounted": done.recounted,
        "reversed": done.reversed,
        "unchanged": done.unchanged,
        "teachers": summary["teachers"],
        "hours": float(summary["hours"]),
    }


@router.put(
    "/classrooms/indicator-targets",
    response={200: ClassroomTargetOut, **WRITE_ERRORS},
    operation_id="set_classroom_indicator_target",
)
def set_classroom_indicator_target(request, payload: ClassroomTargetIn):
    """A province (or higher) admin's target for a 三个课堂 indicator of the monitoring
    registry, for a unit type (``area_type`` urban/county, blank for every unit)."""
    from decimal import Decimal

    from youke.monitoring.domain import classroom_source
    from youke.monitoring.enums import TERM_MEASURES
    from youke.monitoring.models import Indicator

    person = viewer(request)
    if not classroom_source.can_set_term_targets(person):
        raise Http404("targets")
    classroom_source.ensure_defaults()
    indicator = Indicator.objects.filter(key=payload.indicator, measure__in=TERM_MEASURES).first()
    if indicator is None:
        raise Http404("indicator")
    value = None if payload.value is None else Decimal(str(payload.value))
    guarded(
        lambda: classroom_source.set_term_target(
            actor(request), indicator, payload.area_type, value
        )
    )
    target = next(t for t in classroom_source.term_targets() if t.indicator.pk == indicator.pk)
    return {"indicator": indicator.key, "targets": {k: float(v) for k, v in target.by_area.items()}}


# --- indicators ------------------------------------------------------------------------------


def _indicator_row(row, cells=None) -> dict:
    return {
        "lights": {key: cell.light for key, cell in (cells or {}).items()},
        "unit_id": row.unit.pk if row.key != "own" else None,
        "name": row.name,
        "rank": row.rank,
        "values": {
            k: (float(v) if v is not None and not isinstance(v, int) else v)
            for k, v in row.values.items()
        },
    }


@router.get(
    "/classrooms/indicators",
    response={200: IndicatorsOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="get_classroom_indicators",
)
def get_classroom_indicators(request, filters: Query[ClassroomIndicatorFilters]):
    """三个课堂 indicators of a unit in the caller's scope for a term, children ranked by
    ``sort`` (periods_per_week, held_rate, attendance_rate, new_subjects, duty_rate,
    shared_courses)."""
    from youke.classrooms.domain import indicators
    from youke.manage.views.classroom_workload import _covered, indicator_units
    from youke.manage.views.classrooms import visible_terms

    person = viewer(request)
    if not rules.is_staff(person):
        raise Http404("not staff")
    if filters.sort not in indicators.KEYS:
        raise ValidationError(
            {"sort": [_("排序须是以下之一：%(keys)s。") % {"keys": "、".join(indicators.KEYS)}]}
        )
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).first()
        if unit is None or not _covered(person, unit):
            raise Http404("unit")
    else:
        units = indicator_units(person)
        if not units:
            raise Http404("unit")
        unit = units[0]
    term = _workload_term(visible_terms(person), filters.term)
    from youke.monitoring.domain import classroom_source

    total, rows = indicators.unit_indicators(term, unit, sort=filters.sort)
    targets = classroom_source.term_targets()
    return {
        "term_id": term.pk,
        "unit_id": unit.pk,
        "total": _indicator_row(total, classroom_source.cells_for(total, targets)),
        "children": [_indicator_row(r, classroom_source.cells_for(r, targets)) for r in rows],
    }
