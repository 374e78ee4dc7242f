"""Short quoted clips that the package cites are not copies (R14).

A citation names another package when its source or note contains that package's title, or
its author is that package's teacher. A video match is excused when such a citation exists and
every aligned segment is no longer than the campaign's ``quoted_clip_seconds``: a whole lesson
cannot be "quoted", and a clip from a package the teacher did not cite still counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from youke.originality.domain.alignment import Segment

# Book-title marks, quotes and spacing people put around a title they cite.
_NOISE = re.compile(r"[\s《》〈〉「」『』“”\"'‘’()（）]+")
# Shorter titles ("复习") would be found inside unrelated sources.
MIN_TITLE_CHARS = 3


def _plain(text: str) -> str:
    return _NOISE.sub("", text or "")


def citation_naming(
    citations: Iterable[tuple[str, str, str]], other_title: str, other_teacher: str
) -> str:
    """``"出处 / 作者"`` of the first citation that names the other package, else ``""``."""
    title, teacher = _plain(other_title), _plain(other_teacher)
    for source, author, note in citations:
        named_title = len(title) >= MIN_TITLE_CHARS and (
            title in _plain(source) or title in _plain(note)
        )
        named_teacher = bool(teacher) and (
            _plain(author) == teacher or (len(teacher) >= 2 and teacher in _plain(source))
        )
        if named_title or named_teacher:
            return f"{source} / {author}"[:320]
    return ""


def is_short_quote(segments: Iterable[Segment], limit_seconds: int) -> bool:
    segments = list(segments)
    return (
        bool(segments) and limit_seconds > 0 and all(s.seconds <= limit_seconds for s in segments)
    )
