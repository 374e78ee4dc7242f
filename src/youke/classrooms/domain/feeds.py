"""iCalendar feeds: one VEVENT per period with its RRULE, holidays and cancellations as
EXDATE, make-up days as RDATE, so a calendar app shows exactly the generated sessions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from youke.classrooms.domain.calendar import TermCalendar, meeting_dates
from youke.classrooms.models import CalendarFeed, ClassSession, Period, ReceivingClassroom

PRODID = "-//youke//三个课堂//ZH"


def feed_for_person(person) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(person=person)
    return feed


def feed_for_classroom(classroom: ReceivingClassroom) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(classroom=classroom)
    return feed


def feed_periods(feed: CalendarFeed):
    if feed.person_id:
        assisted = ReceivingClassroom.objects.filter(assistant_id=feed.person_id).values("group_id")
        periods = Period.objects.filter(host_teacher_id=feed.person_id) | Period.objects.filter(
            group_id__in=assisted
        )
    else:
        periods = Period.objects.filter(group_id=feed.classroom.group_id)
    return (
        periods.select_related("group__term", "group__host_school", "host_teacher")
        .prefetch_related("group__term__days")
        .order_by("id")
    )


def build_calendar(feed: CalendarFeed) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "三个课堂课表")
    zone = timezone.get_current_timezone()
    periods = list(feed_periods(feed))
    cancelled: dict[int, list[dt.date]] = {}
    for period_id, day in ClassSession.objects.filter(
        period__in=periods, cancelled_at__isnull=False, extra=False
    ).values_list("period_id", "date"):
        cancelled.setdefault(period_id, []).append(day)
    for period in periods:
        term = period.group.term
        days = meeting_dates(period.rrule, period.weekday, TermCalendar.of(term))
        if not days:
            continue
        first = term.starts_on + dt.timedelta(days=(period.weekday - term.starts_on.weekday()) % 7)
        start = dt.datetime.combine(first, period.starts_at, tzinfo=zone)
        end = dt.datetime.combine(first, period.ends_at, tzinfo=zone)
        event = Event()
        event.add("uid", f"period-{period.pk}@youke")
        event.add("summary", f"{period.subject}（{period.group.name}）")
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("dtstamp", period.created_at)
        until = dt.datetime.combine(term.ends_on, dt.time(23, 59, 59), tzinfo=zone)
        rule = dict(part.split("=", 1) for part in period.rrule.split(";"))
        rule = {key.lower(): value for key, value in rule.items()}
        rule["until"] = until.astimezone(dt.UTC)
        event.add("rrule", rule)
        calendar_days = TermCalendar.of(term)
        raw_days = set(
            meeting_dates(period.rrule, period.weekday, TermCalendar(term.starts_on, term.ends_on))
        )
        skipped = sorted((raw_days - set(days)) | set(cancelled.get(period.pk, [])))
        if skipped:
            event.add(
                "exdate", [dt.datetime.combine(d, period.starts_at, tzinfo=zone) for d in skipped]
            )
        extra = sorted(d for d in days if d in calendar_days.makeups)
        if extra:
            event.add(
                "rdate", [dt.datetime.combine(d, period.starts_at, tzinfo=zone) for d in extra]
            )
        event.add("location", period.group.host_school.name)
        description = f"主讲：{period.host_teacher.full_name}"
        if period.live_url:
            description += f"\n直播：{period.live_url}"
            event.add("url", period.live_url)
        event.add("description", description)
        calendar.add_component(event)
    return calendar.to_ical()
