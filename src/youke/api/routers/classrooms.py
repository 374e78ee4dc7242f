"""专递课堂 through the API: terms, groups, timetable, sessions, attendance, registry.

Objects are reached through the same scope twins as the pages (``classrooms.rules``):
another unit's ids answer 404, the domain's refusals (clashes, bad counts) answer 422.
"""

from django.http import Http404
from ninja import Query, Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_classrooms import (
    AttendanceIn,
    AttendanceOut,
    CancelIn,
    ClassroomIn,
    ClassroomOut,
    GeneratedOut,
    GroupDetailOut,
    GroupIn,
    GroupOut,
    LocalPeriodIn,
    OkOut,
    PeriodIn,
    PeriodOut,
    RegistryFilters,
    RegistryRowOut,
    SessionFilters,
    SessionOut,
    SubstituteIn,
    TermDayIn,
    TermIn,
    TermOut,
)
from youke.classrooms import rules
from youke.classrooms.access import access_group, access_session
from youke.classrooms.domain import attendance, registry, sessions, timetable
from youke.classrooms.models import ClassSession, ReceivingClassroom, Term
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit

router = Router(tags=["classrooms"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _terms(person):
    from youke.manage.views.classrooms import visible_terms

    return visible_terms(person)


def _term(person, term_id: int) -> Term:
    term = _terms(person).filter(pk=term_id).first()
    if term is None:
        raise Http404("term")
    return term


def _region(person, unit_id: int) -> Unit:
    """A county/city the caller may register in; 404 otherwise."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not rules.can_register_groups(person, unit):
        raise Http404("unit")
    return unit


def _guarded(call):
    try:
        return call()
    except PermissionDenied as exc:
        raise Http404("not yours") from exc


@router.post(
    "/classrooms/terms", response={201: TermOut, **WRITE_ERRORS}, operation_id="create_term"
)
def create_term(request, payload: TermIn):
    """A semester calendar of a county or city (receiving schools' required subjects too)."""
    unit = _region(viewer(request), payload.unit)
    term = timetable.create_term(
        actor(request),
        unit,
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        required_subjects=payload.required_subjects,
    )
    return Status(201, term)


@router.get("/classrooms/terms", response=list[TermOut], operation_id="list_terms")
@paginated
def list_terms(request):
    return _terms(viewer(request)).order_by("-starts_on", "id")


@router.put(
    "/classrooms/terms/{term_id}/days",
    response={200: TermOut, **WRITE_ERRORS},
    operation_id="set_term_day",
)
def set_term_day(request, term_id: int, payload: TermDayIn):
    """Record a holiday or a make-up day (调休, following another weekday's timetable)."""
    term = _term(viewer(request), term_id)
    _guarded(lambda: timetable.add_term_day(actor(request), term, **payload.dict()))
    return term


@router.get("/classrooms/groups", response=list[GroupOut], operation_id="list_classroom_groups")
@paginated
def list_classroom_groups(request, term: int | None = None):
    groups = rules.groups_visible_to(viewer(request)).order_by("name", "id")
    return groups.filter(term_id=term) if term else groups


def _detail(group):
    return {
        **{
            f: getattr(group, f)
            for f in (
                "id",
                "unit_id",
                "term_id",
                "name",
                "mode",
                "host_school_id",
                "host_classroom",
                "subjects",
            )
        },
        "classrooms": [
            {
                "id": c.pk,
                "school_id": c.school_id,
                "school_name": c.school.name,
                "name": c.name,
                "students": c.students,
                "assistant_id": c.assistant_id,
            }
            for c in group.classrooms.select_related("school")
        ],
        "periods": list(group.periods.all()),
    }


@router.get(
    "/classrooms/groups/{group_id}",
    response={200: GroupDetailOut, 404: ErrorOut},
    operation_id="get_classroom_group",
)
def get_classroom_group(request, group_id: int):
    return _detail(access_group(viewer(request), group_id))


@router.post(
    "/classrooms/groups",
    response={201: GroupDetailOut, **WRITE_ERRORS},
    operation_id="register_classroom_group",
)
def register_classroom_group(request, payload: GroupIn):
    person = viewer(request)
    unit = _region(person, payload.unit)
    host = Unit.objects.filter(pk=payload.host_school).first()
    if host is None:
        raise Http404("host school")
    group = timetable.register_group(
        actor(request),
        unit,
        term=_term(person, payload.term),
        name=payload.name,
        mode=payload.mode,
        host_school=host,
        host_classroom=payload.host_classroom,
        subjects=payload.subjects,
    )
    return Status(201, _detail(group))


@router.post(
    "/classrooms/groups/{group_id}/classrooms",
    response={201: ClassroomOut, **WRITE_ERRORS},
    operation_id="add_receiving_classroom",
)
def add_receiving_classroom(request, group_id: int, payload: ClassroomIn):
    group = access_group(viewer(request), group_id)
    school = Unit.objects.filter(pk=payload.school).first()
    if school is None:
        raise Http404("school")
    assistant = None
    if payload.assistant is not None:
        assistant = Person.objects.select_related("unit").filter(pk=payload.assistant).first()
        if assistant is None:
            raise Http404("assistant")
    room = _guarded(
        lambda: timetable.add_classroom(
            actor(request),
            group,
            school=school,
            name=payload.name,
            students=payload.students,
            assistant=assistant,
        )
    )
    return Status(
        201,
        {
            "id": room.pk,
            "school_id": school.pk,
            "school_name": school.name,
            "name": room.name,
            "students": room.students,
            "assistant_id": room.assistant_id,
        },
    )


@router.post(
    "/classrooms/groups/{group_id}/periods",
    response={201: PeriodOut, **WRITE_ERRORS},
    operation_id="add_period",
)
def add_period(request, group_id: int, payload: PeriodIn):
    """Add a period to the shared timetable; a clash answers 422 naming the other class."""
    group = access_group(viewer(request), group_id)
    teacher = Person.objects.select_related("unit").filter(pk=payload.host_teacher).first()
    if teacher is None:
        raise Http404("teacher")
    values = payload.dict()
    values["host_teacher"] = teacher
    period = _guarded(lambda: timetable.save_period(actor(request), group, **values))
    return Status(201, period)


@router.post(
    "/classrooms/groups/{group_id}/classrooms/{classroom_id}/local-periods",
    response={201: OkOut, **WRITE_ERRORS},
    operation_id="add_local_period",
)
def add_local_period(request, group_id: int, classroom_id: int, payload: LocalPeriodIn):
    """A period of the receiving class's own timetable (live periods may not overlap it)."""
    group = access_group(viewer(request), group_id)
    room = ReceivingClassroom.objects.filter(group=group, pk=classroom_id).first()
    if room is None:
        raise Http404("classroom")
    local = _guarded(lambda: timetable.add_local_period(actor(request), room, **payload.dict()))
    return Status(201, {"id": local.pk})


@router.post(
    "/classrooms/groups/{group_id}/sessions/generate",
    response={200: GeneratedOut, 404: ErrorOut},
    operation_id="generate_sessions",
)
def generate_sessions(request, group_id: int):
    """Expand the timetable into sessions from now on (idempotent)."""
    group = access_group(viewer(request), group_id)
    if not rules.can_edit_timetable(viewer(request), group):
        raise Http404("group")
    made = sessions.generate_sessions([group])
    return {"created": made.created, "removed": made.removed}


@router.get("/classrooms/sessions", response=list[SessionOut], operation_id="list_class_sessions")
@paginated
def list_class_sessions(request, filters: Query[SessionFilters]):
    person = viewer(request)
    found = ClassSession.objects.filter(
        group__in=rules.groups_visible_to(person).values("pk")
    ).select_related("period")
    if filters.group:
        found = found.filter(group_id=filters.group)
    if filters.starts_from:
        found = found.filter(starts_at__gte=filters.starts_from)
    if filters.starts_before:
        found = found.filter(starts_at__lt=filters.starts_before)
    return found.order_by("starts_at", "id")


def _session_action(request, session_id, call):
    session = access_session(viewer(request), session_id)
    session = _guarded(lambda: call(actor(request), session))
    return access_session(viewer(request), session.pk)


@router.post(
    "/classrooms/sessions/{session_id}/start",
    response={200: SessionOut, **WRITE_ERRORS},
    operation_id="start_class_session",
)
def start_class_session(request, session_id: int):
    return _session_action(request, session_id, sessions.start_session)


@router.post(
    "/classrooms/sessions/{session_id}/end",
    response={200: SessionOut, **WRITE_ERRORS},
    operation_id="end_class_session",
)
def end_class_session(request, session_id: int):
    return _session_action(request, session_id, sessions.end_session)


@router.post(
    "/classrooms/sessions/{session_id}/cancel",
    response={200: SessionOut, **WRITE_ERRORS},
    operation_id="cancel_class_session",
)
def cancel_class_session(request, session_id: int, payload: CancelIn):
    return _session_action(
        request, session_id, lambda a, s: sessions.cancel_session(a, s, payload.reason)
    )


@router.post(
    "/classrooms/sessions/{session_id}/substitute",
    response={200: SessionOut, **WRITE_ERRORS},
    operation_id="substitute_class_session",
)
def substitute_class_session(request, session_id: int, payload: SubstituteIn):
    """代课: another teacher of the host school takes this session (refused if busy then)."""
    teacher = Person.objects.select_related("unit").filter(pk=payload.teacher).first()
    if teacher is None:
        raise Http404("teacher")
    return _session_action(
        request,
        session_id,
        lambda a, s: sessions.substitute_session(a, s, teacher, payload.reason),
    )


@router.put(
    "/classrooms/sessions/{session_id}/attendance/{classroom_id}",
    response={200: AttendanceOut, **WRITE_ERRORS},
    operation_id="record_attendance",
)
def record_attendance(request, session_id: int, classroom_id: int, payload: AttendanceIn):
    session = access_session(viewer(request), session_id)
    room = ReceivingClassroom.objects.filter(group_id=session.group_id, pk=classroom_id).first()
    if room is None:
        raise Http404("classroom")
    row = _guarded(
        lambda: attendance.record_attendance(actor(request), session, room, **payload.dict())
    )
    return row


@router.get(
    "/classrooms/registry",
    response={200: list[RegistryRowOut], 404: ErrorOut},
    operation_id="get_classroom_registry",
)
def get_classroom_registry(request, filters: Query[RegistryFilters]):
    """汇总备案: every school and teaching point under the unit with covered and missing subjects."""
    person = viewer(request)
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    unit = Unit.objects.filter(pk=filters.unit).first()
    if unit is None or not (paths is None or any(unit.path.startswith(p) for p in paths)):
        raise Http404("unit")
    return [row.__dict__ for row in registry.registry(unit, _term(person, filters.term))]
