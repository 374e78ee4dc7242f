"""Sanitised copies of documents and body-text extraction (issue 7 items 1–2)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import docx
import openpyxl
import pptx
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from youke.media.processing.documents import (
    DOCX,
    PDF,
    PPTX,
    XLSX,
    SanitiseError,
    Stripped,
    body_text,
    sanitise,
)

TEACHER = "王小明"
SCHOOL = "东湖区实验小学"
NAMES = [TEACHER, SCHOOL]


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_docx(path):
    document = docx.Document()
    document.add_paragraph(f"执教：{TEACHER}（{SCHOOL}）")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "板书设计"
    props = document.core_properties
    props.author, props.last_modified_by = TEACHER, "wangxm"
    props.title, props.subject, props.keywords = f"{TEACHER}的教学设计", "数学", "分数"
    document.save(path)
    # Word's app.xml names the school as Company; python-docx's template leaves it out.
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["docProps/app.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Office Word</Application>'
        f"<Company>{SCHOOL}</Company><Manager>李校长</Manager></Properties>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def make_pptx(path):
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "分数的意义"
    slide.placeholders[1].text = f"主讲：{TEACHER}"
    deck.core_properties.author = TEACHER
    deck.core_properties.last_modified_by = TEACHER
    deck.save(path)
    return path


def make_xlsx(path):
    book = openpyxl.Workbook()
    book.active["A1"] = "练习题"
    book.properties.creator = TEACHER
    book.properties.lastModifiedBy = SCHOOL
    book.save(path)
    return path


XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    'rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
    f"<rdf:li>{TEACHER}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
    '</x:xmpmeta><?xpacket end="w"?>'
).encode()


def make_pdf(path, *, text_page: bytes | None = None):
    writer = PdfWriter()
    writer.add_blank_page(300, 300)
    writer.add_metadata(
        {"/Author": TEACHER, "/Title": f"{SCHOOL}教学设计", "/Subject": "数学", "/Producer": "WPS"}
    )
    xmp = DecodedStreamObject()
    xmp.set_data(XMP)
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.write(path)
    return path


def test_docx_copy_has_no_author_and_original_is_unchanged(tmp_path):
    src = make_docx(tmp_path / "a.docx")
    before = sha(src)
    out = tmp_path / "b.docx"
    removed = sanitise(src, out, DOCX, NAMES)
    assert removed == [
        Stripped("creator", TEACHER),
        Stripped("lastModifiedBy", "wangxm"),
        Stripped("title", f"{TEACHER}的教学设计"),
        Stripped("Company", SCHOOL),
        Stripped("Manager", "李校长"),
    ]
    copy = docx.Document(out)
    props = copy.core_properties
    assert (props.author, props.last_modified_by, props.title) == ("", "", "")
    assert (props.subject, props.keywords) == ("数学", "分数")  # naming nobody: kept
    assert [p.text for p in copy.paragraphs] == [f"执教：{TEACHER}（{SCHOOL}）"]  # body untouched
    with zipfile.ZipFile(out) as archive:
        app = archive.read("docProps/app.xml").decode()
        core = archive.read("docProps/core.xml").decode()
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(zipfile.ZipFile(src).namelist())
    assert SCHOOL not in app and "李校长" not in app and "Microsoft Office Word" in app
    assert TEACHER not in core and "wangxm" not in core
    assert sha(src) == before


def test_pptx_and_xlsx_copies_have_no_author(tmp_path):
    src = make_pptx(tmp_path / "a.pptx")
    before = sha(src)
    removed = sanitise(src, tmp_path / "b.pptx", PPTX, NAMES)
    assert removed == [Stripped("creator", TEACHER), Stripped("lastModifiedBy", TEACHER)]
    props = pptx.Presentation(tmp_path / "b.pptx").core_properties
    assert (props.author, props.last_modified_by) == ("", "")
    assert sha(src) == before

    src = make_xlsx(tmp_path / "a.xlsx")
    removed = sanitise(src, tmp_path / "b.xlsx", XLSX, NAMES)
    assert removed == [Stripped("creator", TEACHER), Stripped("lastModifiedBy", SCHOOL)]
    with zipfile.ZipFile(tmp_path / "b.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
    assert TEACHER not in core and SCHOOL not in core
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert book.active["A1"].value == "练习题"
    assert book.properties.lastModifiedBy is None


def test_pdf_copy_drops_info_author_and_xmp(tmp_path):
    src = make_pdf(tmp_path / "a.pdf")
    before = sha(src)
    out = tmp_path / "b.pdf"
    removed = sanitise(src, out, PDF, NAMES)
    assert removed == [
        Stripped("Author", TEACHER),
        Stripped("Title", f"{SCHOOL}教学设计"),
        Stripped("xmp:dc:creator", TEACHER),
    ]
    copy = PdfReader(out)
    assert copy.metadata == {"/Subject": "数学", "/Producer": "WPS"}
    assert copy.xmp_metadata is None and len(copy.pages) == 1
    data = out.read_bytes()
    for secret in (TEACHER, SCHOOL):
        assert secret.encode() not in data and secret.encode("utf-16-be") not in data
    assert sha(src) == before
    assert PdfReader(src).metadata["/Author"] == TEACHER


def test_broken_files_are_refused_without_output(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SanitiseError):
        sanitise(tmp_path / "a.docx", tmp_path / "b.docx", DOCX, NAMES)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\nnothing here")
    with pytest.raises(SanitiseError):
        sanitise(tmp_path / "a.pdf", tmp_path / "b.pdf", PDF, NAMES)
    with pytest.raises(SanitiseError):
        sanitise(tmp_path / "a.pdf", tmp_path / "b.doc", "application/msword", NAMES)
    assert not (tmp_path / "b.pdf").exists() and not (tmp_path / "b.doc").exists()


def test_ooxml_with_a_dtd_in_core_properties_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        )
    (tmp_path / "a.docx").write_bytes(buffer.getvalue())
    with pytest.raises(SanitiseError):
        sanitise(tmp_path / "a.docx", tmp_path / "b.docx", DOCX, NAMES)


def test_body_text_of_docx_pptx_pdf(tmp_path):
    assert body_text(make_docx(tmp_path / "a.docx"), DOCX) == (
        f"执教：{TEACHER}（{SCHOOL}）\n板书设计"
    )
    assert body_text(make_pptx(tmp_path / "a.pptx"), PPTX) == f"分数的意义\n主讲：{TEACHER}"
    assert body_text(make_docx(tmp_path / "b.docx"), DOCX, max_chars=5) == "执教：王小"
    assert body_text(tmp_path / "a.docx", "application/zip") == ""
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    assert body_text(tmp_path / "broken.pdf", PDF) == ""


def test_body_text_of_a_pdf_with_text(tmp_path):
    from youke.manage.demo.files import minimal_pdf

    path = tmp_path / "t.pdf"
    path.write_bytes(minimal_pdf(f"{SCHOOL}教学设计", (f"执教 {TEACHER}",)))
    text = body_text(path, PDF)
    assert SCHOOL in text and TEACHER in text
    assert body_text(path, PDF, max_pages=0) == ""
