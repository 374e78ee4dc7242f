"""Verification on the server (the verify page) and of a PDF file (``youke certs verify``).

The three checks trust nothing of each other: the QR payload's Ed25519 signature against
the published keys, the printed text against the payload, and the PDF's PAdES signature
against the published signing certificates. They live in ``offline`` (no Django, so the
CLI runs them without starting Django); the register (database) adds the status here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from youke.certificates.domain import keys as keyring
from youke.certificates.domain import offline
from youke.certificates.domain import payload as signed
from youke.certificates.domain.offline import PdfReport
from youke.certificates.enums import CertificateState, VerifyStatus
from youke.certificates.models import Certificate

__all__ = ["PdfReport", "Verdict", "check_pdf", "register_status", "verdict"]


@dataclass
class Verdict:
    status: str
    checked: signed.Checked
    certificate: Certificate | None = None

    @property
    def reason(self) -> str:
        return self.certificate.revoked_reason if self.certificate else ""


def _registered(checked: signed.Checked, payload: str) -> Verdict:
    certificate = Certificate.objects.filter(serial=checked.serial).first()
    if certificate is None or certificate.payload != payload:
        return Verdict(VerifyStatus.UNKNOWN, checked)
    if certificate.state == CertificateState.REVOKED:
        return Verdict(VerifyStatus.REVOKED, checked, certificate)
    return Verdict(VerifyStatus.VALID, checked, certificate)


def verdict(payload: str, keys=None) -> Verdict:
    """What the verify page shows: signature first, then the register's status."""
    checked = signed.check(payload, keys)
    if not checked.signature_ok:
        return Verdict(VerifyStatus.FORGED, checked)
    return _registered(checked, payload)


def register_status(serial: str, payload: str) -> tuple[str, str]:
    """The register's (status, revoked reason) of a payload whose signature checked."""
    found = _registered(signed.Checked(fields={"s": serial}, signature_ok=True), payload)
    return found.status, found.reason


def check_pdf(path: Path, keys=None, *, with_register: bool = True) -> PdfReport:
    keys = keyring.public_keys() if keys is None else keys
    return offline.check_pdf(path, keys, register_status if with_register else None)
