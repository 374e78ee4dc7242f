"""Cleaning what a client tells us about a file."""

from __future__ import annotations

import re
import unicodedata

MAX_FILENAME = 255
# Path separators, Windows-reserved characters and control characters never reach storage.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def clean_filename(raw: str) -> str:
    """The last path part of a client-supplied name, safe to show and to store.

    ``"..\\..\\etc/passwd"`` becomes ``"passwd"``; an empty or dots-only name becomes "".
    Names longer than 255 characters keep their extension.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".").strip()
    if not name:
        return ""
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_FILENAME - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME]
    return name


def human_size(size: int) -> str:
    """Sizes the way teachers read them: 1 GB = 1024 MB."""
    units = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024))
    for unit, factor in units:
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    return f"{size} B"
