"""Request and answer shapes of the 三个课堂 operations."""

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from youke.api.fields import Count, Id, LongText, Reason, Text
from youke.classrooms.enums import (
    DayOffKind,
    Department,
    GroupMode,
    LessonKind,
    LessonMode,
    PilotKind,
    StudioRole,
    Verdict,
    ViewPermission,
)
from youke.orgs.enums import TeacherTitle

Weekday = int  # 0 = Monday … 6 = Sunday


class TermIn(Schema):
    unit: Id
    name: Text(64, min_length=1)
    starts_on: dt.date
    ends_on: dt.date
    required_subjects: list[Text(32, min_length=1)] = Field(default_factory=list, max_length=30)


class TermDayIn(Schema):
    date: dt.date
    kind: DayOffKind
    follows_weekday: int | None = Field(default=None, ge=0, le=6)
    note: Text(64) = ""


class TermOut(Schema):
    id: int
    unit_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    required_subjects: list[str]


class GroupIn(Schema):
    unit: Id
    term: Id
    name: Text(100, min_length=1)
    mode: GroupMode
    host_school: Id
    host_classroom: Text(64, min_length=1)
    subjects: list[Text(32, min_length=1)] = Field(min_length=1, max_length=30)


class ClassroomIn(Schema):
    school: Id
    name: Text(64, min_length=1)
    students: int = Field(ge=0, le=200)
    assistant: Id | None = None


class ClassroomOut(Schema):
    id: int
    school_id: int
    school_name: str
    name: str
    students: int
    assistant_id: int | None


class PeriodIn(Schema):
    subject: Text(32, min_length=1)
    host_teacher: Id
    weekday: int = Field(ge=0, le=6)
    starts_at: dt.time
    ends_at: dt.time
    rrule: Text(200) = "FREQ=WEEKLY"
    live_url: Text(500) = ""
    view_permission: ViewPermission = ViewPermission.LOGIN
    view_password: Text(64) = ""


class LocalPeriodIn(Schema):
    weekday: int = Field(ge=0, le=6)
    starts_at: dt.time
    ends_at: dt.time
    subject: Text(32, min_length=1)


class PeriodOut(Schema):
    id: int
    subject: str
    host_teacher_id: int
    weekday: int
    starts_at: dt.time
    ends_at: dt.time
    rrule: str
    view_permission: str


class GroupOut(Schema):
    id: int
    unit_id: int
    term_id: int
    name: str
    mode: str
    host_school_id: int
    host_classroom: str
    subjects: list[str]


class GroupDetailOut(GroupOut):
    classrooms: list[ClassroomOut]
    periods: list[PeriodOut]


class GeneratedOut(Schema):
    created: int
    removed: int


class SessionOut(Schema):
    id: int
    group_id: int
    period_id: int
    subject: str
    host_teacher_id: int
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    status_label: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    cancel_reason: str
    extra: bool
    substituted_for_id: int | None
    substitute_reason: str

    @staticmethod
    def resolve_subject(obj) -> str:
        return obj.period.subject

    @staticmethod
    def resolve_status(obj) -> str:
        from youke.classrooms.domain.sessions import session_status

        return session_status(obj)

    @staticmethod
    def resolve_status_label(obj) -> str:
        from youke.classrooms.domain.sessions import status_label

        return status_label(obj)


class SessionFilters(Schema):
    group: Id | None = None
    starts_from: dt.datetime | None = None
    starts_before: dt.datetime | None = None


class CancelIn(Schema):
    reason: Reason


class SubstituteIn(Schema):
    teacher: Id
    reason: Reason


class AttendanceIn(Schema):
    expected: Count
    present: Count
    exercises_done: Count | None = None
    questions: Text(500) = ""
    notes: Text(500) = ""


class AttendanceOut(Schema):
    session_id: int
    classroom_id: int
    expected: int
    present: int
    exercises_done: int | None
    questions: str
    notes: str


class RegistryFilters(Schema):
    unit: Id
    term: Id


class RegistryRowOut(Schema):
    school_id: int
    school_name: str
    school_kind: str
    groups: list[str]
    covered: list[str]
    missing: list[str]


# --- 名师课堂 -----------------------------------------------------------------------------------


class MasterIn(Schema):
    unit: Id
    person: Id
    title: TeacherTitle
    subject: Text(32, min_length=1)


class MasterOut(Schema):
    id: int
    person_id: int
    full_name: str
    unit_id: int
    title: str
    subject: str


class StudioIn(Schema):
    name: Text(100, min_length=1)
    host: Id
    subject: Text(32, min_length=1)


class StudioMemberIn(Schema):
    person: Id
    role: StudioRole


class StudioOut(Schema):
    id: int
    name: str
    host_id: int
    subject: str


class LessonIn(Schema):
    master: Id
    studio: Id | None = None
    title: Text(200, min_length=1)
    kind: LessonKind
    mode: LessonMode
    starts_at: dt.datetime
    ends_at: dt.datetime
    live_url: Text(500) = ""


class DemoLessonOut(Schema):
    id: int
    master_id: int
    unit_id: int
    title: str
    kind: str
    mode: str
    state: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str


class EvaluationIn(Schema):
    goals: LongText
    process: LongText
    engagement: LongText
    technology: LongText
    rating: int = Field(ge=1, le=5)


class PostIn(Schema):
    body: LongText
    reply_to: Id | None = None


class SummaryIn(Schema):
    summary: LongText


class OkOut(Schema):
    id: int


class DutyFilters(Schema):
    term: Id


class DutyRowOut(Schema):
    master_id: int
    full_name: str
    title: str
    unit_name: str
    lessons: int
    reviewed_lessons: int
    reviews_written: int
    done: bool


# --- 名校网络课堂 ------------------------------------------------------------------------------


class PilotIn(Schema):
    unit: Id
    school: Id
    kind: PilotKind


class PilotOut(Schema):
    id: int
    school_id: int
    school_name: str
    kind: str


class CourseIn(Schema):
    pilot: Id
    title: Text(200, min_length=1)
    subject: Text(32, min_length=1)
    grade: Text(32, min_length=1)


class PlannedLessonIn(Schema):
    title: Text(200, min_length=1)
    teacher: Id
    planned_on: dt.date
    recording_url: Text(500) = ""


class RecordingIn(Schema):
    recording_url: Text(500, min_length=1)


class RecordingUploadIn(Schema):
    upload_id: uuid.UUID


class CourseWithdrawIn(Schema):
    reason: Reason


class ReviewIn(Schema):
    verdict: Verdict
    comment: LongText = ""


class ReviewOut(Schema):
    round: int
    department: Department
    verdict: Verdict
    comment: str


class CourseOut(Schema):
    id: int
    pilot_id: int
    title: str
    subject: str
    grade: str
    state: str
    review_round: int
    reviews: list[ReviewOut]
    lessons: int
