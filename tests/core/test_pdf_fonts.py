import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from youke.core import pdf_fonts


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch):
    monkeypatch.setattr(pdf_fonts, "_registered", None)


def _pdf_with(font) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(font.name, 14)
    page.drawString(72, 720, "一师一优课 公示名单")
    page.save()
    return buffer.getvalue()


def _font_descriptors(data: bytes) -> list:
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    found = []
    for ref in fonts.values():
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get_object().get("/FontDescriptor")
            if descriptor is not None:
                found.append(descriptor.get_object())
    return found


def test_an_installed_truetype_font_is_embedded(settings):
    if not any(pdf_fonts.Path(p).is_file() for p in pdf_fonts.KNOWN_FONTS):
        pytest.skip("no TrueType CJK font installed (apt-get install fonts-wqy-zenhei)")
    settings.PDF_FONT = ""
    font = pdf_fonts.chinese_font()
    assert font.embedded and font.name == pdf_fonts.EMBEDDED_NAME
    descriptors = _font_descriptors(_pdf_with(font))
    assert any("/FontFile2" in d for d in descriptors)  # TrueType outlines inside the file
    assert "公示名单" in PdfReader(io.BytesIO(_pdf_with(font))).pages[0].extract_text()


def test_without_a_truetype_font_the_builtin_cid_font_is_used(settings, monkeypatch, tmp_path):
    settings.PDF_FONT = str(tmp_path / "missing.ttf")
    monkeypatch.setattr(pdf_fonts, "KNOWN_FONTS", ())
    font = pdf_fonts.chinese_font()
    assert (font.name, font.embedded) == (pdf_fonts.FALLBACK_NAME, False)
    assert not any("/FontFile2" in d for d in _font_descriptors(_pdf_with(font)))


def test_a_file_that_is_not_a_font_is_skipped(settings, tmp_path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    settings.PDF_FONT = str(bogus)
    font = pdf_fonts.chinese_font()
    assert font.path != str(bogus)
