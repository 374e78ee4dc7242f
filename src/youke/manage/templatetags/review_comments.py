"""``{{ comment|time_links }}``: a reviewer's comment with every time mark made a seek link.

"03:12 板书有误" becomes ``<a href="#" data-seek-seconds="192">03:12</a> 板书有误``: the player's
script seeks the page's video when such a link is clicked. Everything else is escaped, so a
comment can carry no markup of its own; line breaks are kept.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# h:mm:ss or mm:ss (minutes may exceed 59 without an hour part); not inside longer numbers.
TIME_MARK = re.compile(r"(?<![\d:])(?:(\d{1,2}):([0-5]\d)|(\d{1,3})):([0-5]\d)(?![\d:])")


def seconds_of(match: re.Match) -> int:
    hours, minutes_h, minutes, seconds = match.groups()
    if hours is not None:
        return int(hours) * 3600 + int(minutes_h) * 60 + int(seconds)
    return int(minutes) * 60 + int(seconds)


def time_links_html(text: str) -> str:
    # Escaping never touches digits or colons, so marks are found in the escaped text as typed.
    escaped = str(escape(text or ""))

    def link(match: re.Match) -> str:
        return f'<a href="#" data-seek-seconds="{seconds_of(match)}">{match.group(0)}</a>'

    return TIME_MARK.sub(link, escaped).replace("\r\n", "\n").replace("\n", "<br>")


@register.filter
def time_links(text: str) -> SafeString:
    return mark_safe(time_links_html(text))  # noqa: S308  (escaped above; only our links added)
