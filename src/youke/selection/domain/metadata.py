"""Author traces inside files (issue 4 item 6, issue 7 item 4): blind-mode warnings beyond
file names — document properties, document body text and video tags.

``document_authors(path, content_type)`` reads only what it needs: for OOXML (docx, pptx,
xlsx) the ``docProps/core.xml`` member, refused when oversized or suspiciously compressed;
for PDF the first and last 64 KB, where the document information dictionary lives in real
files (classic trailer or an incremental update at the end). Nothing else is parsed.
``metadata_leaks(entry)`` turns author fields, body text (``blind_copies.document_text``,
bounded and cached by content hash) and MP4 tags (mutagen) naming the teacher, a co-author
or the school into the same kind of Chinese warning as ``review.identity_leaks``.
"""

from __future__ import annotations

import codecs
import os
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from youke.media.processing.documents import video_tags
from youke.selection.models import LevelEntry
from youke.submissions.domain.blind_copies import document_text, identity_names
from youke.submissions.domain.checks import local_file
from youke.submissions.models import Material

PDF_WINDOW = 64 * 1024
CORE_XML = "docProps/core.xml"
CORE_MAX_BYTES = 256 * 1024
CORE_MAX_RATIO = 100
OOXML_TYPES = (
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.ms-word.document.macroEnabled",
    "application/vnd.ms-powerpoint.presentation.macroEnabled",
    "application/vnd.ms-excel.sheet.macroEnabled",
)
PDF_TYPE = "application/pdf"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
CORE_FIELDS = (("dc:creator", "creator"), ("cp:lastModifiedBy", "lastModifiedBy"))
PDF_FIELDS = (b"Author", b"Creator")
# /Author (literal) or /Author <hex>; literal strings may nest balanced parentheses.
PDF_KEY = re.compile(rb"/(Author|Creator)\s*(\(|<(?!<))")
PDF_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}
MAX_VALUE_BYTES = 4096


def _is_ooxml(content_type: str) -> bool:
    return content_type.startswith(OOXML_TYPES)


def document_authors(path: Path | str, content_type: str) -> list[str]:
    """Author-like fields of an OOXML or PDF file, without duplicates; [] for anything else.

    Unreadable or malformed files give [] rather than an error: a warning helper never
    blocks a review round.
    """
    return [value for _field, value in _fields(Path(path), content_type)]


def _dedupe(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for field, value in pairs:
        value = value.strip()
        if value and value not in seen:
            seen.add(value)
            out.append((field, value))
    return out


def _ooxml_fields(path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        try:
            info = archive.getinfo(CORE_XML)
        except KeyError:
            return []
        if info.file_size > CORE_MAX_BYTES:
            return []
        if info.compress_size and info.file_size / info.compress_size > CORE_MAX_RATIO:
            return []
        with archive.open(info) as member:
            data = member.read(CORE_MAX_BYTES + 1)
    if len(data) > CORE_MAX_BYTES or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return []  # no DTDs in core properties: refuse entity expansion outright
    # Safe without defusedxml: DTDs are refused above (no entity expansion), and expat
    # never fetches external resources.
    root = ElementTree.fromstring(data)  # noqa: S314
    pairs = []
    for tag, label in CORE_FIELDS:
        for element in root.findall(tag, NS):
            pairs.append((label, "".join(element.itertext())))
    return _dedupe(pairs)


def _pdf_windows(path: Path) -> list[bytes]:
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        head = handle.read(PDF_WINDOW)
        if size <= PDF_WINDOW:
            return [head]
        handle.seek(max(PDF_WINDOW, size - PDF_WINDOW))
        return [head, handle.read(PDF_WINDOW)]


def _pdf_fields(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for window in _pdf_windows(path):
        for match in PDF_KEY.finditer(window):
            start = match.end()
            raw = _literal(window, start) if match.group(2) == b"(" else _hex(window, start)
            if raw is not None:
                pairs.append((match.group(1).decode(), _decode_text(raw)))
    return _dedupe(pairs)


def _literal(data: bytes, start: int) -> bytes | None:
    """The bytes of a PDF literal string whose opening parenthesis ends at ``start``."""
    out = bytearray()
    depth = 1
    i = start
    end = min(len(data), start + MAX_VALUE_BYTES)
    while i < end:
        byte = data[i]
        if byte == 0x5C and i + 1 < len(data):  # backslash
            nxt = data[i + 1]
            if nxt in PDF_ESCAPES:
                out += PDF_ESCAPES[nxt]
                i += 2
                continue
            if 0x30 <= nxt <= 0x37:  # octal, up to three digits
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4]).group()
                out.append(int(digits, 8) & 0xFF)
                i += 1 + len(digits)
                continue
            if nxt in (0x0A, 0x0D):  # line continuation
                i += 2
                if nxt == 0x0D and i < len(data) and data[i] == 0x0A:
                    i += 1
                continue
            i += 1
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out)
        out.append(byte)
        i += 1
    return None


def _hex(data: bytes, start: int) -> bytes | None:
    close = data.find(b">", start, start + 2 * MAX_VALUE_BYTES)
    if close < 0:
        return None
    digits = re.sub(rb"\s", b"", data[start:close])
    if not re.fullmatch(rb"[0-9A-Fa-f]*", digits):
        return None
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode())


def _decode_text(raw: bytes) -> str:
    """PDF text strings: UTF-16BE with a BOM, UTF-8 with a BOM, else PDFDocEncoding ≈ Latin-1.

    BOM-less byte strings that are valid UTF-8 (common from Chinese tools) are read as UTF-8.
    """
    if raw.startswith(codecs.BOM_UTF16_BE):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# --- warnings --------------------------------------------------------------------------------


def _identity_names(entry: LevelEntry) -> list[str]:
    return identity_names(entry.submission)


def _fields(path: Path, content_type: str) -> list[tuple[str, str]]:
    try:
        if _is_ooxml(content_type):
            return _ooxml_fields(path)
        if content_type == PDF_TYPE:
            return _pdf_fields(path)
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return []
    return []


FIELD_LABELS = {
    "creator": _lazy("作者（dc:creator）"),
    "lastModifiedBy": _lazy("最后修改者（cp:lastModifiedBy）"),
    "Author": _lazy("作者（/Author）"),
    "Creator": _lazy("创建程序（/Creator）"),
    "title": _lazy("标题（©nam）"),
    "artist": _lazy("艺术家（©ART）"),
    "album_artist": _lazy("专辑艺术家（aART）"),
    "album": _lazy("专辑（©alb）"),
    "comment": _lazy("注释（©cmt）"),
    "copyright": _lazy("版权（cprt）"),
    "composer": _lazy("作曲（©wrt）"),
    "description": _lazy("描述（desc）"),
    "long_description": _lazy("详细描述（ldes）"),
    "date": _lazy("日期（©day）"),
    "encoder": _lazy("编码程序（©too）"),
}
VIDEO_TYPES = ("video/mp4", "video/quicktime")
EXCERPT_CHARS = 12


def _excerpt(text: str, name: str) -> str:
    at = text.find(name)
    start = max(0, at - EXCERPT_CHARS)
    end = min(len(text), at + len(name) + EXCERPT_CHARS)
    piece = " ".join(text[start:end].split())
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def metadata_leaks(entry: LevelEntry) -> list[str]:
    """Chinese warnings for the teacher's, a co-author's or their school's name in the
    entry's files: document properties, document body text (docx, pptx, PDF) and video tags.

    Properties and tags are removed from the copies blind experts get; body text is not, so
    its warning asks for a new upload."""
    submission = entry.submission
    names = _identity_names(entry)
    if not names:
        return []
    found = []
    materials = Material.objects.filter(submission=submission).select_related(
        "requirement", "upload"
    )
    for material in materials:
        upload = material.upload
        content_type = upload.content_type or ""
        is_document = _is_ooxml(content_type) or content_type == PDF_TYPE
        is_video = content_type in VIDEO_TYPES
        if not upload.storage_name or not (is_document or is_video):
            continue
        where = {"title": submission.title, "where": material.requirement.name}
        where["file"] = upload.filename
        try:
            with local_file(upload.storage_name) as path:
                if is_video:
                    fields = [(t.field, t.value) for t in video_tags(path)]
                    text = ""
                else:
                    fields = _fields(path, content_type)
                    text = document_text(upload, path)
        except OSError:
            continue
        for field, value in fields:
            for name in names:
                if name in value:
                    found.append(
                        _(
                            "《%(title)s》的%(where)s“%(file)s”%(kind)s中的%(field)s为"
                            "“%(value)s”，含有“%(name)s”：专家下载的匿名副本已去除这些信息；"
                            "如不希望保留在原文件中，请让作者清除后重新上传。"
                        )
                        % {
                            **where,
                            "kind": _("视频标签") if is_video else _("文档属性"),
                            "field": FIELD_LABELS.get(field, field),
                            "value": value,
                            "name": name,
                        }
                    )
        for name in names:
            if name in text:
                found.append(
                    _(
                        "《%(title)s》的%(where)s“%(file)s”正文中出现“%(name)s”（%(excerpt)s），"
                        "匿名评审会泄露身份：请让作者删去正文中的姓名和学校后重新上传，"
                        "或关闭匿名评审。"
                    )
                    % {**where, "name": name, "excerpt": _excerpt(text, name)}
                )
    return found
