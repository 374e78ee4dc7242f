"""The platform's certificate keys, kept in ``DATA_DIR/keys/certificates`` (never the DB).

Each generation has a key id (``kid``, from the public key's hash) and two keys:
an Ed25519 key that signs the QR payloads, and an ECDSA P-256 key with a self-signed X.509
certificate that signs the PDF documents (PAdES; readers know ECDSA, few know Ed25519;
pyHanko reloads the private key for every signature and an RSA key's load-time checks
cost 40 ms each, an EC key's next to nothing).
Rotation writes a new generation and points ``current`` at it; the old ones stay, so
their public keys stay published and old certificates stay verifiable.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

from youke.certificates.domain.offline import (  # noqa: F401  (the public half lives there)
    PublicKey,
    b64url,
    b64url_decode,
    keys_from_document,
    keys_in_folder,
)

SIGNING_CERT_YEARS = 30


class KeysMissing(Exception):
    """No key generation exists yet; ``youke certs keygen`` makes one."""


def keys_dir() -> Path:
    return Path(settings.DATA_DIR) / "keys" / "certificates"


def kid_of(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()[:8]


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def generate(*, rotate: bool = False) -> str:
    """Make a key generation and make it current; returns its kid.

    Without ``rotate`` an existing current key is kept (keygen run twice does no harm).
    """
    folder = keys_dir()
    current_file = folder / "current"
    if current_file.exists() and not rotate:
        return current_file.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = ed25519.Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    kid = kid_of(raw)
    generation = folder / kid
    generation.mkdir(mode=0o700)
    pkcs8 = serialization.PrivateFormat.PKCS8
    nothing = serialization.NoEncryption()
    _write_private(
        generation / "ed25519.pem",
        private.private_bytes(serialization.Encoding.PEM, pkcs8, nothing),
    )
    signing_key = ec.generate_private_key(ec.SECP256R1())
    _write_private(
        generation / "signing-key.pem",
        signing_key.private_bytes(serialization.Encoding.PEM, pkcs8, nothing),
    )
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"youke certificates {kid}"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "youke"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(signing_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * SIGNING_CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(signing_key, hashes.SHA256())
    )
    (generation / "signing-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (generation / "created").write_text(now.isoformat())
    # Written last and replaced atomically: a reader sees the old or the new current key.
    tmp = folder / "current.tmp"
    tmp.write_text(kid)
    tmp.replace(current_file)
    return kid


def current_kid() -> str:
    current_file = keys_dir() / "current"
    if not current_file.exists():
        raise KeysMissing(_("尚未生成证书签名密钥：请先运行 youke certs keygen。"))
    return current_file.read_text().strip()


@lru_cache(maxsize=32)
def _private(path: str, mtime_ns: int) -> ed25519.Ed25519PrivateKey:
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def private_key(kid: str) -> ed25519.Ed25519PrivateKey:
    path = keys_dir() / kid / "ed25519.pem"
    return _private(str(path), path.stat().st_mtime_ns)


def signing_files(kid: str) -> tuple[Path, Path]:
    """The PAdES key and certificate of a generation."""
    generation = keys_dir() / kid
    return generation / "signing-key.pem", generation / "signing-cert.pem"


@lru_cache(maxsize=8)
def _public_keys(folder: str, stamp: tuple) -> tuple[PublicKey, ...]:
    return keys_in_folder(Path(folder))


def public_keys() -> tuple[PublicKey, ...]:
    """Every generation's public half, oldest first (cached until the folder changes)."""
    folder = keys_dir()
    if not folder.is_dir():
        return ()
    current = folder / "current"
    stamp = (folder.stat().st_mtime_ns, current.stat().st_mtime_ns if current.exists() else 0)
    return _public_keys(str(folder), stamp)


def keys_document(keys: tuple[PublicKey, ...] | None = None) -> dict:
    """The published key set (JWK-style), served at /public/certificates/keys.json."""
    keys = public_keys() if keys is None else keys
    return {
        "issuer": "youke",
        "keys": [
            {
                "kid": key.kid,
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "x": b64url(key.raw),
                "created": key.created,
                "current": key.current,
                "signing_cert": key.signing_cert_pem,
                "signing_cert_sha256": key.signing_cert_sha256,
            }
            for key in keys
        ],
    }


def keys_json(keys: tuple[PublicKey, ...] | None = None) -> str:
    return json.dumps(keys_document(keys), ensure_ascii=False, indent=2)
