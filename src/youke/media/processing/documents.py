"""Author traces in documents and videos, for blind review: remove them, or find them.

- ``sanitise(src, dst, content_type, names)`` writes a copy of a docx/pptx/xlsx or PDF
  without its author fields and returns what it removed as ``Stripped(field, value)``:
  OOXML ``docProps/core.xml`` (creator, lastModifiedBy always; title, subject, description,
  keywords, category when they contain one of ``names``) and ``docProps/app.xml`` (Company,
  Manager); PDF document information (Author always, other entries naming someone) and the
  XMP packet (dropped whole: it repeats the author). Every other byte of an OOXML package is
  copied member by member; the original file is never touched.
- ``body_text(path, content_type)`` extracts visible text (docx paragraphs and tables,
  pptx text frames, PDF pages), bounded in characters, pages and time.
- ``video_tags(path)`` reads MP4/MOV tags (title, artist, comment, copyright …) with mutagen.

Django-free like the rest of ``processing``; callers pass local paths.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

OOXML_PREFIX = "application/vnd.openxmlformats-officedocument."
DOCX = OOXML_PREFIX + "wordprocessingml.document"
PPTX = OOXML_PREFIX + "presentationml.presentation"
XLSX = OOXML_PREFIX + "spreadsheetml.sheet"
PDF = "application/pdf"
SANITISABLE = frozenset({DOCX, PPTX, XLSX, PDF})

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
PART_MAX_BYTES = 256 * 1024
PART_MAX_RATIO = 100
# The copy streams members; this bounds a whole package against zip bombs.
PACKAGE_MAX_BYTES = 2 * 1024**3

NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
for _prefix, _uri in NS.items():
    if _prefix != "ep":
        ElementTree.register_namespace(_prefix, _uri)

# (tag, field key, always removed?)
CORE_FIELDS = (
    ("dc:creator", "creator", True),
    ("cp:lastModifiedBy", "lastModifiedBy", True),
    ("dc:title", "title", False),
    ("dc:subject", "subject", False),
    ("dc:description", "description", False),
    ("cp:keywords", "keywords", False),
    ("cp:category", "category", False),
)
APP_FIELDS = (("ep:Company", "Company"), ("ep:Manager", "Manager"))
PDF_ALWAYS = ("/Author",)
PDF_IF_NAMED = ("/Title", "/Subject", "/Keywords", "/Creator", "/Producer")

TEXT_MAX_CHARS = 200_000
TEXT_MAX_PAGES = 200
TEXT_SECONDS = 10.0

MP4_TAGS = {
    "©nam": "title",
    "©ART": "artist",
    "aART": "album_artist",
    "©alb": "album",
    "©cmt": "comment",
    "cprt": "copyright",
    "©wrt": "composer",
    "desc": "description",
    "ldes": "long_description",
    "©day": "date",
    "©too": "encoder",
}


class SanitiseError(Exception):
    """The file cannot be read as what its content type says; nothing was written."""


@dataclass(frozen=True)
class Stripped:
    field: str
    value: str


def _names_in(value: str, names: list[str]) -> bool:
    return any(name and name in value for name in names)


# --- OOXML -----------------------------------------------------------------------------------


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > PART_MAX_BYTES or (
        info.compress_size and info.file_size / info.compress_size > PART_MAX_RATIO
    ):
        raise SanitiseError(f"{name} is oversized")
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise SanitiseError(f"{name} declares a DTD")
    return data


def _strip_core(data: bytes, names: list[str]) -> tuple[bytes, list[Stripped]]:
    # Safe without defusedxml: DTDs are refused in _read_part and expat fetches nothing.
    root = ElementTree.fromstring(data)  # noqa: S314
    removed = []
    for tag, key, always in CORE_FIELDS:
        for element in root.findall(tag, NS):
            value = "".join(element.itertext()).strip()
            if always or _names_in(value, names):
                root.remove(element)
                if value:
                    removed.append(Stripped(key, value))
    return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True), removed


def _strip_app(data: bytes) -> tuple[bytes, list[Stripped]]:
    ElementTree.register_namespace("", NS["ep"])
    root = ElementTree.fromstring(data)  # noqa: S314
    removed = []
    for tag, key in APP_FIELDS:
        for element in root.findall(tag, NS):
            value = "".join(element.itertext()).strip()
            root.remove(element)
            if value:
                removed.append(Stripped(key, value))
    return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True), removed


def _sanitise_ooxml(src: Path, dst: Path, names: list[str]) -> list[Stripped]:
    removed: list[Stripped] = []
    with zipfile.ZipFile(src) as archive:
        if sum(i.file_size for i in archive.infolist()) > PACKAGE_MAX_BYTES:
            raise SanitiseError("package too large when unpacked")
        replaced = {}
        core = _read_part(archive, CORE)
        if core is not None:
            replaced[CORE], found = _strip_core(core, names)
            removed += found
        app = _read_part(archive, APP)
        if app is not None:
            replaced[APP], found = _strip_app(app)
            removed += found
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                if info.filename in replaced:
                    out.writestr(copy, replaced[info.filename])
                    continue
                with archive.open(info) as source, out.open(copy, "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
    return removed


# --- PDF -------------------------------------------------------------------------------------


def _sanitise_pdf(src: Path, dst: Path, names: list[str]) -> list[Stripped]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(src)
        if reader.is_encrypted:
            raise SanitiseError("encrypted PDF")
        writer = PdfWriter(clone_from=reader)
        info = reader.metadata or {}
        removed = []
        kept = {}
        for key, value in info.items():
            text = str(value).strip()
            if key in PDF_ALWAYS or (key in PDF_IF_NAMED and _names_in(text, names)):
                if text:
                    removed.append(Stripped(key.lstrip("/"), text))
            else:
                kept[key] = value
        xmp_authors = _xmp_authors(reader)
        removed += [Stripped("xmp:dc:creator", value) for value in xmp_authors]
        root = writer._root_object
        if NameObject("/Metadata") in root:
            del root[NameObject("/Metadata")]
        writer.metadata = kept or None
        # The cloned /Info and XMP objects are now unreferenced: leave them out of the file.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        with open(dst, "wb") as handle:
            writer.write(handle)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SanitiseError(str(exc)) from exc
    return _unique(removed)


def _xmp_authors(reader) -> list[str]:
    try:
        xmp = reader.xmp_metadata
    except Exception:  # noqa: BLE001  (pypdf raises assorted errors on broken XMP)
        return []
    if xmp is None:
        return []
    values = list(xmp.dc_creator or [])
    return [v.strip() for v in values if v and v.strip()]


def _unique(items: list[Stripped]) -> list[Stripped]:
    return list(dict.fromkeys(items))


def sanitise(
    src: str | os.PathLike, dst: str | os.PathLike, content_type: str, names: list[str] = ()
) -> list[Stripped]:
    """Write the author-free copy of ``src`` to ``dst``; return what was removed."""
    src, dst = Path(src), Path(dst)
    if content_type == PDF:
        return _sanitise_pdf(src, dst, list(names))
    if content_type in (DOCX, PPTX, XLSX):
        try:
            return _unique(_sanitise_ooxml(src, dst, list(names)))
        except (zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
            raise SanitiseError(str(exc)) from exc
    raise SanitiseError(f"cannot sanitise {content_type}")


# --- finding -----------------------------------------------------------------------------------


class _Budget:
    def __init__(self, max_chars: int, seconds: float):
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars
        self.deadline = time.monotonic() + seconds

    def add(self, text: str) -> bool:
        """Keep ``text``; False once the size or time budget is spent."""
        if text:
            room = self.max_chars - self.size
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        return self.size < self.max_chars and time.monotonic() < self.deadline

    def text(self) -> str:
        return "\n".join(self.parts)


def body_text(
    path: str | os.PathLike,
    content_type: str,
    *,
    max_chars: int = TEXT_MAX_CHARS,
    max_pages: int = TEXT_MAX_PAGES,
    seconds: float = TEXT_SECONDS,
) -> str:
    """Visible text of a docx, pptx or PDF ('' for anything else or an unreadable file)."""
    budget = _Budget(max_chars, seconds)
    try:
        if content_type == DOCX:
            _docx_text(Path(path), budget)
        elif content_type == PPTX:
            _pptx_text(Path(path), budget, max_pages)
        elif content_type == PDF:
            _pdf_text(Path(path), budget, max_pages)
    except Exception as exc:  # noqa: BLE001  (a warning helper never fails a review round)
        logger.info("no text from %s (%s): %s", path, content_type, exc)
    return budget.text()


def _docx_text(path: Path, budget: _Budget) -> None:
    import docx

    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if not budget.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if not budget.add(cell.text):
                    return
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                if not budget.add(paragraph.text):
                    return


def _pptx_text(path: Path, budget: _Budget, max_pages: int) -> None:
    import pptx

    presentation = pptx.Presentation(str(path))
    for index, slide in enumerate(presentation.slides):
        if index >= max_pages:
            return
        for shape in slide.shapes:
            if shape.has_text_frame and not budget.add(shape.text_frame.text):
                return


def _pdf_text(path: Path, budget: _Budget, max_pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(path)
    for index, page in enumerate(reader.pages):
        if index >= max_pages or not budget.add(page.extract_text() or ""):
            return


def video_tags(path: str | os.PathLike) -> list[Stripped]:
    """Text tags of an MP4/MOV file as (tag name, value); [] when there are none."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    try:
        tags = MP4(os.fspath(path)).tags
    except (MutagenError, OSError, ValueError):
        return []
    found = []
    for key, name in MP4_TAGS.items():
        for value in (tags or {}).get(key, []):
            if isinstance(value, str) and value.strip():
                found.append(Stripped(name, value.strip()))
    return found
