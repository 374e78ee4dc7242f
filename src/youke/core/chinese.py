"""Chinese text folding shared by search (library) and text comparison (originality)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported on first use: loading the dictionaries costs ~50 ms

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters mapped to simplified (OpenCC ``t2s``)."""
    return _t2s().convert(text) if text else text


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified, lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()
