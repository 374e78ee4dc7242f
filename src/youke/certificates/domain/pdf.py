"""The certificate PDF: ReportLab drawing with an embedded Chinese font, seals and the QR
code, signed as a document (PAdES) with the generation's X.509 key through pyHanko.

The signed payload is also stored in the PDF's Keywords (``youke-certificate:<payload>``)
so ``youke certs verify`` reads it without decoding the QR image.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import qrcode
from django.conf import settings
from django.urls import reverse
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph

from youke.certificates.domain import keys as keyring
from youke.certificates.domain.offline import KEYWORD_PREFIX, printed_labels, printed_lines
from youke.certificates.enums import Orientation
from youke.core.pdf_fonts import chinese_font

if TYPE_CHECKING:
    from pyhanko.sign import signers

SIGNATURE_FIELD = "YoukeSignature"
PLACEHOLDERS = ("教师", "学校", "课题", "课程节点", "类别", "奖项", "级别", "活动", "日期")
# A unit certificate's body uses these instead of the teacher and award ones.
UNIT_PLACEHOLDERS = ("单位", "称号", "级别", "活动", "日期")
_PLACEHOLDER = re.compile(r"\{(" + "|".join({*PLACEHOLDERS, *UNIT_PLACEHOLDERS}) + r")\}")


@dataclass(frozen=True)
class Authority:
    name: str
    seal: bytes  # PNG bytes; empty when no seal was uploaded yet


@dataclass(frozen=True)
class Layout:
    """What a template contributes, read once per batch."""

    title: str
    body: str
    orientation: str
    background: bytes
    authorities: tuple[Authority, ...]


def fill(body: str, context: dict[str, str]) -> str:
    """Replace {教师}… with the context's values; unknown braces stay as typed."""
    return _PLACEHOLDER.sub(lambda m: context.get(m.group(1), ""), body)


def verify_url(payload: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("public:certificate_verify", args=[payload])


@lru_cache(maxsize=64)
def _image(data: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(data))


def _draw_qr(pdf: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    """Vector QR modules (sharper in print and no PNG round trip); one fixed mask pattern
    skips qrcode's search over all eight, which was most of a certificate's drawing time,
    and the version known from the length skips its search for the smallest version.
    Each run of dark modules in a row is one rectangle, a third of the path operators."""
    data = text.encode()
    code = qrcode.QRCode(
        version=_qr_version(len(data)),
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        mask_pattern=0,
    )
    code.add_data(data, optimize=0)
    code.make(fit=False)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    path = pdf.beginPath()
    for row, cells in enumerate(matrix):
        top = y + size - (row + 1) * cell
        for start, length in _dark_runs(cells):
            path.rect(x + start * cell, top, length * cell, cell)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawPath(path, stroke=0, fill=1)


@lru_cache(maxsize=256)
def _qr_version(length: int) -> int:
    """The smallest QR version that holds ``length`` bytes in byte mode (one segment, which
    a verify address always is: it has lower-case letters). qrcode's own search builds the
    whole bit stream once per version tried, a third of the QR code's time; the answer
    depends only on the length, so it is found once per length."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(b"a" * length, optimize=0)
    return code.best_fit()


def _dark_runs(cells: list[bool]):
    """(start, length) of each run of consecutive dark modules."""
    start = None
    for col, dark in enumerate(cells):
        if dark and start is None:
            start = col
        elif not dark and start is not None:
            yield start, col - start
            start = None
    if start is not None:
        yield start, len(cells) - start


def draw(
    layout: Layout,
    fields: dict,
    context: dict[str, str],
    payload: str,
    url: str = "",
    labels: dict[str, str] | None = None,
) -> bytes:
    """The unsigned PDF bytes; the QR code carries ``url`` (default: the payload's verify
    address), the printed lines ``labels`` (default: in the active language)."""
    url = url or verify_url(payload)
    font = chinese_font().name
    size = landscape(A4) if layout.orientation == Orientation.LANDSCAPE else A4
    width, height = size
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, initialFontName=font, initialFontSize=12)
    pdf.setTitle(layout.title)
    pdf.setSubject(fields.get("s", ""))
    pdf.setCreator("youke")
    pdf.setKeywords(KEYWORD_PREFIX + payload)
    if layout.background:
        pdf.drawImage(_image(layout.background), 0, 0, width, height, mask="auto")
    margin = 25 * mm
    pdf.setFont(font, 34)
    pdf.drawCentredString(width / 2, height - margin - 20 * mm, layout.title)
    style = ParagraphStyle(
        "body", fontName=font, fontSize=16, leading=28, wordWrap="CJK", firstLineIndent=32
    )
    frame_top = height - margin - 35 * mm
    frame_height = 55 * mm
    Frame(
        margin, frame_top - frame_height, width - 2 * margin, frame_height, showBoundary=0
    ).addFromList(
        [Paragraph(escape(fill(layout.body, context)).replace("\n", "<br/>"), style)], pdf
    )
    pdf.setFont(font, 11)
    y = frame_top - frame_height - 6 * mm
    for line in printed_lines(fields, labels):
        pdf.drawString(margin, y, line)
        y -= 6 * mm
    # Authorities right-aligned along the bottom, each name with its seal over it.
    x = width - margin
    seal_size = 38 * mm
    for authority in reversed(layout.authorities):
        text_width = pdf.stringWidth(authority.name, font, 13)
        slot = max(text_width, seal_size)
        centre = x - slot / 2
        pdf.setFont(font, 13)
        pdf.drawCentredString(centre, margin + 8 * mm, authority.name)
        if authority.seal:
            pdf.drawImage(
                _image(authority.seal),
                centre - seal_size / 2,
                margin - 4 * mm,
                seal_size,
                seal_size,
                mask="auto",
                preserveAspectRatio=True,
            )
        x -= slot + 10 * mm
    qr_size = 32 * mm
    _draw_qr(pdf, url, margin, margin - 6 * mm, qr_size)
    pdf.setFont(font, 8)
    pdf.drawString(margin, margin - 10 * mm, fields.get("s", ""))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@lru_cache(maxsize=8)
def _signer(key_path: str, cert_path: str, stamp: int) -> signers.SimpleSigner:
    # pyHanko (and the aiohttp it pulls in) on use: importing it took a second off every
    # process start, `youke certs verify` and web workers included.
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(key_path, cert_path, key_passphrase=None)


def _reserved_bytes(signer: signers.SimpleSigner) -> int:
    """Room for the CMS container: the certificates it embeds plus signed attributes and an
    ECDSA signature, with a wide margin. Giving it saves pyHanko a trial signature per PDF
    (half of the signing time). Counted in hex digits, two per byte."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    return 2 * (sum(len(cert.dump()) for cert in certificates) + 4096)


@dataclass(frozen=True)
class Kit:
    """Everything rendering needs besides one certificate's data, resolved by the caller so a
    rendering process needs no settings, keys folder or URL configuration of its own."""

    layout: Layout
    key_path: str
    cert_path: str
    url_pattern: str  # the verify address with PAYLOAD_MARK where the payload goes
    labels: dict[str, str]  # the printed lines' labels, already translated


PAYLOAD_MARK = "PAYLOAD"


def kit_for(layout: Layout, kid: str) -> Kit:
    key_path, cert_path = keyring.signing_files(kid)
    return Kit(layout, str(key_path), str(cert_path), verify_url(PAYLOAD_MARK), printed_labels())


def sign_document(data: bytes, kid: str) -> bytes:
    """Sign the PDF as a document (PAdES B-B) with the X.509 key of generation ``kid``."""
    key_path, cert_path = keyring.signing_files(kid)
    return sign_with_files(data, str(key_path), str(cert_path))


def sign_with_files(data: bytes, key_path: str, cert_path: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields as sig_fields
    from pyhanko.sign import signers

    signer = _signer(key_path, cert_path, Path(cert_path).stat().st_mtime_ns)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=sig_fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="youke certificate",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    return signers.sign_pdf(
        writer, meta, signer=signer, bytes_reserved=_reserved_bytes(signer)
    ).getvalue()


def render_with(kit: Kit, fields: dict, context: dict[str, str], payload: str) -> bytes:
    url = kit.url_pattern.replace(PAYLOAD_MARK, payload)
    return sign_with_files(
        draw(kit.layout, fields, context, payload, url, kit.labels),
        kit.key_path,
        kit.cert_path,
    )


def render(layout: Layout, fields: dict, context: dict[str, str], payload: str) -> bytes:
    return render_with(kit_for(layout, fields["k"]), fields, context, payload)
