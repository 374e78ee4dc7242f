"""The stored PDF of a certificate (rendered on first need) and QR images for sharing."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg

from youke.certificates.domain import issuing
from youke.certificates.domain.pdf import verify_url
from youke.certificates.models import Certificate


def pdf_file(certificate: Certificate):
    """An open file of the signed PDF; rendered now if the batch has not reached it yet."""
    if not certificate.pdf:
        issuing.render_pdf(certificate)
    return certificate.pdf.open("rb")


def qr_svg(certificate: Certificate) -> bytes:
    image = qrcode.make(verify_url(certificate.payload), image_factory=qrcode.image.svg.SvgImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
