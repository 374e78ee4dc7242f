"""Registering groups and their shared timetable, with clashes refused by name.

A new or changed period is checked against (1) the host teacher's other periods in any
group, (2) the other periods of the same group (the receiving classes can watch only one),
and (3) the receiving classrooms' own periods. A clash is two periods whose times overlap on
at least one common meeting date; the message names the other class and the first date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.domain.calendar import (
    TermCalendar,
    clean_rule,
    effective_weekday,
    meeting_dates,
    weekday_label,
)
from youke.classrooms.enums import DayOffKind, ViewPermission
from youke.classrooms.models import (
    DeliveryGroup,
    LocalPeriod,
    Period,
    ReceivingClassroom,
    Term,
    TermDay,
)
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import UnitKind

# --- terms ----------------------------------------------------------------------------------


def create_term(actor: Actor, unit, *, name: str, starts_on, ends_on, required_subjects=None):
    if not rules.can_register_groups(actor.person, unit):
        raise PermissionDenied
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": [_("结束日期须晚于开学日期。")]})
    if Term.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": [_("本单位已有同名学期，请换一个名称。")]})
    term = Term.objects.create(
        unit=unit,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        **({"required_subjects": required_subjects} if required_subjects else {}),
    )
    record(actor, AuditAction.CREATE, term, unit=unit, after={"name": name})
    return term


def add_term_day(actor: Actor, term: Term, *, date, kind: str, follows_weekday=None, note=""):
    if not rules.can_register_groups(actor.person, term.unit):
        raise PermissionDenied
    if not term.starts_on <= date <= term.ends_on:
        raise ValidationError({"date": [_("日期不在学期内：请填写开学日期到结束日期之间的日期。")]})
    if kind == DayOffKind.MAKEUP and follows_weekday is None:
        raise ValidationError({"follows_weekday": [_("调休上课日须选择按星期几的课表上课。")]})
    if kind == DayOffKind.HOLIDAY:
        follows_weekday = None
    day, _created = TermDay.objects.update_or_create(
        term=term,
        date=date,
        defaults={"kind": kind, "follows_weekday": follows_weekday, "note": note},
    )
    record(actor, AuditAction.UPDATE, term, unit=term.unit, after={"day": str(date), "kind": kind})
    return day


# --- groups ---------------------------------------------------------------------------------

RECEIVING_KINDS = (UnitKind.SCHOOL, UnitKind.TEACHING_POINT)


def register_group(
    actor: Actor, unit, *, term: Term, name, mode, host_school, host_classroom, subjects
):
    if not rules.can_register_groups(actor.person, unit):
        raise PermissionDenied
    if not host_school.path.startswith(unit.path) or host_school.kind != UnitKind.SCHOOL:
        raise ValidationError({"host_school": [_("主讲学校须是本辖区内的学校。")]})
    if not unit.path.startswith(term.unit.path):
        raise ValidationError({"term": [_("所选学期不适用于本单位：请选择本级或上级设置的学期。")]})
    subjects = [s.strip() for s in subjects if s.strip()]
    if not subjects:
        raise ValidationError({"subjects": [_("请至少填写一门开设学科。")]})
    group = DeliveryGroup.objects.create(
        unit=unit,
        term=term,
        name=name,
        mode=mode,
        host_school=host_school,
        host_classroom=host_classroom,
        subjects=subjects,
    )
    record(
        actor,
        AuditAction.CREATE,
        group,
        unit=unit,
        after={"name": name, "subjects": "、".join(subjects)},
    )
    return group


def add_classroom(actor: Actor, group: DeliveryGroup, *, school, name, students, assistant=None):
    if not rules.can_edit_timetable(actor.person, group):
        raise PermissionDenied
    if school.kind not in RECEIVING_KINDS or not school.path.startswith(group.unit.path):
        raise ValidationError({"school": [_("听讲学校须是登记单位辖区内的学校或教学点。")]})
    if school.pk == group.host_school_id:
        raise ValidationError({"school": [_("主讲学校不能同时作为听讲学校。")]})
    if assistant is not None and not assistant.unit.path.startswith(school.path):
        raise ValidationError({"assistant": [_("本地辅助教师须是该听讲学校的教师。")]})
    if ReceivingClassroom.objects.filter(group=group, school=school, name=name).exists():
        raise ValidationError({"name": [_("该学校的这个班级已在本组中。")]})
    classroom = ReceivingClassroom.objects.create(
        group=group, school=school, name=name, students=students, assistant=assistant
    )
    record(actor, AuditAction.UPDATE, group, unit=group.unit, after={"classroom": str(classroom)})
    return classroom


def _check_times(starts_at: dt.time, ends_at: dt.time, field_prefix=""):
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("结束时间须晚于开始时间。")]})


def add_local_period(
    actor: Actor, classroom: ReceivingClassroom, *, weekday, starts_at, ends_at, subject
):
    if not rules.can_record_attendance(actor.person, classroom):
        raise PermissionDenied
    _check_times(starts_at, ends_at)
    local = LocalPeriod(
        classroom=classroom, weekday=weekday, starts_at=starts_at, ends_at=ends_at, subject=subject
    )
    clashes = [
        c
        for c in clashes_for_local(
            local, list(Period.objects.filter(group=classroom.group_id)), classroom.group.term
        )
    ]
    if clashes:
        raise ValidationError({"starts_at": clashes})
    local.save()
    return local


# --- clashes --------------------------------------------------------------------------------


@dataclass
class Slot:
    """A period reduced to what clash checks need; ``dates`` is filled lazily."""

    key: object
    label: str
    teacher_id: int
    group_id: int
    weekday: int
    starts_at: dt.time
    ends_at: dt.time
    dates: frozenset[dt.date]
    weekdays: frozenset[int]  # effective weekdays met (make-up days follow another weekday)

    def overlaps(self, other: Slot) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class DateCache:
    """Meeting dates per (term, rule, weekday): 500 groups share a handful of rules."""

    def __init__(self):
        self._calendars: dict[int, TermCalendar] = {}
        self._dates: dict[tuple, tuple[frozenset, frozenset]] = {}

    def calendar(self, term: Term) -> TermCalendar:
        if term.pk not in self._calendars:
            self._calendars[term.pk] = TermCalendar.of(term)
        return self._calendars[term.pk]

    def dates(self, term: Term, rule: str, weekday: int) -> tuple[frozenset, frozenset]:
        key = (term.pk, rule, weekday)
        if key not in self._dates:
            calendar = self.calendar(term)
            days = meeting_dates(rule, weekday, calendar)
            self._dates[key] = (
                frozenset(days),
                frozenset(effective_weekday(d, calendar) for d in days),
            )
        return self._dates[key]


def slot_of(period: Period, term: Term, cache: DateCache, label: str = "") -> Slot:
    dates, weekdays = cache.dates(term, period.rrule, period.weekday)
    return Slot(
        key=period.pk,
        label=label or period.subject,
        teacher_id=period.host_teacher_id,
        group_id=period.group_id,
        weekday=period.weekday,
        starts_at=period.starts_at,
        ends_at=period.ends_at,
        dates=dates,
        weekdays=weekdays,
    )


def _time_range(start: dt.time, end: dt.time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def slot_clash(candidate: Slot, other: Slot) -> dt.date | None:
    """The first common date on which the two overlap, or None."""
    if not candidate.overlaps(other):
        return None
    common = candidate.dates & other.dates
    return min(common) if common else None


def clashes_for_local(local: LocalPeriod, periods: list[Period], term: Term) -> list[str]:
    cache = DateCache()
    messages = []
    for period in periods:
        slot = slot_of(period, term, cache)
        if local.weekday in slot.weekdays and (
            local.starts_at < slot.ends_at and slot.starts_at < local.ends_at
        ):
            messages.append(
                _("与本组直播课“%(subject)s”（%(day)s %(time)s）时间冲突，请调整本班课表。")
                % {
                    "subject": period.subject,
                    "day": weekday_label(period.weekday),
                    "time": _time_range(period.starts_at, period.ends_at),
                }
            )
    return messages


def period_clashes(
    period: Period, group: DeliveryGroup, cache: DateCache | None = None
) -> list[str]:
    """Every clash of ``period`` (saved or not) with the rest of the timetable, named."""
    cache = cache or DateCache()
    candidate = slot_of(period, group.term, cache)
    messages = []
    others = (
        (
            Period.objects.filter(host_teacher_id=period.host_teacher_id)
            | Period.objects.filter(group=group)
        )
        .exclude(pk=period.pk)
        .select_related("group__term", "host_teacher")
    )
    for other in others.distinct():
        when = slot_clash(candidate, slot_of(other, other.group.term, cache))
        if when is None:
            continue
        values = {
            "teacher": other.host_teacher.full_name,
            "group": other.group.name,
            "subject": other.subject,
            "day": weekday_label(other.weekday),
            "time": _time_range(other.starts_at, other.ends_at),
            "date": when.isoformat(),
        }
        if other.host_teacher_id == period.host_teacher_id:
            messages.append(
                _(
                    "主讲教师%(teacher)s 在“%(group)s”的%(subject)s课（%(day)s %(time)s）"
                    "与此时间冲突，首个冲突日期 %(date)s：请换一个时间或另一位教师。"
                )
                % values
            )
        else:
            messages.append(
                _(
                    "本组已有%(subject)s课（%(day)s %(time)s，%(teacher)s），"
                    "首个冲突日期 %(date)s：听讲班级同一时间只能上一节课，请换一个时间。"
                )
                % values
            )
    locals_ = LocalPeriod.objects.filter(classroom__group=group).select_related("classroom__school")
    for local in locals_:
        if local.weekday in candidate.weekdays and (
            local.starts_at < candidate.ends_at and candidate.starts_at < local.ends_at
        ):
            messages.append(
                _(
                    "听讲班级%(classroom)s 本校%(day)s %(time)s 有%(subject)s课："
                    "请换一个时间，或请该校调整本校课表。"
                )
                % {
                    "classroom": str(local.classroom),
                    "day": weekday_label(local.weekday),
                    "time": _time_range(local.starts_at, local.ends_at),
                    "subject": local.subject,
                }
            )
    return messages


def save_period(
    actor: Actor,
    group: DeliveryGroup,
    *,
    subject: str,
    host_teacher,
    weekday: int,
    starts_at: dt.time,
    ends_at: dt.time,
    rrule: str = "",
    live_url: str = "",
    view_permission: str = ViewPermission.LOGIN,
    view_password: str = "",
    period: Period | None = None,
) -> Period:
    """Add or change a period; refused with every clash named, nothing saved on refusal."""
    if not rules.can_edit_timetable(actor.person, group):
        raise PermissionDenied
    errors: dict[str, list[str]] = defaultdict(list)
    if subject not in group.subjects:
        errors["subject"].append(_("该学科不在本组登记的开设学科中：请先在分组中添加该学科。"))
    if not host_teacher.unit.path.startswith(group.host_school.path):
        errors["host_teacher"].append(_("主讲教师须是主讲学校的教师。"))
    if not 0 <= weekday <= 6:
        errors["weekday"].append(_("星期须为周一到周日之一。"))
    if ends_at <= starts_at:
        errors["ends_at"].append(_("结束时间须晚于开始时间。"))
    if view_permission == ViewPermission.PASSWORD and not (
        view_password or (period and period.view_password)
    ):
        errors["view_password"].append(_("观看权限为“密码”时须设置观看密码。"))
    try:
        rrule = clean_rule(rrule, weekday)
    except ValidationError as exc:
        errors["rrule"].extend(exc.message_dict["rrule"])
    if errors:
        raise ValidationError(dict(errors))
    with transaction.atomic():
        # The host teacher's row serialises concurrent edits of their timetable.
        type(host_teacher).objects.select_for_update().filter(pk=host_teacher.pk).first()
        period = period or Period(group=group)
        period.subject = subject
        period.host_teacher = host_teacher
        period.weekday = weekday
        period.starts_at = starts_at
        period.ends_at = ends_at
        period.rrule = rrule
        period.live_url = live_url
        period.view_permission = view_permission
        if view_password:
            period.view_password = make_password(view_password)
        clashes = period_clashes(period, group)
        if clashes:
            raise ValidationError({"starts_at": clashes})
        period.save()
        record(
            actor,
            AuditAction.UPDATE,
            group,
            unit=group.unit,
            after={"period": period.pk, "subject": subject, "weekday": weekday},
        )
    return period


def term_clashes(term: Term) -> list[tuple[int, int, dt.date]]:
    """Every clash among all periods of a term, found in memory (bench and the check page).

    Periods are bucketed by teacher and by group, so the work grows with the size of each
    bucket rather than with the square of the city's timetable.
    """
    cache = DateCache()
    periods = list(
        Period.objects.filter(group__term=term).only(
            "id",
            "group_id",
            "host_teacher_id",
            "weekday",
            "starts_at",
            "ends_at",
            "rrule",
            "subject",
        )
    )
    slots = [slot_of(p, term, cache) for p in periods]
    found: set[tuple[int, int, dt.date]] = set()
    for bucket_key in ("teacher_id", "group_id"):
        buckets: dict[int, list[Slot]] = defaultdict(list)
        for slot in slots:
            buckets[getattr(slot, bucket_key)].append(slot)
        for bucket in buckets.values():
            bucket.sort(key=lambda s: s.starts_at)
            for i, first in enumerate(bucket):
                for second in bucket[i + 1 :]:
                    if second.starts_at >= first.ends_at:
                        break
                    when = slot_clash(first, second)
                    if when is not None:
                        found.add((min(first.key, second.key), max(first.key, second.key), when))
    return sorted(found)
