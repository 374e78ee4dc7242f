"""Request and response shapes for the action-plan ledger (programmes, roster, tasks)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Schema

from youke.api.fields import Id, Integer, LongText, Reason, Text
from youke.api.schemas import UnitRef

Status = Literal["not_started", "in_progress", "completed", "paused"]


class StageIn(Schema):
    name: Text(60, min_length=1)
    start_date: datetime.date
    end_date: datetime.date


class ProgrammeIn(Schema):
    owner_unit: Id = Field(description=_lazy("牵头单位 id（调用者管理的单位）"))
    name: Text(120, min_length=1)
    doc_number: Text(40) = ""
    description: LongText = ""
    start_date: datetime.date
    end_date: datetime.date
    stages: list[StageIn] = Field(default_factory=list, max_length=12)


class StageOut(Schema):
    name: str
    start_date: datetime.date
    end_date: datetime.date


class RosterIn(Schema):
    role: Literal["leader", "deputy", "member"] = Field(
        description=_lazy("leader 组长 / deputy 副组长 / member 成员")
    )
    name: Text(60) = ""
    person: Id | None = Field(None, description=_lazy("关联人员 id（牵头单位及下级单位的人员）"))
    department: Text(120) = ""
    position: Text(60) = ""
    phone: Text(30) = ""


class RosterOut(Schema):
    id: int
    role: str
    name: str
    person_id: int | None
    department: str
    position: str
    phone: str


class AreaIn(Schema):
    name: Text(120, min_length=1)


class AreaOut(Schema):
    id: int
    number: int
    name: str


class AreaCountOut(Schema):
    number: int
    name: str
    total: int
    overdue: int
    not_started: int
    in_progress: int
    completed: int
    paused: int


class CountsOut(Schema):
    total: int
    overdue: int
    by_status: dict[str, int]
    areas: list[AreaCountOut]


class ProgrammeOut(Schema):
    id: int
    name: str
    doc_number: str
    description: str
    owner_unit: UnitRef
    start_date: datetime.date
    end_date: datetime.date
    can_manage: bool = False


class ProgrammeDetailOut(ProgrammeOut):
    stages: list[StageOut]
    roster: list[RosterOut]
    areas: list[AreaOut]
    counts: CountsOut = Field(description=_lazy("调用者可见任务按状态、按领域的数量（含逾期）"))


class TaskIn(Schema):
    area: Id = Field(description=_lazy("任务领域 id"))
    title: Text(200, min_length=1)
    description: LongText = ""
    lead_department: Text(120) = ""
    units: list[Id] = Field(min_length=1, max_length=200, description=_lazy("责任单位 id"))
    deadline: datetime.date


class TaskFilters(Schema):
    programme: Id | None = Field(None, description=_lazy("行动计划 id"))
    area: Id | None = Field(None, description=_lazy("任务领域 id"))
    unit: Id | None = Field(None, description=_lazy("责任单位 id（含其下级单位）"))
    status: Status | None = None
    overdue: bool = Field(False, description=_lazy("只看逾期任务"))
    mine: bool = Field(False, description=_lazy("只看本单位（及下级）负责的任务（我的任务）"))


class NoteOut(Schema):
    id: int
    unit: UnitRef
    date: datetime.date
    text: str
    percent: int | None
    created_at: datetime.datetime


class EvidenceOut(Schema):
    id: int
    unit: UnitRef
    name: str
    size: int
    sha256: str
    content_type: str
    uploaded_at: datetime.datetime


class TaskOut(Schema):
    id: int
    programme_id: int
    area: AreaOut
    title: str
    description: str
    lead_department: str
    units: list[UnitRef]
    deadline: datetime.date
    status: str
    overdue: bool = Field(description=_lazy("已过完成时限且未完成（未开始或进行中）"))
    latest_note: str | None = Field(None, description=_lazy("最新进展"))

    @staticmethod
    def resolve_units(obj) -> list:
        return sorted(obj.units.all(), key=lambda unit: unit.path)

    @staticmethod
    def resolve_latest_note(obj) -> str | None:
        return getattr(obj, "latest_text", None)


class TaskDetailOut(TaskOut):
    notes: list[NoteOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_notes(obj) -> list:
        return obj.notes_list

    @staticmethod
    def resolve_evidence(obj) -> list:
        return obj.evidence_list


class StatusIn(Schema):
    status: Status
    reason: Reason = ""


class NoteIn(Schema):
    text: Text(4000, min_length=1)
    date: datetime.date | None = Field(None, description=_lazy("日期，默认今天"))
    percent: Integer(0, 100) | None = Field(None, description=_lazy("完成百分比 0–100"))
