"""Attendance and learning data per receiving classroom per session, by hand or from xlsx.

An import keeps every good row and lists the bad ones by row and column (nothing already
saved is lost); rows match sessions of the classroom's group by date and start time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.models import Attendance, ClassSession, ReceivingClassroom
from youke.core.actor import Actor
from youke.core.params import int_param
from youke.core.tabular import Column, RowError, TableError, read_table
from youke.orgs.domain.units import PermissionDenied

MAX_IMPORT_ROWS = 2000


def record_attendance(
    actor: Actor,
    session: ClassSession,
    classroom: ReceivingClassroom,
    *,
    expected: int,
    present: int,
    exercises_done: int | None = None,
    questions: str = "",
    notes: str = "",
) -> Attendance:
    if classroom.group_id != session.group_id or not rules.can_record_attendance(
        actor.person, classroom
    ):
        raise PermissionDenied
    errors = attendance_problems(expected, present, exercises_done)
    if session.cancelled_at:
        errors.setdefault("present", []).append(_("这节课已取消，无需登记出勤。"))
    if errors:
        raise ValidationError(errors)
    row, _created = Attendance.objects.update_or_create(
        session=session,
        classroom=classroom,
        defaults={
            "expected": expected,
            "present": present,
            "exercises_done": exercises_done,
            "questions": questions.strip()[:500],
            "notes": notes.strip()[:500],
            "recorded_by": actor.person,
        },
    )
    return row


def attendance_problems(expected, present, exercises_done) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if expected is None or expected < 0 or expected > 200:
        errors["expected"] = [_("应到人数须在 0 到 200 之间。")]
    if present is None or present < 0:
        errors["present"] = [_("实到人数不能为负数。")]
    elif expected is not None and present > expected:
        errors["present"] = [_("实到人数不能多于应到人数：请核对后重填。")]
    if exercises_done is not None and present is not None and not 0 <= exercises_done <= present:
        errors["exercises_done"] = [_("完成练习人数须在 0 到实到人数之间。")]
    return errors


IMPORT_COLUMNS = [
    Column("date", "日期"),
    Column("time", "开始时间"),
    Column("expected", "应到人数"),
    Column("present", "实到人数"),
    Column("exercises_done", "完成练习人数", required=False),
    Column("questions", "学生提问", required=False),
    Column("notes", "备注", required=False),
]


@dataclass
class ImportReport:
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_attendance(actor: Actor, classroom: ReceivingClassroom, handle) -> ImportReport:
    if not rules.can_record_attendance(actor.person, classroom):
        raise PermissionDenied
    try:
        _count, rows = read_table(handle, IMPORT_COLUMNS, max_rows=MAX_IMPORT_ROWS)
    except TableError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    sessions = {
        (s.date, s.starts_at.astimezone().strftime("%H:%M")): s
        for s in ClassSession.objects.filter(group_id=classroom.group_id)
    }
    report = ImportReport()
    for number, values in rows:
        try:
            day = dt.date.fromisoformat(values["date"][:10])
        except ValueError:
            report.errors.append(RowError(number, "日期", _("日期格式应为 2026-09-07。")))
            continue
        start = values["time"][:5].rjust(5, "0")
        session = sessions.get((day, start))
        if session is None:
            report.errors.append(
                RowError(number, "开始时间", _("这一天这个时间本组没有课：请核对日期和开始时间。"))
            )
            continue
        expected, present = (
            int_param(values["expected"], minimum=None),
            int_param(values["present"], minimum=None),
        )
        exercises = (
            int_param(values.get("exercises_done", ""), minimum=None)
            if values.get("exercises_done")
            else None
        )
        problems = attendance_problems(expected, present, exercises)
        if problems:
            for messages in problems.values():
                report.errors.append(RowError(number, "实到人数", messages[0]))
            continue
        record_attendance(
            actor,
            session,
            classroom,
            expected=expected,
            present=present,
            exercises_done=exercises,
            questions=values.get("questions", ""),
            notes=values.get("notes", ""),
        )
        report.saved += 1
    return report


def classroom_record(classroom: ReceivingClassroom) -> list[tuple[ClassSession, Attendance | None]]:
    """The class's term: every session of its group with its attendance row, if any."""
    rows = {a.session_id: a for a in Attendance.objects.filter(classroom=classroom)}
    sessions = ClassSession.objects.filter(group_id=classroom.group_id).select_related(
        "period", "host_teacher"
    )
    return [(s, rows.get(s.pk)) for s in sessions]
