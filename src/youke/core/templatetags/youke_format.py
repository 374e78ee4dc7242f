"""Formatting filters shared by every page."""

from django import template

register = template.Library()

UNITS = (("GB", 1024**3), ("MB", 1024**2))


def format_size(size) -> str:
    """Bytes in one style everywhere: KB, MB or GB with one decimal (``1.5 MB``)."""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return "—"
    for name, factor in UNITS:
        if size >= factor:
            return f"{size / factor:.1f} {name}"
    return f"{size / 1024:.1f} KB"


@register.filter(name="filesize")
def filesize(size) -> str:
    return format_size(size)
