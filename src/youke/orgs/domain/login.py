"""Log-in throttling: failures counted per account and per address in the shared cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(login: str, ip: str | None) -> list[str]:
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    keys = [f"login-fail:acct:{digest}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def is_locked(login: str, ip: str | None) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    # An address gets more room than an account: a school shares one NAT address.
    counts = cache.get_many(_keys(login, ip))
    return any(
        count >= (limit if key.startswith("login-fail:acct") else limit * 10)
        for key, count in counts.items()
    )


def register_failure(login: str, ip: str | None) -> None:
    for key in _keys(login, ip):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def clear_failures(login: str) -> None:
    cache.delete(_keys(login, None)[0])


def lock_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW // 60)
