"""Content sniffing: the type comes from the bytes, office archives are checked for bombs."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from youke.media.domain.sniff import sniff_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ooxml(main_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/main.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("main.xml", "<root/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ole2(stream_name: str) -> bytes:
    """A minimal compound file: header, one FAT sector, one directory sector."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 0x3C, 0xFFFFFFFE)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = struct.pack("<2I", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * (512 - 8)
    directory = bytearray(512)
    for index, (name, kind) in enumerate((("Root Entry", 5), (stream_name, 2))):
        encoded = name.encode("utf-16-le")
        entry = index * 128
        directory[entry : entry + len(encoded)] = encoded
        struct.pack_into("<HB", directory, entry + 0x40, len(encoded) + 2, kind)
    return bytes(header) + fat + bytes(directory)


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
CASES = {
    "mp4": (MP4, "video/mp4"),
    "mov": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 50, "video/quicktime"),
    "old mov": (b"\x00\x00\x10\x00moov" + b"\x00" * 50, "video/quicktime"),
    "webm": (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 40, "video/webm"),
    "mkv": (b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska" + b"\x00" * 40, "video/x-matroska"),
    "avi": (b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 40, "video/x-msvideo"),
    "flv": (b"FLV\x01\x05" + b"\x00" * 40, "video/x-flv"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    "docx": (ooxml(DOCX + ".main+xml"), DOCX),
    "pptx": (ooxml(PPTX + ".main+xml"), PPTX),
    "xlsx": (ooxml(XLSX + ".main+xml"), XLSX),
    "plain zip": (ooxml("application/xml"), "application/zip"),
    "doc": (ole2("WordDocument"), "application/msword"),
    "ppt": (ole2("PowerPoint Document"), "application/vnd.ms-powerpoint"),
    "xls": (ole2("Workbook"), "application/vnd.ms-excel"),
    "other ole2": (ole2("Contents"), "application/x-ole-storage"),
    "utf-8 text": ("第一课 秒的认识\n教学目标：认识时间单位秒。\n".encode() * 30, "text/plain"),
    "gbk text": ("第一课 秒的认识\n教学目标：认识时间单位秒。\n".encode("gbk") * 30, "text/plain"),
    "random bytes": (bytes(range(256)) * 20, "application/octet-stream"),
    "empty": (b"", "application/x-empty"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_sniff_by_content(tmp_path, name):
    data, expected = CASES[name]
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    assert sniff_file(path) == expected


def test_zip_bomb_is_not_trusted_as_docx(tmp_path):
    # 64 MB of zeros deflates to ~64 KB: a ratio no real document has.
    bomb = ooxml(DOCX + ".main+xml", {"word/media/zeros.bin": b"\x00" * (64 * 1024 * 1024)})
    assert len(bomb) < 200_000
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    assert sniff_file(path) == "application/zip"


def test_path_traversal_member_is_not_trusted_as_docx(tmp_path):
    path = tmp_path / "evil.docx"
    path.write_bytes(ooxml(DOCX + ".main+xml", {"../../evil.sh": b"rm -rf /"}))
    assert sniff_file(path) == "application/zip"


def test_too_many_members_is_not_trusted(tmp_path, monkeypatch):
    from youke.media.domain import sniff

    monkeypatch.setattr(sniff, "ZIP_MAX_MEMBERS", 3)
    path = tmp_path / "many.xlsx"
    path.write_bytes(ooxml(XLSX + ".main+xml", {"a.xml": b"1", "b.xml": b"2"}))
    assert sniff_file(path) == "application/zip"


def test_truncated_zip_is_plain_zip(tmp_path):
    data = ooxml(DOCX + ".main+xml")
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    assert sniff_file(path) == "application/zip"


def test_large_file_reads_only_its_head(tmp_path):
    path = tmp_path / "big.mp4"
    with open(path, "wb") as handle:
        handle.write(MP4)
        handle.truncate(2 * 1024**3)  # sparse: costs nothing on disk
    assert sniff_file(path) == "video/mp4"
    assert os.path.getsize(path) == 2 * 1024**3
