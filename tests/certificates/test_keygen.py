"""``youke certs keygen``: keys in DATA_DIR/keys, never replaced without --rotate."""

from __future__ import annotations

import io
import stat

from django.core.management import call_command

from youke.certificates.domain import keys as keyring


def _keygen(*args) -> str:
    out = io.StringIO()
    call_command("certs", "keygen", *args, stdout=out)
    return out.getvalue()


def test_keygen_then_again_then_rotate(settings):
    output = _keygen()
    first = keyring.current_kid()
    assert f"已生成密钥 {first} 并设为当前密钥" in output
    folder = settings.DATA_DIR / "keys" / "certificates" / first
    assert stat.S_IMODE((folder / "ed25519.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "signing-key.pem").stat().st_mode) == 0o600
    assert f"已有当前密钥 {first}，未改动" in _keygen()
    _keygen("--rotate")
    second = keyring.current_kid()
    assert second != first
    assert [(k.kid, k.current) for k in keyring.public_keys()] == [(first, False), (second, True)]
