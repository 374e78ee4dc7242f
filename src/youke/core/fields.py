"""Encrypted columns for personal numbers, with a keyed hash for lookups and uniqueness.

The key (``settings.FIELD_KEY``: ``YOUKE_FIELD_KEY`` or ``DATA_DIR/field_key``) lives
outside the database, so a leaked dump or backup shows neither the numbers nor anything
that can be checked against a guessed number. Two independent keys are derived from it:
one encrypts (Fernet: AES-128-CBC + HMAC-SHA256, random IV, so equal numbers encrypt
differently), one computes the HMAC-SHA256 stored beside it for equality lookups.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode()
    )


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    if not secret:
        raise ImproperlyConfigured("FIELD_KEY is empty: set YOUKE_FIELD_KEY or DATA_DIR/field_key")
    fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"youke field encryption")))
    return fernet, _derive(secret, b"youke field lookup hash")


def encrypt(value: str) -> str:
    return _keys(settings.FIELD_KEY)[0].encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys(settings.FIELD_KEY)[0].decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted column cannot be read with this FIELD_KEY: the key differs from the "
            "one that wrote it (restore YOUKE_FIELD_KEY or DATA_DIR/field_key)."
        ) from exc


def keyed_hash(value: str | None) -> str | None:
    """HMAC-SHA256 of ``value`` (hex), for equality lookups; None stays None."""
    if value is None or value == "":
        return None
    return hmac.new(_keys(settings.FIELD_KEY)[1], value.encode(), hashlib.sha256).hexdigest()


class _NullOnlyExact(Exact):
    """``field=None`` works (it becomes ``isnull``); comparing ciphertexts never would."""

    def get_prep_lookup(self):
        if self.rhs is not None:
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its keyed hash "
                f"column ({self.lhs.target.hash_field}) with youke.core.fields.keyed_hash()."
            )
        return None


class _HashingAttribute(DeferredAttribute):
    """Setting the plaintext also sets the keyed hash, so every write path keeps both."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        instance.__dict__[self.field.hash_field] = keyed_hash(value)


class EncryptedTextField(models.TextField):
    """Plaintext in Python, a Fernet token in the database; ``hash_field`` names the HMAC column.

    Saving with ``update_fields`` must name the hash column too (``Person.save`` does).
    """

    descriptor_class = _HashingAttribute

    def __init__(self, *args, hash_field: str, **kwargs):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def get_lookup(self, lookup_name):
        return {"exact": _NullOnlyExact, "isnull": IsNull}.get(lookup_name)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)
