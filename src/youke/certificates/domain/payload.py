"""The compact signed payload a certificate's QR code carries.

``<base64url(JSON)>.<base64url(Ed25519 signature over the JSON bytes)>``; the JSON uses
one-letter keys so the QR code stays small enough to scan from paper.
"""

from __future__ import annotations

import binascii
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.certificates.domain import keys as keyring

# Key → label, in the order the verify page and the CLI show them.
FIELDS = {
    "n": gettext_lazy("获证人"),
    "i": gettext_lazy("身份证号"),
    "a": gettext_lazy("奖项"),
    "l": gettext_lazy("级别"),
    "d": gettext_lazy("发证日期"),
    "s": gettext_lazy("证书编号"),
    "k": gettext_lazy("密钥编号"),
}
# Fields that must be printed on the certificate (the kid is not printed).
PRINTED = ("n", "i", "a", "l", "d", "s")
MAX_PAYLOAD = 1200


def encode_json(fields: dict) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(fields: dict, kid: str | None = None) -> str:
    """Sign with the given generation (default: the current one); ``fields['k']`` is set."""
    kid = kid or keyring.current_kid()
    data = encode_json({**fields, "k": kid})
    signature = keyring.private_key(kid).sign(data)
    return f"{keyring.b64url(data)}.{keyring.b64url(signature)}"


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
        return [(str(label), str(self.fields.get(key, ""))) for key, label in FIELDS.items()]


def check(payload: str, keys: tuple[keyring.PublicKey, ...] | None = None) -> Checked:
    """Decode and verify; never raises on bad input, the problem says what is wrong."""
    keys = keyring.public_keys() if keys is None else keys
    if len(payload) > MAX_PAYLOAD or payload.count(".") != 1:
        return Checked(problem=_("二维码内容不是本平台的证书数据。"))
    data_part, sig_part = payload.split(".")
    try:
        data = keyring.b64url_decode(data_part)
        signature = keyring.b64url_decode(sig_part)
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
