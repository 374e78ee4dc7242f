"""Request and answer shapes of the 三个课堂 replay, 集体备课 and workload operations."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema
from pydantic import Field

from youke.api.fields import Id, Text


class ReplayOut(Schema):
    """``state``: "" (none), processing, failed or ready; URLs only when ready."""

    state: str
    upload_id: UUID | None = None
    filename: str = ""
    duration_seconds: float | None = None
    error: str = ""
    play_url: str = ""
    hls_url: str = ""
    uploaded_at: dt.datetime | None = None


class PrepIn(Schema):
    studio: Id
    title: Text(200, min_length=1)
    text: Text(50_000, min_length=1)


class AnnotationIn(Schema):
    body: Text(2000, min_length=1)
    paragraph: int | None = Field(default=None, ge=1, le=10_000)


class ReviseIn(Schema):
    text: Text(50_000, min_length=1)
    note: Text(500) = ""


class ConcludeIn(Schema):
    summary: Text(5000, min_length=1)


class AnnotationOut(Schema):
    id: int
    author_id: int
    paragraph: int | None
    body: str
    created_at: dt.datetime


class VersionOut(Schema):
    id: int
    number: int
    text: str
    note: str
    author_id: int
    created_at: dt.datetime
    paragraphs: list[str]
    annotations: list[AnnotationOut]

    @staticmethod
    def resolve_annotations(obj) -> list:
        return list(obj.annotations.all())


class PrepOut(Schema):
    id: int
    studio_id: int
    host_id: int
    title: str
    state: str
    summary: str
    created_at: dt.datetime
    closed_at: dt.datetime | None


class PrepDetailOut(PrepOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.prefetch_related("annotations").order_by("number"))


class WorkloadFilters(Schema):
    term: Id | None = None


class WorkloadRowOut(Schema):
    person_id: int
    full_name: str
    unit_name: str
    counts: dict[str, int]
    weights: dict[str, float]
    total: float


class WeightsIn(Schema):
    unit: Id
    weights: dict[str, float] = Field(max_length=10)


class WeightsOut(Schema):
    unit_id: int
    weights: dict[str, float]


class ClassroomIndicatorFilters(Schema):
    unit: Id | None = None
    term: Id | None = None
    sort: Text(32) = "periods_per_week"


class IndicatorRowOut(Schema):
    unit_id: int | None
    name: str
    rank: int | None
    values: dict[str, float | int | None]
    # the traffic light per figure against the monitoring registry's 三个课堂 targets
    lights: dict[str, str] = {}


class IndicatorsOut(Schema):
    term_id: int
    unit_id: int
    total: IndicatorRowOut
    children: list[IndicatorRowOut]


class HourRuleIn(Schema):
    hours: float | None = None  # blank: the region sets no rule for the kind
    cap: float | None = None


class WorkloadHourRulesIn(Schema):
    unit: Id
    rules: dict[str, HourRuleIn] = Field(max_length=10)


class HourRuleOut(Schema):
    hours: float
    cap: float | None
    unit_path: str


class WorkloadHourRulesOut(Schema):
    unit_id: int
    rules: dict[str, HourRuleOut]


class WorkloadCreditOut(Schema):
    term_id: int
    credited: int
    recounted: int
    reversed: int
    unchanged: int
    teachers: int
    hours: float


class ClassroomTargetIn(Schema):
    indicator: Text(32, min_length=1)
    area_type: Text(8) = ""
    value: float | None = None  # None removes the target


class ClassroomTargetOut(Schema):
    indicator: str
    targets: dict[str, float]
