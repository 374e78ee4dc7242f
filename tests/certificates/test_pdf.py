"""The PDF prints the Chinese text and the seal (pdftoppm render) and embeds its font."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from youke.certificates.domain import issuing
from youke.certificates.domain.templates import preview_pdf
from youke.certificates.models import Certificate
from youke.core.actor import Actor

pytestmark = pytest.mark.django_db


def test_pdf_renders_chinese_text_seal_and_embeds_the_font(province, awarded, tmp_path):
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    issuing.render_missing(awarded.template)
    certificate = Certificate.objects.get(recipient=province.teacher_a)
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate.pdf.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "荣誉证书" in text
    assert "王老师老师（东湖区实验小学）的作品《作品0》" in text.replace("\n", "")
    assert f"证书编号：{certificate.serial}" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    # Every font is embedded (the CJK one as a TrueType subset): it prints without fonts.
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("RGB")
    assert page.width > page.height  # A4 landscape
    # The seal is pure red (200, 20, 20) and nothing else on the page is that red.
    red = sum(n for n, (r, g, b) in page.getcolors(1 << 20) if r > 150 and g < 80 and b < 80)
    assert red > 50


def test_preview_uses_sample_data_and_is_not_signed(awarded):
    data = preview_pdf(awarded.template)
    reader = PdfReader(__import__("io").BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "张晓明" in text and "样张" in text
    assert "/AcroForm" not in reader.trailer["/Root"]


@pytest.mark.parametrize("length", [60, 180, 271, 272, 400, 650])
def test_qr_version_known_from_the_length_is_qrcodes_own_best_fit(length):
    import qrcode

    from youke.certificates.domain.pdf import _qr_version

    url = ("https://youke.example.edu.cn/public/verify/eyJhIjoi5LiA-_" * 20)[:length]
    fitted = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
    fitted.add_data(url.encode(), optimize=0)
    fitted.make(fit=True)
    known = qrcode.QRCode(
        version=_qr_version(length),
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        mask_pattern=0,
    )
    known.add_data(url.encode(), optimize=0)
    known.make(fit=False)
    assert known.version == fitted.version
    assert known.get_matrix() == fitted.get_matrix()
