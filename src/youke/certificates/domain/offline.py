"""The checks of a certificate that need nothing but the public keys, and no Django.

``youke certs verify FILE.pdf`` runs them in a process that never starts Django (starting
it was most of the check's time), and the verify page and the management command call the same
functions from inside Django, so there is one implementation of each check:

- the QR payload (``<base64url(JSON)>.<base64url(Ed25519 signature)>``) against the
  published keys;
- the printed '标签：值' lines against the payload;
- the PDF's PAdES signature against the published signing certificates (pyHanko, imported
  only when a PDF is checked).

The register (is the certificate known, revoked?) is a function the caller passes in.
Messages are Chinese source strings marked for translation: inside Django ``_`` is Django's
gettext (the page in the visitor's language); in the standalone CLI Django is not loaded and
the source strings are printed, as the management command printed them.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def _(message: str) -> str:
    translation = sys.modules.get("django.utils.translation")
    return message if translation is None else translation.gettext(message)


def gettext_noop(message: str) -> str:
    """Marks a string for makemessages; translated where it is shown."""
    return message


# The register's conclusions (``enums.VerifyStatus`` gives them their labels).
VALID, REVOKED, UNKNOWN, FORGED = "valid", "revoked", "unknown", "forged"

# Key → label, in the order the verify page and the CLI show them.
FIELDS = {
    "n": gettext_noop("获证人"),
    "i": gettext_noop("身份证号"),
    "a": gettext_noop("奖项"),
    "l": gettext_noop("级别"),
    "d": gettext_noop("发证日期"),
    "s": gettext_noop("证书编号"),
    "k": gettext_noop("密钥编号"),
}
# Fields that must be printed on the certificate (the kid is not printed).
PRINTED = ("n", "i", "a", "l", "d", "s")
MAX_PAYLOAD = 1200
KEYWORD_PREFIX = "youke-certificate:"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class PublicKey:
    kid: str
    raw: bytes  # 32 bytes of the Ed25519 public key
    created: str
    current: bool
    signing_cert_pem: str

    def verify(self, signature: bytes, data: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric import ed25519

        try:
            ed25519.Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, data)
        except InvalidSignature:
            return False
        return True

    @property
    def signing_cert_sha256(self) -> str:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes

        cert = x509.load_pem_x509_certificate(self.signing_cert_pem.encode())
        return cert.fingerprint(hashes.SHA256()).hex()


def keys_in_folder(base: Path) -> tuple[PublicKey, ...]:
    """Every generation's public half in a keys folder, oldest first."""
    from cryptography.hazmat.primitives import serialization

    current = (base / "current").read_text().strip() if (base / "current").exists() else ""
    found = []
    for generation in sorted(p for p in base.iterdir() if (p / "ed25519.pem").is_file()):
        private = serialization.load_pem_private_key(
            (generation / "ed25519.pem").read_bytes(), password=None
        )
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        found.append(
            PublicKey(
                kid=generation.name,
                raw=raw,
                created=(generation / "created").read_text().strip(),
                current=generation.name == current,
                signing_cert_pem=(generation / "signing-cert.pem").read_text(),
            )
        )
    found.sort(key=lambda k: k.created)
    return tuple(found)


def keys_from_document(document: dict) -> tuple[PublicKey, ...]:
    """Read a saved keys.json (the CLI's offline mode)."""
    return tuple(
        PublicKey(
            kid=item["kid"],
            raw=b64url_decode(item["x"]),
            created=item.get("created", ""),
            current=bool(item.get("current")),
            signing_cert_pem=item.get("signing_cert", ""),
        )
        for item in document.get("keys", [])
    )


def encode_json(fields: dict) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class Checked:
    """A payload read and checked against the published keys."""

    fields: dict = field(default_factory=dict)
    signature_ok: bool = False
    problem: str = ""

    @property
    def serial(self) -> str:
        return str(self.fields.get("s", ""))

    def rows(self) -> list[tuple[str, str]]:
        return [(_(label), str(self.fields.get(key, ""))) for key, label in FIELDS.items()]


def check(payload: str, keys: tuple[PublicKey, ...]) -> Checked:
    """Decode and verify; never raises on bad input, the problem says what is wrong."""
    if len(payload) > MAX_PAYLOAD or payload.count(".") != 1:
        return Checked(problem=_("二维码内容不是本平台的证书数据。"))
    data_part, sig_part = payload.split(".")
    try:
        data = b64url_decode(data_part)
        signature = b64url_decode(sig_part)
        fields = json.loads(data.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return Checked(problem=_("二维码内容不是本平台的证书数据。"))
    if not isinstance(fields, dict):
        return Checked(problem=_("二维码内容不是本平台的证书数据。"))
    key = next((k for k in keys if k.kid == fields.get("k")), None)
    if key is None:
        return Checked(
            fields=fields,
            problem=_("签名所用的密钥（%(kid)s）不在本平台公布的密钥中：证书不是本平台签发的。")
            % {"kid": fields.get("k", "")},
        )
    if len(signature) != 64 or not key.verify(signature, data):
        return Checked(fields=fields, problem=_("签名与内容不符：证书内容被改动过或系伪造。"))
    return Checked(fields=fields, signature_ok=True)


def printed_labels() -> dict[str, str]:
    return {key: _(FIELDS[key]) for key in PRINTED}


def printed_lines(fields: dict, labels: dict[str, str] | None = None) -> list[str]:
    """The '标签：值' lines printed on every certificate; the CLI looks for exactly these."""
    labels = labels or printed_labels()
    return [f"{labels[key]}：{fields[key]}" for key in PRINTED if fields.get(key)]


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


# (serial, payload) → (status, revoked reason): the register's answer.
Register = Callable[[str, str], tuple[str, str]]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _payload_from_pdf(data: bytes) -> tuple[str, str]:
    """(payload, printed text) read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    keywords = str((reader.metadata or {}).get("/Keywords", "") or "")
    payload = keywords[len(KEYWORD_PREFIX) :] if keywords.startswith(KEYWORD_PREFIX) else ""
    text = "".join(page.extract_text() or "" for page in reader.pages)
    return payload, text


def _document_signature(data: bytes, keys: tuple[PublicKey, ...]) -> tuple[bool, str]:
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


def check_pdf(path: Path, keys: tuple[PublicKey, ...], register: Register | None) -> PdfReport:
    """Every check of a certificate PDF; the register's only when ``register`` is given."""
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
    checked = check(payload, keys)
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
    if register is not None and checked.signature_ok:
        status, reason = register(checked.serial, payload)
        report.status = status
        if status == REVOKED:
            report.add(False, _("证书已撤销：%(r)s") % {"r": reason})
        elif status == UNKNOWN:
            report.add(False, _("本平台登记中没有这张证书。"))
        else:
            report.add(True, _("登记状态：有效。"))
    return report


class VerifyFailed(Exception):
    """The command's error line (Django's command prints it as ``CommandError: …``)."""


def read_keys(keys_file: Path | None, folder_keys: Callable[[], tuple[PublicKey, ...]]):
    """The keys of ``--keys keys.json``, else the platform's keys folder."""
    if keys_file is not None:
        try:
            keys = keys_from_document(json.loads(keys_file.read_text()))
        except (OSError, ValueError, KeyError) as exc:
            raise VerifyFailed(
                _("无法读取密钥文件 %(f)s：%(e)s") % {"f": keys_file, "e": exc}
            ) from exc
    else:
        keys = folder_keys()
    if not keys:
        raise VerifyFailed(_("没有可用的公钥：请用 --keys 指定 keys.json。"))
    return keys


def verify_file(
    file: Path,
    keys_file: Path | None,
    folder_keys: Callable[[], tuple[PublicKey, ...]],
    register: Register | None,
    write: Callable[[str], object],
) -> None:
    """``youke certs verify``: prints the fields and one line per check; raises
    ``VerifyFailed`` unless every check passed. Offline (``--keys``) skips the register."""
    if not file.is_file():
        raise VerifyFailed(_("找不到文件 %(f)s：请检查路径。") % {"f": file})
    keys = read_keys(keys_file, folder_keys)
    report = check_pdf(file, keys, register if keys_file is None else None)
    for key, label in FIELDS.items():
        if key in report.fields:
            write(f"  {_(label)}：{report.fields[key]}")
    for ok, text in report.lines:
        write(("✓ " if ok else "✗ ") + text)
    if not report.ok:
        raise VerifyFailed(_("核验未通过。"))
    write(_("核验通过。"))
