"""The portable credential: each certificate as an Open Badges 3.0 ``OpenBadgeCredential``
(a W3C Verifiable Credential 2.0) secured with JOSE as W3C "Securing Verifiable Credentials
using JOSE and COSE" describes: a compact JWS whose payload is the credential itself, header
``alg: EdDSA``, ``kid`` (the key generation), ``typ: vc+jwt``, ``cty: vc`` (media type
``application/vc+jwt``).

It is signed with the same Ed25519 key generation as the certificate's QR payload, so the
published key set (``/public/certificates/keys.json``) verifies it and a rotation leaves it
verifiable. It is built on demand from the certificate's signed fields (nothing new stored).

The recipient is identified by the name as printed on the certificate, never by the ID-card
number, not even hashed: only the last four digits are ever shown, and a salted hash of an
18-digit number whose tail is known can be reversed by trying the birth dates.
"""

from __future__ import annotations

import binascii
import datetime
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from youke.certificates.domain import keys as keyring
from youke.certificates.enums import CertificateState, VerifyStatus
from youke.certificates.models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
HEADER_TYP = "vc+jwt"
MEDIA_TYPE = "application/vc+jwt"
ID_PREFIX = "urn:youke:certificate:"
MAX_TOKEN = 16 * 1024
_SERIAL = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def credential_id(serial: str) -> str:
    return ID_PREFIX + serial


def credential_of(certificate: Certificate) -> dict:
    """The unsigned OpenBadgeCredential of a certificate."""
    from youke.certificates.domain.issuing import context_of
    from youke.certificates.domain.pdf import fill

    template = certificate.template
    fields = certificate.fields
    authorities = [a.name for a in template.authorities.all()] or [template.unit.name]
    achievement_name = f"{fields.get('l', '')}{fields.get('a', '')}"
    issued = certificate.issued_at.astimezone(datetime.UTC)
    return {
        "@context": CONTEXTS,
        "id": credential_id(certificate.serial),
        "type": TYPES,
        "name": template.title,
        "issuer": {
            "id": f"urn:youke:unit:{template.unit.code}",
            "type": ["Profile"],
            "name": "、".join(authorities),
        },
        "validFrom": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": fields.get("n", ""),
                }
            ],
            "achievement": {
                "id": f"urn:youke:achievement:{template.pk}:{fields.get('a', '')}",
                "type": ["Achievement"],
                "achievementType": "Award",
                "name": achievement_name,
                "description": fill(template.body, context_of(certificate)),
                "criteria": {
                    "narrative": _("%(campaign)s%(level)s评选：%(award)s")
                    % {
                        "campaign": template.campaign.name,
                        "level": fields.get("l", ""),
                        "award": fields.get("a", ""),
                    }
                },
            },
        },
    }


def _json_part(value: dict) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return keyring.b64url(data)


def sign_credential(credential: dict, kid: str) -> str:
    """Compact JWS (RFC 7515) over the credential with the generation ``kid``."""
    header = {"alg": "EdDSA", "kid": kid, "typ": HEADER_TYP, "cty": "vc"}
    signing_input = f"{_json_part(header)}.{_json_part(credential)}"
    signature = keyring.private_key(kid).sign(signing_input.encode("ascii"))
    return f"{signing_input}.{keyring.b64url(signature)}"


def credential_jwt(certificate: Certificate) -> str:
    """The certificate's credential, signed with the generation its payload was signed with."""
    return sign_credential(credential_of(certificate), certificate.kid)


@dataclass
class CredentialCheck:
    """What a presented credential proves; ``status`` as the verify page names it."""

    status: str
    credential: dict = field(default_factory=dict)
    problem: str = ""
    kid: str = ""
    certificate: Certificate | None = None

    @property
    def serial(self) -> str:
        ident = str(self.credential.get("id", ""))
        return ident[len(ID_PREFIX) :] if ident.startswith(ID_PREFIX) else ""

    @property
    def reason(self) -> str:
        return self.certificate.revoked_reason if self.certificate else ""

    @property
    def ok(self) -> bool:
        return self.status == VerifyStatus.VALID


def _forged(problem: str, credential: dict | None = None, kid: str = "") -> CredentialCheck:
    return CredentialCheck(VerifyStatus.FORGED, credential or {}, problem, kid)


def check_credential(token: str, keys=None, *, with_register: bool = True) -> CredentialCheck:
    """Verify a presented JWT; never raises on bad input, ``problem`` says what is wrong.

    Without the register (offline, a saved keys.json) a good signature gives ``valid``."""
    keys = keyring.public_keys() if keys is None else keys
    token = (token or "").strip()
    not_ours = _("这不是本平台签发的可携带证书（JWT 格式不符）：请提交完整的 .jwt 文件内容。")
    if not token or len(token) > MAX_TOKEN or token.count(".") != 2:
        return _forged(not_ours)
    header_part, payload_part, signature_part = token.split(".")
    try:
        header = json.loads(keyring.b64url_decode(header_part).decode())
        credential = json.loads(keyring.b64url_decode(payload_part).decode())
        signature = keyring.b64url_decode(signature_part)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return _forged(not_ours)
    if not isinstance(header, dict) or not isinstance(credential, dict):
        return _forged(not_ours)
    kid = str(header.get("kid", ""))
    if header.get("alg") != "EdDSA" or header.get("typ") != HEADER_TYP:
        return _forged(
            _("JWT 头部不符（须为 alg=EdDSA、typ=vc+jwt）：这不是本平台签发的可携带证书。"),
            credential,
            kid,
        )
    key = next((k for k in keys if k.kid == kid), None)
    if key is None:
        return _forged(
            _("签名所用的密钥（%(kid)s）不在本平台公布的密钥中：证书不是本平台签发的。")
            % {"kid": kid},
            credential,
            kid,
        )
    signing_input = f"{header_part}.{payload_part}".encode("ascii", "replace")
    if len(signature) != 64 or not key.verify(signature, signing_input):
        return _forged(_("签名与内容不符：证书内容被改动过或系伪造。"), credential, kid)
    found = CredentialCheck(VerifyStatus.VALID, credential, "", kid)
    if "OpenBadgeCredential" not in (credential.get("type") or []) or not _SERIAL.match(
        found.serial
    ):
        return _forged(not_ours, credential, kid)
    if not with_register:
        return found
    certificate = Certificate.objects.filter(serial=found.serial).first()
    if certificate is None:
        found.status = VerifyStatus.UNKNOWN
        found.problem = _("本平台登记中没有这张证书。")
        return found
    found.certificate = certificate
    if certificate.state == CertificateState.REVOKED:
        found.status = VerifyStatus.REVOKED
        found.problem = _("证书已撤销：%(r)s") % {"r": certificate.revoked_reason}
    return found
