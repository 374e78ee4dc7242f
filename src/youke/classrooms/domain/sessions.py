"""Class sessions: generated from the timetable, run by the host, cancelled with a reason.

Status is derived, never stored (``session_status``): a cancellation wins; then the host's
marks (started and not ended → 直播中, ended → 已结束); without marks the schedule decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.domain.timetable import DateCache
from youke.classrooms.enums import SessionStatus, ViewPermission
from youke.classrooms.models import ClassSession, DeliveryGroup, Period, Term
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.enums import NotificationKind
from youke.orgs.domain.units import PermissionDenied


def session_status(session: ClassSession, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if session.cancelled_at:
        return SessionStatus.CANCELLED
    if session.ended_at:
        return SessionStatus.ENDED
    if session.started_at:
        return SessionStatus.LIVE
    if now < session.starts_at:
        return SessionStatus.NOT_STARTED
    if now < session.ends_at:
        return SessionStatus.LIVE
    return SessionStatus.ENDED


def status_label(session: ClassSession, now=None) -> str:
    return str(SessionStatus(session_status(session, now)).label)


@dataclass
class Generated:
    created: int = 0
    removed: int = 0


def _aware(day: dt.date, moment: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, moment))


def generate_sessions(groups, *, now: dt.datetime | None = None) -> Generated:
    """Make the sessions the timetable calls for from ``now`` on; idempotent.

    Only sessions still to come are created: a timetable changed mid-term must not invent
    classes in the past.
    Sessions that the timetable no longer calls for are removed only when they lie in the
    future, were never started and have no attendance; past records stay.
    """
    now = now or timezone.now()
    cache = DateCache()
    result = Generated()
    groups = list(groups)
    terms = {
        t.pk: t
        for t in Term.objects.filter(pk__in={g.term_id for g in groups}).prefetch_related("days")
    }
    periods = list(Period.objects.filter(group__in=groups).order_by("id"))
    existing: dict[int, set[dt.date]] = {}
    for period_id, day in ClassSession.objects.filter(period__in=periods, extra=False).values_list(
        "period_id", "date"
    ):
        existing.setdefault(period_id, set()).add(day)
    term_of = {g.pk: terms[g.term_id] for g in groups}
    zone = timezone.get_current_timezone()
    new: list[tuple] = []
    stale: list[tuple[int, set[dt.date]]] = []
    for period in periods:
        dates, _weekdays = cache.dates(term_of[period.group_id], period.rrule, period.weekday)
        have = existing.get(period.pk, set())
        for day in sorted(dates - have):
            # zoneinfo datetimes: same result as make_aware, without its per-call checks.
            starts_at = dt.datetime.combine(day, period.starts_at, tzinfo=zone)
            if starts_at <= now:
                continue
            ends_at = dt.datetime.combine(day, period.ends_at, tzinfo=zone)
            new.append(
                (period.pk, period.group_id, period.host_teacher_id, day, starts_at, ends_at)
            )
        if have - dates:
            stale.append((period.pk, have - dates))
    with transaction.atomic():
        _insert_sessions(new)
        result.created = len(new)
        for period_id, days in stale:
            removed, _ = ClassSession.objects.filter(
                period_id=period_id,
                extra=False,
                date__in=days,
                starts_at__gt=now,
                started_at__isnull=True,
                attendance__isnull=True,
            ).delete()
            result.removed += removed
    return result


def _insert_sessions(rows: list[tuple]) -> None:
    """Plain INSERTs for a term's sessions: the ORM's bulk_create spent most of its time
    compiling 40,000 rows of parameters (see bench/bench_classrooms.py)."""
    if not rows:
        return
    ops = connection.ops
    table = ClassSession._meta.db_table
    columns = (
        "period_id, group_id, host_teacher_id, date, starts_at, ends_at, extra, extra_reason, "
        "cancel_reason, substitute_reason"
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608 - constant names
    values = [
        (
            period_id,
            group_id,
            teacher_id,
            ops.adapt_datefield_value(day),
            ops.adapt_datetimefield_value(starts_at),
            ops.adapt_datetimefield_value(ends_at),
            False,
            "",
            "",
            "",
        )
        for period_id, group_id, teacher_id, day, starts_at, ends_at in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def _guard(actor: Actor, session: ClassSession) -> None:
    if not rules.can_run_session(actor.person, session):
        raise PermissionDenied
    if session.cancelled_at:
        raise ValidationError(_("这节课已取消，不能再开始或结束。"))


def start_session(actor: Actor, session: ClassSession, *, now=None) -> ClassSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            ClassSession.objects.select_for_update().select_related("group").get(pk=session.pk)
        )
        _guard(actor, session)
        if session.ended_at:
            raise ValidationError(_("这节课已结束，不能再开始。"))
        if session.started_at:
            return session
        if now < session.starts_at - dt.timedelta(minutes=30):
            raise ValidationError(_("距上课时间还早：最早可在上课前 30 分钟开始直播。"))
        session.started_at = now
        session.save(update_fields=["started_at"])
        record(
            actor,
            AuditAction.UPDATE,
            session,
            unit=session.group.host_school,
            after={"started_at": now.isoformat()},
        )
    return session


def end_session(actor: Actor, session: ClassSession, *, now=None) -> ClassSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            ClassSession.objects.select_for_update().select_related("group").get(pk=session.pk)
        )
        _guard(actor, session)
        if session.ended_at:
            return session
        if not session.started_at:
            raise ValidationError(_("这节课还没有开始：请先点“开始上课”。"))
        session.ended_at = now
        session.save(update_fields=["ended_at"])
        record(
            actor,
            AuditAction.UPDATE,
            session,
            unit=session.group.host_school,
            after={"ended_at": now.isoformat()},
        )
    return session


def cancel_session(actor: Actor, session: ClassSession, reason: str, *, now=None) -> ClassSession:
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写取消原因，听讲学校会看到它。")]})
    with transaction.atomic():
        session = (
            ClassSession.objects.select_for_update().select_related("group").get(pk=session.pk)
        )
        if not rules.can_run_session(actor.person, session):
            raise PermissionDenied
        if session.cancelled_at:
            return session
        if session.started_at:
            raise ValidationError(_("这节课已开始，不能取消。"))
        session.cancelled_at = now
        session.cancel_reason = reason
        session.save(update_fields=["cancelled_at", "cancel_reason"])
        record(
            actor,
            AuditAction.UPDATE,
            session,
            unit=session.group.host_school,
            after={"cancelled": True},
            reason=reason,
        )
        transaction.on_commit(lambda: _tell_assistants(session.pk))
    return session


def _tell_assistants(session_id: int) -> None:
    """The receiving classes' assistants learn of a cancellation and its reason."""
    from django.urls import reverse

    from youke.classrooms.models import ReceivingClassroom
    from youke.notifications.domain.notify import notify

    session = ClassSession.objects.select_related("period", "group").get(pk=session_id)
    rooms = ReceivingClassroom.objects.filter(
        group_id=session.group_id, assistant__isnull=False
    ).select_related("assistant")
    for room in rooms:
        notify(
            room.assistant,
            NotificationKind.CLASS_CHANGED,
            title=_("专递课堂取消：%(subject)s") % {"subject": session.period.subject},
            body=_("%(group)s %(when)s 的%(subject)s课已取消，原因：%(reason)s")
            % {
                "group": session.group.name,
                "when": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                "subject": session.period.subject,
                "reason": session.cancel_reason,
            },
            url=reverse("portal_classrooms:session", args=[session.pk]),
            dedupe_key=f"classrooms-cancelled:{session.pk}:{room.assistant_id}",
        )


def substitute_session(actor: Actor, session: ClassSession, teacher, reason: str) -> ClassSession:
    """代课: another teacher of the host school takes this one session, if free then."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写代课原因。")]})
    with transaction.atomic():
        session = (
            ClassSession.objects.select_for_update()
            .select_related("group__host_school", "host_teacher")
            .get(pk=session.pk)
        )
        if not rules.can_edit_timetable(actor.person, session.group):
            raise PermissionDenied
        if session.cancelled_at or session.started_at:
            raise ValidationError(_("已开始或已取消的课不能安排代课。"))
        if teacher.pk == session.host_teacher_id:
            raise ValidationError({"teacher": [_("代课教师就是当前的主讲教师。")]})
        if not teacher.unit.path.startswith(session.group.host_school.path):
            raise ValidationError({"teacher": [_("代课教师须是主讲学校的教师。")]})
        busy = (
            ClassSession.objects.filter(
                host_teacher=teacher,
                starts_at__lt=session.ends_at,
                ends_at__gt=session.starts_at,
                cancelled_at__isnull=True,
            )
            .select_related("group", "period")
            .first()
        )
        if busy is not None:
            raise ValidationError(
                {
                    "teacher": [
                        _("%(name)s 此时在“%(group)s”有%(subject)s课：请另选一位教师。")
                        % {
                            "name": teacher.full_name,
                            "group": busy.group.name,
                            "subject": busy.period.subject,
                        }
                    ]
                }
            )
        if session.substituted_for_id is None:
            session.substituted_for_id = session.host_teacher_id
        session.host_teacher = teacher
        session.substitute_reason = reason
        session.save(update_fields=["host_teacher", "substituted_for", "substitute_reason"])
        record(
            actor,
            AuditAction.UPDATE,
            session,
            unit=session.group.host_school,
            after={"host_teacher": teacher.full_name},
            reason=reason,
        )
    return session


def add_extra_session(
    actor: Actor, period: Period, *, day: dt.date, starts_at: dt.time, reason: str
) -> ClassSession:
    """A make-up lesson (补课) outside the rule, e.g. for a cancelled one; same length."""
    group = period.group
    if not rules.can_edit_timetable(actor.person, group):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("请说明补课原因，例如补哪一天取消的课。")]})
    length = dt.datetime.combine(day, period.ends_at) - dt.datetime.combine(day, period.starts_at)
    start = _aware(day, starts_at)
    end = start + length
    teacher_busy = ClassSession.objects.filter(
        host_teacher_id=period.host_teacher_id,
        starts_at__lt=end,
        ends_at__gt=start,
        cancelled_at__isnull=True,
    ).exists()
    group_busy = ClassSession.objects.filter(
        group=group, starts_at__lt=end, ends_at__gt=start, cancelled_at__isnull=True
    ).exists()
    if teacher_busy or group_busy:
        raise ValidationError(
            {"starts_at": [_("补课时间与主讲教师或本组已有的课冲突：请换一个时间。")]}
        )
    session = ClassSession.objects.create(
        period=period,
        group=group,
        host_teacher_id=period.host_teacher_id,
        date=day,
        starts_at=start,
        ends_at=end,
        extra=True,
        extra_reason=reason.strip(),
    )
    record(actor, AuditAction.CREATE, session, unit=group.host_school, reason=reason)
    return session


def can_watch(person, session: ClassSession, *, password: str = "") -> bool:
    """The live link follows the period's view permission; participants always see it."""
    permission = session.period.view_permission
    if permission == ViewPermission.PUBLIC:
        return True
    if person is not None and person.is_authenticated:
        if rules.groups_visible_to(person).filter(pk=session.group_id).exists():
            return True
        if permission == ViewPermission.LOGIN:
            return True
    if permission == ViewPermission.PASSWORD:
        return bool(password) and check_password(password, session.period.view_password)
    return False


def week_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    monday = day - dt.timedelta(days=day.weekday())
    return _aware(monday, dt.time()), _aware(monday + dt.timedelta(days=7), dt.time())


def teacher_week(person, day: dt.date) -> list[ClassSession]:
    """The person's sessions in the week of ``day``: as host or as a receiving assistant.

    Two index-served queries rather than one OR, which SQLite answers with a scan of every
    session of the term.
    """
    from youke.classrooms.models import ReceivingClassroom

    start, end = week_bounds(day)
    related = ("period", "group", "host_teacher")
    hosted = ClassSession.objects.filter(
        host_teacher=person, starts_at__gte=start, starts_at__lt=end
    ).select_related(*related)
    groups = list(
        ReceivingClassroom.objects.filter(assistant=person).values_list("group_id", flat=True)
    )
    found = {s.pk: s for s in hosted}
    if groups:
        helped = ClassSession.objects.filter(
            group_id__in=groups, starts_at__gte=start, starts_at__lt=end
        ).select_related(*related)
        found.update((s.pk, s) for s in helped)
    return sorted(found.values(), key=lambda s: (s.starts_at, s.pk))


def group_of_sessions(group: DeliveryGroup):
    return ClassSession.objects.filter(group=group).select_related("period", "host_teacher")
