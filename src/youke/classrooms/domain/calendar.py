"""Term calendars: which dates a weekly period meets on (RRULE, holidays, make-up days).

A period's RRULE (e.g. ``FREQ=WEEKLY`` or ``FREQ=WEEKLY;INTERVAL=2``) is expanded by
python-dateutil from the first matching weekday of the term to its last day. Holidays remove
dates. A make-up day (调休) is a day that follows another weekday's timetable: it carries a
period when the rule meets on that weekday in the same week, and drops the day's own periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.rrule import WEEKLY, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.classrooms.enums import DayOffKind


def weekday_label(weekday: int) -> str:
    from youke.classrooms.calendar_labels import WEEKDAY_CHOICES

    return str(WEEKDAY_CHOICES[weekday][1])


@dataclass(frozen=True)
class TermCalendar:
    starts_on: dt.date
    ends_on: dt.date
    holidays: frozenset[dt.date] = frozenset()
    makeups: dict[dt.date, int] = field(default_factory=dict)  # date -> weekday it follows

    @classmethod
    def of(cls, term) -> TermCalendar:
        holidays, makeups = set(), {}
        for day in term.days.all():
            if day.kind == DayOffKind.HOLIDAY:
                holidays.add(day.date)
            elif day.follows_weekday is not None:
                makeups[day.date] = day.follows_weekday
        return cls(term.starts_on, term.ends_on, frozenset(holidays), makeups)


def clean_rule(rule: str, weekday: int) -> str:
    """The rule in canonical form; refuses rules that are not weekly on the period's day."""
    rule = rule.strip().upper().removeprefix("RRULE:")
    if not rule:
        rule = "FREQ=WEEKLY"
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    problem = None
    if any(key in parts for key in ("DTSTART", "UNTIL")):
        problem = _("不要填写 DTSTART 或 UNTIL：起止日期取自学期。")
    else:
        try:
            parsed = rrulestr(f"RRULE:{rule}", dtstart=dt.datetime(2026, 1, 5))
        except (ValueError, TypeError):
            parsed = None
            problem = _("重复规则无法识别：请使用 iCalendar 格式，例如 FREQ=WEEKLY;INTERVAL=2。")
        if parsed is not None and parsed._freq != WEEKLY:
            problem = _("重复规则须为每周（FREQ=WEEKLY），可用 INTERVAL=2 表示隔周。")
        elif parsed is not None and "BYDAY" in parts:
            problem = _("重复规则里不要写 BYDAY：星期由课节的“星期”一栏决定。")
    if problem:
        raise ValidationError({"rrule": [problem]})
    return rule


def meeting_dates(rule: str, weekday: int, calendar: TermCalendar) -> list[dt.date]:
    """Dates in the term on which a period with ``rule`` on ``weekday`` meets, in order."""
    first = calendar.starts_on + dt.timedelta(days=(weekday - calendar.starts_on.weekday()) % 7)
    if first > calendar.ends_on:
        raw: set[dt.date] = set()
    else:
        expanded = rrulestr(f"RRULE:{rule}", dtstart=dt.datetime.combine(first, dt.time())).replace(
            until=dt.datetime.combine(calendar.ends_on, dt.time())
        )
        raw = {moment.date() for moment in expanded}
    dates = {d for d in raw if d not in calendar.holidays and d not in calendar.makeups}
    for day, follows in calendar.makeups.items():
        # The date of the followed weekday in the make-up day's own week.
        reference = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=follows)
        if follows == weekday and reference in raw and day not in calendar.holidays:
            dates.add(day)
    return sorted(dates)


def effective_weekday(day: dt.date, calendar: TermCalendar) -> int:
    return calendar.makeups.get(day, day.weekday())
