"""Whole numbers from query strings and form fields.

One parser for every view that reads an id, a page or a count by hand: only ASCII digits
(``"²".isdigit()`` is true, yet ``int("²")`` raises), bounded to what the database stores,
and a default instead of an exception for anything else.
"""

from __future__ import annotations

MAX_INT = 2**31 - 1  # the largest value of an integer column on both databases


def int_param(raw, default=None, *, minimum: int | None = 0, maximum: int = MAX_INT):
    """``raw`` as an int within [minimum, maximum], else ``default``; ``minimum=None`` lets
    negative numbers through (for a caller that explains them itself)."""
    text = "" if raw is None else str(raw).strip()
    digits = text[1:] if text[:1] in ("-", "+") else text
    if not digits or len(digits) > 12 or not (digits.isascii() and digits.isdigit()):
        return default
    value = int(text)
    if (minimum is not None and value < minimum) or value > maximum:
        return default
    return value
