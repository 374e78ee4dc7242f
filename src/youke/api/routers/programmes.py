"""The action-plan ledger (issue 11 item 7) through the API: programmes with stages, roster
and counts; task areas and tasks; the task list with filters (我的任务 with ``mine``);
status, progress notes, evidence files and the xlsx 台账.

Scoping follows the pages: a programme outside the caller's reach (neither in their admin
subtree nor above a unit they administer) is 404; a responsible unit sees only its own tasks
unless the programme's owner lies in its admin scope; writes to the plan need the owner.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Status, UploadedFile

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_programmes import (
    AreaIn,
    AreaOut,
    EvidenceOut,
    NoteIn,
    NoteOut,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeOut,
    RosterIn,
    RosterOut,
    StatusIn,
    TaskDetailOut,
    TaskFilters,
    TaskIn,
    TaskOut,
)
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.programmes import rules
from youke.programmes.access import (
    access_managed_programme,
    access_programme,
    access_roster_member,
    access_task,
)
from youke.programmes.domain import exports, programmes, tasks
from youke.programmes.models import Task, TaskArea

router = Router(tags=["programmes"])
WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _programme(person, programme) -> dict:
    return {
        "id": programme.pk,
        "name": programme.name,
        "doc_number": programme.doc_number,
        "description": programme.description,
        "owner_unit": programme.owner_unit,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "can_manage": rules.can_manage_programme(person, programme),
    }


def _detail(person, programme) -> dict:
    visible = rules.tasks_visible_to(person).filter(programme=programme)
    return {
        **_programme(person, programme),
        "stages": list(programme.stages.all()),
        "roster": list(programme.roster.all()),
        "areas": list(programme.areas.all()),
        "counts": tasks.counts(visible),
    }


def _task_rows():
    return (
        exports.with_latest_note(Task.objects.all())
        .select_related("area")
        .prefetch_related("units")
    )


def _task_out(task: Task, today=None) -> Task:
    task.overdue = tasks.is_overdue(task, today)
    return task


def _task_detail(task_id: int) -> Task:
    task = _task_out(_task_rows().get(pk=task_id))
    task.notes_list = list(task.notes.select_related("unit"))
    task.evidence_list = list(task.evidence.select_related("unit"))
    return task


@router.get("/programmes", response=list[ProgrammeOut], operation_id="list_programmes")
@paginated
def list_programmes(request):
    """Programmes the caller manages or carries out tasks of (owner unit above theirs)."""
    person = viewer(request)
    return (
        rules.programmes_visible_to(person)
        .select_related("owner_unit")
        .order_by("-start_date", "-id")
    )


@router.post(
    "/programmes",
    response={201: ProgrammeDetailOut, **WRITE_ERRORS},
    operation_id="create_programme",
)
def create_programme(request, payload: ProgrammeIn):
    """A programme of a unit the caller administers, with its stages (each inside the dates)."""
    person = viewer(request)
    unit = access_unit(person, payload.owner_unit)
    if not org_rules.covers(person, unit):
        raise Http404("unit")
    programme = programmes.create_programme(
        actor(request),
        owner_unit=unit,
        name=payload.name,
        doc_number=payload.doc_number,
        description=payload.description,
        start_date=payload.start_date,
        end_date=payload.end_date,
        stages=[programmes.StageInput(s.name, s.start_date, s.end_date) for s in payload.stages],
    )
    return Status(201, _detail(person, access_programme(person, programme.pk)))


@router.get(
    "/programmes/{int:programme_id}",
    response={200: ProgrammeDetailOut, 404: ErrorOut},
    operation_id="get_programme",
)
def get_programme(request, programme_id: int):
    """Stages, roster, task areas and the counts of the tasks the caller may see."""
    person = viewer(request)
    return _detail(person, access_programme(person, programme_id))


@router.post(
    "/programmes/{int:programme_id}/roster",
    response={201: RosterOut, **WRITE_ERRORS},
    operation_id="add_roster_member",
)
def add_roster_member(request, programme_id: int, payload: RosterIn):
    """A working-group member (组长 / 副组长 / 成员); the owner unit's admins only."""
    person = viewer(request)
    programme = access_managed_programme(person, programme_id)
    linked = None
    if payload.person is not None:
        linked = (
            org_rules.people_visible_to(person)
            .select_related("unit")
            .filter(pk=payload.person)
            .first()
        )
        if linked is None:
            raise Http404("person")
    member = programmes.add_roster_member(
        actor(request),
        programme,
        role=payload.role,
        name=payload.name,
        person=linked,
        department=payload.department,
        position=payload.position,
        phone=payload.phone,
    )
    return Status(201, member)


@router.delete(
    "/programmes/{int:programme_id}/roster/{int:member_id}",
    response={204: None, 404: ErrorOut},
    operation_id="remove_roster_member",
)
def remove_roster_member(request, programme_id: int, member_id: int):
    member = access_roster_member(viewer(request), member_id)
    if member.programme_id != programme_id:
        raise Http404("member")
    programmes.remove_roster_member(actor(request), member)
    return Status(204, None)


@router.post(
    "/programmes/{int:programme_id}/areas",
    response={201: AreaOut, **WRITE_ERRORS},
    operation_id="add_task_area",
)
def add_task_area(request, programme_id: int, payload: AreaIn):
    """A task area, numbered after the last one."""
    programme = access_managed_programme(viewer(request), programme_id)
    return Status(201, programmes.add_area(actor(request), programme, name=payload.name))


@router.post(
    "/programmes/{int:programme_id}/tasks",
    response={201: TaskDetailOut, **WRITE_ERRORS},
    operation_id="create_task",
)
def create_task(request, programme_id: int, payload: TaskIn):
    """A task with its responsible units (the owner unit or units below it)."""
    person = viewer(request)
    programme = access_managed_programme(person, programme_id)
    area = TaskArea.objects.filter(programme=programme, pk=payload.area).first()
    units = list(org_rules.units_visible_to(person).filter(pk__in=payload.units, is_active=True))
    if len(units) != len(set(payload.units)):
        raise Http404("unit")
    task = tasks.create_task(
        actor(request),
        programme,
        area=area,
        title=payload.title,
        description=payload.description,
        lead_department=payload.lead_department,
        units=units,
        deadline=payload.deadline,
    )
    return Status(201, _task_detail(task.pk))


@router.get("/programmes/tasks", response=list[TaskOut], operation_id="list_programme_tasks")
@paginated
def list_programme_tasks(request, filters: Query[TaskFilters]):
    """Tasks the caller may see, by programme, area and number; filters by area, responsible
    unit (with its subtree), status and overdue; ``mine`` gives 我的任务."""
    person = viewer(request)
    queryset = rules.own_tasks(person) if filters.mine else rules.tasks_visible_to(person)
    if filters.programme is not None:
        queryset = queryset.filter(programme_id=filters.programme)
    unit = None
    if filters.unit is not None:
        unit = org_rules.units_visible_to(person).filter(pk=filters.unit).first()
        if unit is None:
            queryset = queryset.none()
    queryset = tasks.filter_tasks(
        queryset,
        area=filters.area,
        unit=unit,
        status=filters.status or "",
        overdue=filters.overdue,
    )
    today = timezone.localdate()
    ordered = queryset.order_by("programme_id", "area__number", "id").values_list("pk", flat=True)
    return _ListOfTasks(_task_rows(), ordered, today)


class _ListOfTasks:
    """Pages over the filtered ids, then loads the page's rows with their units and note."""

    def __init__(self, rows, ordered, today):
        self.rows, self.ordered, self.today = rows, ordered, today

    def count(self) -> int:
        return self.ordered.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice):
        ids = list(self.ordered[window])
        by_id = {t.pk: t for t in self.rows.filter(pk__in=ids)} if ids else {}
        return [_task_out(by_id[pk], self.today) for pk in ids if pk in by_id]


@router.get(
    "/programmes/tasks/{int:task_id}",
    response={200: TaskDetailOut, 404: ErrorOut},
    operation_id="get_programme_task",
)
def get_programme_task(request, task_id: int):
    return _task_detail(access_task(viewer(request), task_id).pk)


@router.post(
    "/programmes/tasks/{int:task_id}/status",
    response={200: TaskDetailOut, **WRITE_ERRORS},
    operation_id="set_task_status",
)
def set_task_status(request, task_id: int, payload: StatusIn):
    """未开始 → 进行中 → 已完成 by the responsible unit or the owner; pausing, resuming (to
    the status before the pause) and reopening a completed task by the owner only."""
    task = access_task(viewer(request), task_id)
    tasks.set_task_status(actor(request), task, payload.status, reason=payload.reason)
    return _task_detail(task.pk)


@router.post(
    "/programmes/tasks/{int:task_id}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    operation_id="add_progress_note",
)
def add_progress_note(request, task_id: int, payload: NoteIn):
    """A dated progress entry for the caller's responsible unit."""
    task = access_task(viewer(request), task_id)
    note = tasks.add_note(
        actor(request), task, text=payload.text, date=payload.date, percent=payload.percent
    )
    return Status(201, note)


@router.post(
    "/programmes/tasks/{int:task_id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    operation_id="upload_task_evidence",
)
def upload_task_evidence(request, task_id: int, file: File[UploadedFile]):
    """An evidence file (multipart; PDF, Office, images or ZIP up to 20 MB)."""
    task = access_task(viewer(request), task_id)
    return Status(201, tasks.add_evidence(actor(request), task, file))


@router.get(
    "/programmes/{int:programme_id}/ledger.xlsx",
    response={200: None, 404: ErrorOut},
    operation_id="export_task_ledger",
)
def export_task_ledger(request, programme_id: int):
    """The 台账 (xlsx): 序号, 任务领域, 任务, 牵头部门, 责任单位, 完成时限, 状态, 最新进展."""
    person = viewer(request)
    programme = access_programme(person, programme_id)
    visible = rules.tasks_visible_to(person).filter(programme=programme)
    response = HttpResponse(
        exports.ledger_xlsx(programme, visible),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-{programme.pk}.xlsx"'
    return response
