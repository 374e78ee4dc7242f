"""The Chinese font that generated PDFs (lists, certificates) embed.

ReportLab embeds TrueType outlines only: the CFF-based OpenType CJK fonts that most systems
ship (Noto/Source Han) cannot be embedded, so a PDF set in them would depend on the reader's
fonts. We look for a TrueType CJK font (the ``PDF_FONT`` setting first, then Debian's
WenQuanYi Zen Hei and AR PL UMing) and embed a subset of it; only if none exists do we fall
back to ReportLab's built-in ``STSong-Light`` CID font, which readers substitute.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
EMBEDDED_NAME = "YoukeCJK"
FALLBACK_NAME = "STSong-Light"

_lock = threading.Lock()
_registered: PdfFont | None = None


@dataclass(frozen=True)
class PdfFont:
    name: str  # the ReportLab font name to set text in
    embedded: bool  # False: the built-in CID font, which a reader without it substitutes
    path: str = ""


def _candidates() -> list[tuple[str, int]]:
    found = []
    configured = getattr(settings, "PDF_FONT", "")
    if configured:
        path, _, index = configured.partition("#")
        found.append((path, int(index or 0)))
    found += [(path, 0) for path in KNOWN_FONTS]
    return found


def chinese_font() -> PdfFont:
    """Register (once per process) and return the font Chinese text is set in."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        for path, index in _candidates():
            if not Path(path).is_file():
                continue
            try:
                pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, path, subfontIndex=index))
            except TTFError:
                continue  # CFF outlines or a broken file: try the next one
            _registered = PdfFont(EMBEDDED_NAME, True, path)
            return _registered
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
        _registered = PdfFont(FALLBACK_NAME, False)
        return _registered
