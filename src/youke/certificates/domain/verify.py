"""Verification on the server (the verify page) and of a PDF file (``youke certs verify``).

The three checks trust nothing of each other: the QR payload's Ed25519 signature against
the published keys, the printed text against the payload, and the PDF's PAdES signature
against the published signing certificates. The register (database) adds the status.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.domain.pdf import KEYWORD_PREFIX, printed_lines
from youke.certificates.enums import CertificateState, VerifyStatus
from youke.certificates.models import Certificate


@dataclass
class Verdict:
    status: str
    checked: signed.Checked
    certificate: Certificate | None = None

    @property
    def reason(self) -> str:
        return self.certificate.revoked_reason if self.certificate else ""


def verdict(payload: str, keys=None) -> Verdict:
    """What the verify page shows: signature first, then the register's status."""
    checked = signed.check(payload, keys)
    if not checked.signature_ok:
        return Verdict(VerifyStatus.FORGED, checked)
    certificate = Certificate.objects.filter(serial=checked.serial).first()
    if certificate is None or certificate.payload != payload:
        return Verdict(VerifyStatus.UNKNOWN, checked)
    if certificate.state == CertificateState.REVOKED:
        return Verdict(VerifyStatus.REVOKED, checked, certificate)
    return Verdict(VerifyStatus.VALID, checked, certificate)


@dataclass
class PdfReport:
    """One line per check; ``ok`` only when every check passed."""

    lines: list[tuple[bool, str]] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    status: str = ""

    def add(self, ok: bool, text: str) -> None:
        self.lines.append((ok, text))

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(ok for ok, _text in self.lines)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _payload_from_pdf(data: bytes) -> tuple[str, str]:
    """(payload, printed text) read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    keywords = (reader.metadata or {}).get("/Keywords", "") or ""
    payload = (
        str(keywords)[len(KEYWORD_PREFIX) :] if str(keywords).startswith(KEYWORD_PREFIX) else ""
    )
    text = "".join(page.extract_text() or "" for page in reader.pages)
    return payload, text


def _document_signature(data: bytes, keys) -> tuple[bool, str]:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [
        asn1_x509.Certificate.load(pem.unarmor(key.signing_cert_pem.encode())[2])
        for key in keys
        if key.signing_cert_pem
    ]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001  a file pypdf/pyHanko cannot parse is simply not valid
        return False, _("文件无法解析为 PDF：文件已损坏或被改动。")
    if len(signatures) != 1:
        return False, _("PDF 文档签名缺失：这不是本平台签发的原始文件。")
    try:
        status = validate_pdf_signature(
            signatures[0], ValidationContext(trust_roots=roots, allow_fetching=False)
        )
    except (SignatureValidationError, ValueError) as exc:
        return False, _("PDF 文档签名无法验证：%(e)s") % {"e": exc}
    if not status.intact or not status.valid:
        return False, _("PDF 文档签名无效：签名后文件内容被改动过。")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return False, _("PDF 在签名后被追加修改：签名只覆盖文件的一部分。")
    if not status.trusted:
        return False, _("PDF 文档签名的证书不是本平台公布的签名证书。")
    return True, _("PDF 文档签名有效，签名后未被改动。")


def check_pdf(path: Path, keys=None, *, with_register: bool = True) -> PdfReport:
    keys = keyring.public_keys() if keys is None else keys
    report = PdfReport()
    data = Path(path).read_bytes()
    try:
        payload, text = _payload_from_pdf(data)
    except Exception:  # noqa: BLE001  any parse failure means the file is not ours
        report.add(False, _("文件无法解析为 PDF：文件已损坏或被改动。"))
        return report
    if not payload:
        report.add(False, _("PDF 中没有证书数据：这不是本平台签发的证书。"))
        return report
    checked = signed.check(payload, keys)
    report.fields = checked.fields
    if checked.signature_ok:
        report.add(True, _("二维码数据签名有效（密钥 %(kid)s）。") % {"kid": checked.fields["k"]})
    else:
        report.add(False, checked.problem)
    printed = _normalise(text)
    missing = [line for line in printed_lines(checked.fields) if _normalise(line) not in printed]
    if missing:
        report.add(False, _("印刷内容与签名数据不符：%(m)s") % {"m": "；".join(missing)})
    else:
        report.add(True, _("印刷内容与签名数据一致。"))
    report.add(*_document_signature(data, keys))
    if with_register and checked.signature_ok:
        found = verdict(payload, keys)
        report.status = found.status
        if found.status == VerifyStatus.REVOKED:
            report.add(False, _("证书已撤销：%(r)s") % {"r": found.reason})
        elif found.status == VerifyStatus.UNKNOWN:
            report.add(False, _("本平台登记中没有这张证书。"))
        else:
            report.add(True, _("登记状态：有效。"))
    return report
