"""名师课堂 and 名校网络课堂 through the API, scoped like their pages (404 outside scope)."""

from django.http import Http404
from ninja import Query, Router, Status

from youke.api.common import actor, guarded, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_classrooms import (
    CourseIn,
    CourseOut,
    CourseWithdrawIn,
    DemoLessonOut,
    DutyFilters,
    DutyRowOut,
    EvaluationIn,
    LessonIn,
    MasterIn,
    MasterOut,
    OkOut,
    PilotIn,
    PilotOut,
    PlannedLessonIn,
    PostIn,
    RecordingIn,
    RecordingUploadIn,
    ReviewIn,
    StudioIn,
    StudioMemberIn,
    StudioOut,
    SummaryIn,
)
from youke.classrooms import rules
from youke.classrooms.access import access_course, access_lesson
from youke.classrooms.domain import duty, masters, network
from youke.classrooms.enums import LessonState
from youke.classrooms.models import DiscussionPost, PlannedLesson, Studio
from youke.orgs.models import Person, Unit

router = Router(tags=["classrooms"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404("unit")
    return unit


def _person(person_id: int) -> Person:
    person = Person.objects.select_related("unit").filter(pk=person_id).first()
    if person is None:
        raise Http404("person")
    return person


def _master(request, master_id: int):
    master = (
        rules.masters_visible_to(viewer(request))
        .select_related("person", "unit")
        .filter(pk=master_id)
        .first()
    )
    if master is None:
        raise Http404("master")
    return master


def _master_out(m):
    return {
        "id": m.pk,
        "person_id": m.person_id,
        "full_name": m.person.full_name,
        "unit_id": m.unit_id,
        "title": m.title,
        "subject": m.subject,
    }


@router.get("/classrooms/masters", response=list[MasterOut], operation_id="list_master_teachers")
@paginated
def list_master_teachers(request):
    masters_ = rules.masters_visible_to(viewer(request)).select_related("person").order_by("id")
    return [_master_out(m) for m in masters_]


@router.post(
    "/classrooms/masters",
    response={201: MasterOut, **WRITE_ERRORS},
    operation_id="register_master_teacher",
)
def register_master_teacher(request, payload: MasterIn):
    """Register a special-grade teacher, subject leader or city master teacher (R16)."""
    unit, person = _unit(payload.unit), _person(payload.person)
    master = guarded(
        lambda: masters.register_master(
            actor(request), unit, person, title=payload.title, subject=payload.subject
        )
    )
    return Status(201, _master_out(master))


@router.post(
    "/classrooms/studios", response={201: StudioOut, **WRITE_ERRORS}, operation_id="create_studio"
)
def create_studio(request, payload: StudioIn):
    master = _master(request, payload.host)
    studio = guarded(
        lambda: masters.create_studio(
            actor(request), master, name=payload.name, subject=payload.subject
        )
    )
    return Status(201, studio)


@router.post(
    "/classrooms/studios/{studio_id}/members",
    response={201: OkOut, **WRITE_ERRORS},
    operation_id="add_studio_member",
)
def add_studio_member(request, studio_id: int, payload: StudioMemberIn):
    studio = (
        Studio.objects.filter(pk=studio_id, host__in=rules.masters_visible_to(viewer(request)))
        .select_related("host", "unit")
        .first()
    )
    if studio is None:
        raise Http404("studio")
    member = guarded(
        lambda: masters.add_studio_member(
            actor(request), studio, _person(payload.person), role=payload.role
        )
    )
    return Status(201, {"id": member.pk})


@router.get("/classrooms/lessons", response=list[DemoLessonOut], operation_id="list_demo_lessons")
@paginated
def list_demo_lessons(request):
    return rules.lessons_visible_to(viewer(request)).order_by("-starts_at", "id")


@router.post(
    "/classrooms/lessons",
    response={201: DemoLessonOut, **WRITE_ERRORS},
    operation_id="schedule_demo_lesson",
)
def schedule_demo_lesson(request, payload: LessonIn):
    master = _master(request, payload.master)
    studio = None
    if payload.studio is not None:
        studio = Studio.objects.filter(pk=payload.studio, host=master).first()
        if studio is None:
            raise Http404("studio")
    values = payload.dict(exclude={"master", "studio"})
    lesson = guarded(
        lambda: masters.schedule_lesson(actor(request), master, studio=studio, **values)
    )
    return Status(201, lesson)


@router.post(
    "/classrooms/lessons/{lesson_id}/registrations",
    response={201: OkOut, **WRITE_ERRORS},
    operation_id="register_for_lesson",
)
def register_for_lesson(request, lesson_id: int):
    lesson = access_lesson(viewer(request), lesson_id)
    registration = masters.register_for_lesson(actor(request), lesson)
    return Status(201, {"id": registration.pk})


@router.put(
    "/classrooms/lessons/{lesson_id}/evaluation",
    response={200: OkOut, **WRITE_ERRORS},
    operation_id="evaluate_lesson",
)
def evaluate_lesson(request, lesson_id: int, payload: EvaluationIn):
    """评课 against the observation form; one per person, a second call replaces it."""
    lesson = access_lesson(viewer(request), lesson_id)
    evaluation = guarded(lambda: masters.evaluate_lesson(actor(request), lesson, **payload.dict()))
    return {"id": evaluation.pk}


@router.post(
    "/classrooms/lessons/{lesson_id}/posts",
    response={201: OkOut, **WRITE_ERRORS},
    operation_id="post_lesson_discussion",
)
def post_lesson_discussion(request, lesson_id: int, payload: PostIn):
    lesson = access_lesson(viewer(request), lesson_id)
    reply_to = None
    if payload.reply_to is not None:
        reply_to = DiscussionPost.objects.filter(lesson=lesson, pk=payload.reply_to).first()
        if reply_to is None:
            raise Http404("post")
    post = masters.post_discussion(actor(request), lesson, payload.body, reply_to)
    return Status(201, {"id": post.pk})


@router.put(
    "/classrooms/lessons/{lesson_id}/summary",
    response={200: DemoLessonOut, **WRITE_ERRORS},
    operation_id="summarise_lesson",
)
def summarise_lesson(request, lesson_id: int, payload: SummaryIn):
    lesson = access_lesson(viewer(request), lesson_id)
    return guarded(lambda: masters.summarise_lesson(actor(request), lesson, payload.summary))


@router.post(
    "/classrooms/lessons/{lesson_id}/cancel",
    response={200: DemoLessonOut, **WRITE_ERRORS},
    operation_id="cancel_demo_lesson",
)
def cancel_demo_lesson(request, lesson_id: int):
    lesson = access_lesson(viewer(request), lesson_id)
    return guarded(lambda: masters.set_lesson_state(actor(request), lesson, LessonState.CANCELLED))


@router.get(
    "/classrooms/duty",
    response={200: list[DutyRowOut], 404: ErrorOut},
    operation_id="get_master_duty",
)
def get_master_duty(request, filters: Query[DutyFilters]):
    """R16 per semester: each registered master's lessons, reviewed lessons, reviews written."""
    from youke.api.routers.classrooms import _term

    person = viewer(request)
    term = _term(person, filters.term)
    paths = rules.role_paths(person, rules.STAFF_ROLES)
    if paths is not None and not paths:
        raise Http404("term")
    units = [term.unit] if paths is None else list(Unit.objects.filter(path__in=paths))
    rows = []
    for unit in units:
        rows.extend(row.__dict__ for row in duty.duty_rows(term, unit))
    return rows


# --- 名校网络课堂 ------------------------------------------------------------------------------


def _pilot_out(p):
    return {"id": p.pk, "school_id": p.school_id, "school_name": p.school.name, "kind": p.kind}


@router.get("/classrooms/pilots", response=list[PilotOut], operation_id="list_pilot_schools")
@paginated
def list_pilot_schools(request):
    from youke.manage.views.classrooms_programmes import _pilots

    return [_pilot_out(p) for p in _pilots(viewer(request)).order_by("id")]


@router.post(
    "/classrooms/pilots",
    response={201: PilotOut, **WRITE_ERRORS},
    operation_id="register_pilot_school",
)
def register_pilot_school(request, payload: PilotIn):
    unit, school = _unit(payload.unit), _unit(payload.school)
    pilot = guarded(lambda: network.register_pilot(actor(request), unit, school, kind=payload.kind))
    return Status(201, _pilot_out(pilot))


def _course_out(course):
    return {
        "id": course.pk,
        "pilot_id": course.pilot_id,
        "title": course.title,
        "subject": course.subject,
        "grade": course.grade,
        "state": course.state,
        "review_round": course.review_round,
        "reviews": list(course.reviews.all()),
        "lessons": course.lessons.count(),
    }


@router.get("/classrooms/courses", response=list[CourseOut], operation_id="list_network_courses")
@paginated
def list_network_courses(request):
    courses = rules.courses_visible_to(viewer(request)).prefetch_related("reviews").order_by("id")
    return [_course_out(c) for c in courses]


@router.post(
    "/classrooms/courses",
    response={201: CourseOut, **WRITE_ERRORS},
    operation_id="create_network_course",
)
def create_network_course(request, payload: CourseIn):
    from youke.manage.views.classrooms_programmes import _pilots

    pilot = _pilots(viewer(request)).filter(pk=payload.pilot).first()
    if pilot is None:
        raise Http404("pilot")
    course = guarded(
        lambda: network.create_course(
            actor(request), pilot, title=payload.title, subject=payload.subject, grade=payload.grade
        )
    )
    return Status(201, _course_out(course))


@router.post(
    "/classrooms/courses/{course_id}/lessons",
    response={201: OkOut, **WRITE_ERRORS},
    operation_id="add_planned_lesson",
)
def add_planned_lesson(request, course_id: int, payload: PlannedLessonIn):
    course = access_course(viewer(request), course_id)
    values = payload.dict()
    values["teacher"] = _person(payload.teacher)
    lesson = guarded(lambda: network.add_planned_lesson(actor(request), course, **values))
    return Status(201, {"id": lesson.pk})


@router.put(
    "/classrooms/courses/{course_id}/lessons/{lesson_id}/recording",
    response={200: OkOut, **WRITE_ERRORS},
    operation_id="set_lesson_recording",
)
def set_lesson_recording(request, course_id: int, lesson_id: int, payload: RecordingIn):
    course = access_course(viewer(request), course_id)
    lesson = (
        PlannedLesson.objects.filter(course=course, pk=lesson_id)
        .select_related("course__pilot__school")
        .first()
    )
    if lesson is None:
        raise Http404("lesson")
    guarded(lambda: network.set_recording(actor(request), lesson, payload.recording_url))
    return {"id": lesson.pk}


@router.post(
    "/classrooms/courses/{course_id}/lessons/{lesson_id}/recording-upload",
    response={200: OkOut, **WRITE_ERRORS},
    operation_id="attach_lesson_recording",
)
def attach_lesson_recording(request, course_id: int, lesson_id: int, payload: RecordingUploadIn):
    """Attach a finished video upload of yours (resumable upload, purpose
    ``classroom_replay``) as the lesson's recording; it is processed like a replay. An upload
    started with ``planned_lesson`` in its metadata is attached by itself when it completes."""
    course = access_course(viewer(request), course_id)
    lesson = (
        PlannedLesson.objects.filter(course=course, pk=lesson_id)
        .select_related("course__pilot__school")
        .first()
    )
    if lesson is None:
        raise Http404("lesson")
    guarded(lambda: network.attach_recording(actor(request), lesson, payload.upload_id))
    return {"id": lesson.pk}


@router.post(
    "/classrooms/courses/{course_id}/withdraw",
    response={200: CourseOut, **WRITE_ERRORS},
    operation_id="withdraw_network_course",
)
def withdraw_network_course(request, course_id: int, payload: CourseWithdrawIn):
    """Take a shared course back (the pilot school's admin or a reviewing department); it
    leaves the library and may be edited and sent for review again."""
    course = access_course(viewer(request), course_id)
    course = guarded(lambda: network.withdraw_course(actor(request), course, reason=payload.reason))
    return _course_out(course)


@router.post(
    "/classrooms/courses/{course_id}/submit",
    response={200: CourseOut, **WRITE_ERRORS},
    operation_id="submit_network_course",
)
def submit_network_course(request, course_id: int):
    course = access_course(viewer(request), course_id)
    guarded(lambda: network.submit_course(actor(request), course))
    return _course_out(access_course(viewer(request), course_id))


@router.post(
    "/classrooms/courses/{course_id}/reviews",
    response={200: CourseOut, **WRITE_ERRORS},
    operation_id="review_network_course",
)
def review_network_course(request, course_id: int, payload: ReviewIn):
    """The caller's department (research: content; e-learning: technical) decides this round;
    the course is shared when both have passed it, returned when either returns it."""
    course = access_course(viewer(request), course_id)
    guarded(
        lambda: network.review_course(
            actor(request), course, verdict=payload.verdict, comment=payload.comment
        )
    )
    return _course_out(access_course(viewer(request), course_id))
