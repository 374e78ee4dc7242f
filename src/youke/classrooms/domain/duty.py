"""R16 duty per semester: each registered master teacher gives at least
``Term.master_lessons_required`` demonstration or open lessons that received online review.

Counted in one query per term and unit; reminders go out in the last two weeks of a term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms.enums import LessonState
from youke.classrooms.models import DemoLesson, Evaluation, MasterTeacher, Term
from youke.notifications.enums import NotificationKind
from youke.orgs.models import Unit

REMINDER_DAYS = 14


@dataclass
class DutyRow:
    master_id: int
    full_name: str
    title: str
    unit_name: str
    lessons: int
    reviewed_lessons: int
    reviews_written: int
    done: bool


def _bounds(term: Term) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(term.starts_on, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(term.ends_on + dt.timedelta(days=1), dt.time()))
    return start, end


def duty_rows(term: Term, unit: Unit | None = None) -> list[DutyRow]:
    """Masters registered under ``unit`` (default: the term's unit) with their figures."""
    unit = unit or term.unit
    start, end = _bounds(term)
    in_term = Q(lessons__starts_at__gte=start, lessons__starts_at__lt=end) & ~Q(
        lessons__state=LessonState.CANCELLED
    )
    masters = (
        MasterTeacher.objects.filter(unit__path__under=unit.path, is_active=True)
        .select_related("person", "unit")
        .annotate(
            lesson_count=Count("lessons", filter=in_term, distinct=True),
            reviewed_count=Count(
                "lessons",
                filter=in_term & Q(lessons__in=DemoLesson.objects.filter(reviewed_q())),
                distinct=True,
            ),
        )
        .order_by("unit__path", "id")
    )
    written = dict(
        Evaluation.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            author__in=MasterTeacher.objects.filter(unit__path__under=unit.path).values("person"),
        )
        .values_list("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    return [
        DutyRow(
            master_id=m.pk,
            full_name=m.person.full_name,
            title=m.get_title_display(),
            unit_name=m.unit.name,
            lessons=m.lesson_count,
            reviewed_lessons=m.reviewed_count,
            reviews_written=written.get(m.person_id, 0),
            done=m.reviewed_count >= term.master_lessons_required,
        )
        for m in masters
    ]


def reviewed_q() -> Q:
    return Q(Exists(Evaluation.objects.filter(lesson=OuterRef("pk"))))


def send_duty_reminders(today: dt.date | None = None) -> int:
    """Notify every master still short of the duty in a term ending within two weeks."""
    from youke.notifications.domain.notify import notify

    today = today or timezone.localdate()
    sent = 0
    terms = Term.objects.filter(
        ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=REMINDER_DAYS)
    ).select_related("unit")
    for term in terms:
        missing = [row for row in duty_rows(term) if not row.done]
        masters = MasterTeacher.objects.select_related("person").in_bulk(
            [r.master_id for r in missing]
        )
        for row in missing:
            master = masters[row.master_id]
            made = notify(
                master.person,
                NotificationKind.MASTER_DUTY,
                title=_("名师课堂：本学期示范课尚未完成"),
                body=_(
                    "%(term)s 将于 %(end)s 结束。您本学期已开经过网络评课的示范课或公开课 "
                    "%(done)d 节，要求 %(required)d 节：请尽快安排一节并组织在线评课。"
                )
                % {
                    "term": term.name,
                    "end": term.ends_on.isoformat(),
                    "done": row.reviewed_lessons,
                    "required": term.master_lessons_required,
                },
                url=reverse("portal_classrooms:lessons"),
                dedupe_key=f"classrooms-duty:{term.pk}:{master.pk}",
            )
            sent += made is not None
    return sent
