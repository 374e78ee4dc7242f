"""Cleaning what a client tells us about a file."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

MAX_FILENAME = 255
# Path separators, Windows-reserved characters, C0/C1 control characters and the invisible
# characters that can disguise a name: bidirectional embeddings, overrides and isolates
# ("invoice‮fdp.exe" shows as "invoiceexe.pdf"), zero-width characters, direction marks and
# the byte-order mark. None of them reaches storage or a page.
_UNSAFE = re.compile(
    '[\\x00-\\x1f\\x7f-\\x9f<>:"|?*\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]'
)


def _strip_unsafe(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    return _UNSAFE.sub("", name).strip()


def clean_filename(raw: str) -> str:
    """The last path part of a client-supplied name, safe to show and to store.

    ``"..\\..\\etc/passwd"`` becomes ``"passwd"``; an empty or dots-only name becomes "".
    Names longer than 255 characters keep their extension.
    """
    name = _strip_unsafe(raw).lstrip(".").strip()
    if not name:
        return ""
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_FILENAME - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME]
    return name


def extension_only(raw: str) -> str:
    """``".pdf"`` for names like ``.pdf`` (or ``‮.pdf``): an extension with nothing before it.

    Cleaning would turn ``.pdf`` into ``pdf``, a name without an extension that no material
    accepts, so such a file is refused when the upload is created. "" for any other name.
    """
    name = _strip_unsafe(raw)
    rest = name.lstrip(".").strip()
    if name.startswith(".") and rest and "." not in rest:
        return "." + rest
    return ""


def human_size(size: int) -> str:
    """Sizes the way teachers read them: 1 GB = 1024 MB."""
    units = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024))
    for unit, factor in units:
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    return f"{size} B"


def _truncated_human(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return _size_in(size, factor, unit, 1)
    return f"{size} B"


def _size_in(size: int, factor: int, unit: str, digits: int) -> str:
    # Truncated, never rounded: a size just over a limit must not read as the limit.
    scale = 10**digits
    whole, part = divmod(size * scale // factor, scale)
    text = f"{whole}.{part:0{digits}d}".rstrip("0").rstrip(".") if digits else str(whole)
    return f"{text} {unit}"


def over_limit_sizes(size: int, limit: int) -> tuple[str, str]:
    """``(size, limit)`` as texts for "size exceeds limit" messages, never reading alike.

    ``human_size`` rounds to one decimal, so a file one byte over 1 GB would read "1 GB
    exceeds 1 GB". The limit is shown as usual; the size gets more decimals (truncated, so
    it never reads larger than it is) until the two differ; both in bytes as a last resort.
    """
    limit_text = human_size(limit)
    if size <= limit:
        return human_size(size), limit_text
    own = _truncated_human(size)
    if own != _truncated_human(limit):
        return own, limit_text
    unit = limit_text.rsplit(" ", 1)[-1]
    factor = {"GB": 1024**3, "MB": 1024**2, "KB": 1024}.get(unit)
    if factor is None:  # a limit under 1 KB is shown in exact bytes already
        return human_size(size), limit_text
    for digits in range(1, 7):
        text = _size_in(size, factor, unit, digits)
        if text != _size_in(limit, factor, unit, digits):
            return text, limit_text
    return _bytes(size), _bytes(limit)


def _bytes(size: int) -> str:
    return _("%(count)s 字节") % {"count": f"{size:,}"}
