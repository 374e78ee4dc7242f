"""What a file is, from its bytes (never from its name).

``sniff_file(path)`` reads a few kilobytes (plus, for office files, the archive directory
or the OLE2 directory) and returns a MIME type. It never reads the whole file: a 1 GB
video costs one 8 KB read.

Archives are checked before they are trusted: a zip with too many members, a suspicious
compression ratio, absolute or ``..`` member names, or an oversized ``[Content_Types].xml``
is recorded as plain ``application/zip``, so no purpose accepts it as a docx/pptx/xlsx.
"""

from __future__ import annotations

import codecs
import struct
import zipfile
from pathlib import Path
from typing import IO

HEAD_BYTES = 8192
EMPTY = "application/x-empty"
BINARY = "application/octet-stream"
ZIP = "application/zip"
TEXT = "text/plain"
OLE_GENERIC = "application/x-ole-storage"

# Zip-bomb guard for office documents: real docx/pptx/xlsx stay far inside these.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200
CONTENT_TYPES_MAX_BYTES = 1024 * 1024

OOXML_MAIN_TYPES: tuple[tuple[bytes, str], ...] = (
    (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (
        b"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
    ),
    (
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    # Macro-enabled variants are recorded as what they are, so a purpose can refuse macros.
    (
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.document.macroEnabled.12",
    ),
    (
        b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
    ),
    (
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.12",
    ),
)

OLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("WordDocument", "application/msword"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint"),
    ("Workbook", "application/vnd.ms-excel"),
    ("Book", "application/vnd.ms-excel"),
)
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
OLE_END_OF_CHAIN = 0xFFFFFFFA  # this and above are special markers, not sector numbers
OLE_MAX_DIRECTORY_SECTORS = 256

ASF_MAGIC = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
QUICKTIME_FIRST_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def sniff_file(path: Path | str) -> str:
    with open(path, "rb") as handle:
        return sniff_handle(handle)


def sniff_handle(handle: IO[bytes]) -> str:
    """``sniff_file`` for an open, seekable file (a stored object opened from storage)."""
    head = handle.read(HEAD_BYTES)
    if not head:
        return EMPTY
    if needs_whole_file(head):
        return _ole_type(handle) if head.startswith(OLE_MAGIC) else _zip_type(handle)
    return sniff_head(head)


def needs_whole_file(head: bytes) -> bool:
    """Office files are told apart by their directory, not by their first bytes."""
    return head.startswith((OLE_MAGIC, b"PK\x03\x04", b"PK\x05\x06"))


def sniff_head(head: bytes) -> str:
    """Types recognisable from the first bytes alone."""
    if not head:
        return EMPTY
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return "image/heic"
        return "video/mp4"
    if box in QUICKTIME_FIRST_ATOMS:
        return "video/quicktime"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"FLV\x01"):
        return "video/x-flv"
    if head.startswith(ASF_MAGIC):
        return "video/x-ms-asf"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "video/mpeg"
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return "video/mp2t"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if head.startswith(b"Rar!\x1a\x07"):
        return "application/vnd.rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "application/x-7z-compressed"
    if head.startswith(OLE_MAGIC):
        return OLE_GENERIC
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    if _looks_like_text(head):
        return TEXT
    return BINARY


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    # Chinese teachers' text files are UTF-8 or GBK; the head may end mid-character.
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
        return controls <= len(head) // 100
    return False


# --- zip / OOXML -------------------------------------------------------------------------


def _zip_entry_count(handle: IO[bytes]) -> int | None:
    """Entries declared by the end-of-central-directory record, read before zipfile does.

    zipfile would load the whole central directory into memory; a hostile archive can
    declare millions of members, so count them first. ``None``: no readable record (or
    zip64, which no office document needs).
    """
    handle.seek(0, 2)
    size = handle.tell()
    tail_size = min(size, 65_535 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return None if count == 0xFFFF else count


def _zip_type(handle: IO[bytes]) -> str:
    count = _zip_entry_count(handle)
    if count is None or count > ZIP_MAX_MEMBERS:
        return ZIP
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            compressed = sum(info.compress_size for info in infos) or 1
            if total > ZIP_MAX_UNCOMPRESSED or total / compressed > ZIP_MAX_RATIO:
                return ZIP
            for info in infos:
                parts = info.filename.replace("\\", "/").split("/")
                if info.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                    return ZIP
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return ZIP
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return ZIP
            with archive.open(info) as member:
                content_types = member.read(CONTENT_TYPES_MAX_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return ZIP
    except NotImplementedError:  # an unsupported compression method
        return ZIP
    for marker, content_type in OOXML_MAIN_TYPES:
        if marker in content_types:
            return content_type
    return ZIP


# --- OLE2 (doc / ppt / xls) ----------------------------------------------------------------


def _ole_type(handle: IO[bytes]) -> str:
    """Name the legacy Office format by the streams in the compound file's directory."""
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512:
        return OLE_GENERIC
    (shift,) = struct.unpack("<H", header[0x1E:0x20])
    if shift not in (9, 12):
        return OLE_GENERIC
    sector_size = 1 << shift
    (first_directory,) = struct.unpack("<I", header[0x30:0x34])
    # The header lists the first 109 FAT sectors: enough to reach the directory of any
    # ordinary document; a directory beyond them just leaves the type generic.
    fat_sectors = [s for s in struct.unpack("<109I", header[0x4C:0x200]) if s < OLE_END_OF_CHAIN]
    per_fat_sector = sector_size // 4

    def next_sector(sector: int) -> int:
        index, position = divmod(sector, per_fat_sector)
        if index >= len(fat_sectors):
            return OLE_END_OF_CHAIN
        handle.seek((fat_sectors[index] + 1) * sector_size + position * 4)
        data = handle.read(4)
        return struct.unpack("<I", data)[0] if len(data) == 4 else OLE_END_OF_CHAIN

    names: set[str] = set()
    sector = first_directory
    seen: set[int] = set()
    for _step in range(OLE_MAX_DIRECTORY_SECTORS):
        if sector >= OLE_END_OF_CHAIN or sector in seen:
            break
        seen.add(sector)
        handle.seek((sector + 1) * sector_size)
        block = handle.read(sector_size)
        for start in range(0, len(block) - 127, 128):
            entry = block[start : start + 128]
            (name_bytes,) = struct.unpack("<H", entry[0x40:0x42])
            if 2 <= name_bytes <= 64:
                names.add(entry[: name_bytes - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    for stream, content_type in OLE_STREAMS:
        if stream in names:
            return content_type
    return OLE_GENERIC
