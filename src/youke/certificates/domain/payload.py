"""The compact signed payload a certificate's QR code carries.

``<base64url(JSON)>.<base64url(Ed25519 signature over the JSON bytes)>``; the JSON uses
one-letter keys so the QR code stays small enough to scan from paper. Signing needs the
private keys (here); reading and checking needs only the public ones (``offline``).
"""

from __future__ import annotations

from youke.certificates.domain import keys as keyring
from youke.certificates.domain import offline
from youke.certificates.domain.offline import FIELDS, MAX_PAYLOAD, PRINTED, Checked, encode_json

__all__ = ["FIELDS", "MAX_PAYLOAD", "PRINTED", "Checked", "check", "encode_json", "sign"]


def sign(fields: dict, kid: str | None = None) -> str:
    """Sign with the given generation (default: the current one); ``fields['k']`` is set."""
    kid = kid or keyring.current_kid()
    data = encode_json({**fields, "k": kid})
    signature = keyring.private_key(kid).sign(data)
    return f"{keyring.b64url(data)}.{keyring.b64url(signature)}"


def check(payload: str, keys: tuple[keyring.PublicKey, ...] | None = None) -> Checked:
    """Decode and verify against the given keys (default: the published ones)."""
    return offline.check(payload, keyring.public_keys() if keys is None else keys)
