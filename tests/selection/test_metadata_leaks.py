"""Blind mode (issue 4 item 6): author fields in document metadata leak identity."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.selection.test_proposal import city_entry
from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.selection.domain.metadata import document_authors, metadata_leaks
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>教学设计</w:t></w:r></w:p></w:body></w:document>"
)


def docx(creator: str, modified_by: str = "") -> bytes:
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>教学设计</dc:title><dc:creator>{creator}</dc:creator>"
        f"<cp:lastModifiedBy>{modified_by}</cp:lastModifiedBy>"
        "</cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("docProps/core.xml", core)
        archive.writestr("word/document.xml", DOCUMENT)
    return buffer.getvalue()


def pdf(info: bytes) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << "
        + info
        + b" >> endobj\ntrailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n"
    )


def attach(entry, campaign, teacher, filename, data, code="teaching_design"):
    upload = stored_upload(teacher, filename, data)
    Material.objects.create(
        submission=entry.submission,
        requirement=requirement(campaign, entry.submission.category.code, code),
        upload=upload,
    )
    return upload


def test_document_authors_docx(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(docx("王老师", "Wang"))
    assert document_authors(path, DOCX) == ["王老师", "Wang"]
    assert document_authors(path, "application/zip") == []


def test_document_authors_pdf_literal_hex_and_tail(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf(b"/Author (Wang \\(W\\)) /Creator (Word)"))
    assert document_authors(path, "application/pdf") == ["Wang (W)", "Word"]
    hexed = ("\ufeff王老师".encode("utf-16-be")).hex().upper().encode()
    # The info dictionary after 64 KB of padding: only the last window holds it.
    path.write_bytes(pdf(b"") + b"%" + b"x" * 100_000 + b"\n" + pdf(b"/Author <" + hexed + b">"))
    assert document_authors(path, "application/pdf") == ["王老师"]


def test_malformed_files_give_nothing(tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    assert document_authors(path, DOCX) == []
    path.write_bytes(pdf(b"/Author (never closed"))
    assert document_authors(path, "application/pdf") == []


def test_metadata_leaks_name_material_and_field(province, campaign, lessons):
    teacher = province.teacher_a  # 王老师
    entry = city_entry(campaign, teacher, lessons[0], "甲")
    attach(entry, campaign, teacher, "设计.docx", docx("王老师"))
    attach(entry, campaign, teacher, "课件.pdf", pdf(b"/Author (Wang)"), code="courseware")
    assert metadata_leaks(entry) == [
        "《甲》的教学设计“设计.docx”文档属性中的作者（dc:creator）为“王老师”，含有“王老师”："
        "专家下载的匿名副本已去除这些信息；如不希望保留在原文件中，请让作者清除后重新上传。"
    ]


def test_school_name_in_pdf_author(province, campaign, lessons):
    teacher = province.teacher_a
    entry = city_entry(campaign, teacher, lessons[0], "甲")
    school = province.school_a.name
    author = ("\ufeff" + school + "教研组").encode("utf-16-be").hex().encode()
    attach(entry, campaign, teacher, "设计.pdf", pdf(b"/Author <" + author + b">"))
    (warning,) = metadata_leaks(entry)
    assert "作者（/Author）" in warning and f"含有“{school}”" in warning


def test_clean_files_give_no_warning(province, campaign, lessons):
    teacher = province.teacher_a
    entry = city_entry(campaign, teacher, lessons[0], "甲")
    attach(entry, campaign, teacher, "设计.docx", docx("Administrator"))
    attach(entry, campaign, teacher, "课件.pdf", PDF, code="courseware")
    assert metadata_leaks(entry) == []
