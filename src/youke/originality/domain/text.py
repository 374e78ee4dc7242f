"""Document text: extraction (docx, pptx, pdf, xlsx), normalisation and MinHash signatures.

Pure functions of bytes and strings (no database). Normalisation makes light edits and
script changes invisible: NFKC (full-width → half-width), traditional → simplified
(OpenCC), punctuation and whitespace dropped, Latin lower-cased. Shingles are runs of
``SHINGLE`` characters of that text.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from xml.etree import ElementTree

import numpy as np

SHINGLE = 8
PERMUTATIONS = 128
# 64 bands × 2 rows: pairs above ~0.25 Jaccard meet in two bands or more; the exact
# weighted comparison that follows decides.
BANDS = 64
ROWS = PERMUTATIONS // BANDS
MAX_TEXT = 200_000  # characters kept per document
# Archive members read for text, bounded so a zip bomb cannot exhaust memory.
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200

_MERSENNE = (1 << 61) - 1
_rng = np.random.default_rng(20251205)
_A = _rng.integers(1, _MERSENNE, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _MERSENNE, size=PERMUTATIONS, dtype=np.uint64)

_converter = None


def _to_simplified(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified(text)
    return _DROP.sub("", text).lower()[:MAX_TEXT]


def extract_text(data: bytes, content_type: str, filename: str = "") -> str:
    """Visible text of a document; '' for a type without text (or an unreadable file)."""
    kind = (filename.rsplit(".", 1)[-1].lower() if "." in filename else "") or content_type
    try:
        if kind == "pdf" or content_type == "application/pdf":
            return _pdf_text(data)
        if kind in ("docx", "pptx", "xlsx") or "openxmlformats" in content_type:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if "word/document.xml" in names:
                    return _xml_text(archive, ["word/document.xml"], "t")
                if any(n.startswith("ppt/slides/slide") for n in names):
                    slides = sorted(
                        (n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                        key=lambda n: int(re.findall(r"\d+", n)[-1]),
                    )
                    return _xml_text(archive, slides, "t")
                if "xl/workbook.xml" in names:
                    return _xlsx_text(data)
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, KeyError, OSError):
        return ""
    return ""


def _xml_text(archive: zipfile.ZipFile, names: list[str], tag: str) -> str:
    parts: list[str] = []
    for name in names:
        info = archive.getinfo(name)
        if info.file_size > MAX_MEMBER_BYTES or (
            info.compress_size and info.file_size / info.compress_size > MAX_RATIO
        ):
            continue  # a zip bomb's part is skipped, not inflated
        data = archive.read(info)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            continue  # no DTDs: expat then resolves nothing (entity expansion attacks)
        root = ElementTree.fromstring(data)  # noqa: S314
        for element in root.iter():
            if element.tag.rsplit("}", 1)[-1] == tag and element.text:
                parts.append(element.text)
            elif element.tag.rsplit("}", 1)[-1] == "p":
                parts.append("\n")
    return "".join(parts)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:300])


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True, max_row=5000):
            cells.extend(str(v) for v in row if isinstance(v, str))
    book.close()
    return "\n".join(cells)


def shingles(text: str) -> np.ndarray:
    """Sorted distinct 64-bit ids of the text's character shingles."""
    if len(text) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    ids = {
        int.from_bytes(
            hashlib.blake2b(text[k : k + SHINGLE].encode(), digest_size=8).digest(), "big"
        )
        for k in range(len(text) - SHINGLE + 1)
    }
    return np.array(sorted(ids), dtype=np.uint64)


def shingle_positions(text: str) -> dict[int, int]:
    """Shingle id → first position in the text (for showing passages)."""
    found: dict[int, int] = {}
    for k in range(len(text) - SHINGLE + 1):
        key = int.from_bytes(
            hashlib.blake2b(text[k : k + SHINGLE].encode(), digest_size=8).digest(), "big"
        )
        found.setdefault(key, k)
    return found


def minhash(ids: np.ndarray) -> np.ndarray:
    """PERMUTATIONS minimum hash values (uint32) of a shingle set."""
    if not len(ids):
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    x = (ids % np.uint64(_MERSENNE)).astype(np.uint64)
    out = np.empty(PERMUTATIONS, dtype=np.uint32)
    # (a·x + b) mod p with 61-bit operands would overflow uint64: split x into 32-bit halves.
    lo, hi = x & np.uint64(0xFFFFFFFF), x >> np.uint64(32)
    for k in range(PERMUTATIONS):
        a_lo, a_hi = _A[k] & np.uint64(0xFFFFFFFF), _A[k] >> np.uint64(32)
        v = (lo * a_lo + ((lo * a_hi + hi * a_lo) << np.uint64(32)) + _B[k]) >> np.uint64(29)
        out[k] = int(v.min()) & 0xFFFFFFFF
    return out


def band_keys(signature: np.ndarray) -> list[int]:
    """One 63-bit key per band (band number in the top bits) for the LSH index."""
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "big")
        keys.append((band << 56) | digest)
    return keys
