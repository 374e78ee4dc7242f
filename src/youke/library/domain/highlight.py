"""Matched words wrapped in <mark> (escaped text; longest words first)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from youke.core.chinese import fold


def highlight(text: str, terms: list[str]) -> SafeString:
    """Marks every place where a (folded) term occurs; the original characters are kept."""
    if not text:
        return mark_safe("")
    terms = [t for t in terms if t and len(t) <= 50]
    if not terms:
        return mark_safe(escape(text))
    folded = fold(text)
    if len(folded) != len(text):  # NFKC changed lengths: no safe position mapping
        return mark_safe(escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    out, last = [], 0
    for match in pattern.finditer(folded):
        out.append(escape(text[last : match.start()]))
        out.append("<mark>" + escape(text[match.start() : match.end()]) + "</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
