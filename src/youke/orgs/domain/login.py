"""Log-in throttling: failures counted per account and per address in the shared cache.

The account counter is keyed on the account the typed identifier resolves to, so typing
the username and the mobile number in turn shares one counter. An identifier that
resolves to nobody gets a counter of its own, so unknown names are throttled the same
way and the lock does not reveal whether an account exists.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from youke.orgs.models import Person

# An address gets more room than an account: a school shares one NAT address.
IP_FACTOR = 10


def find_account(login: str) -> Person | None:
    """The account a typed identifier names: its username or its mobile number."""
    login = login.strip()
    if not login:
        return None
    return Person.objects.filter(Q(username=login) | Q(mobile=login)).order_by("pk").first()


def _account_key(login: str) -> str:
    person = find_account(login)
    if person is not None:
        return f"login-fail:acct:{person.pk}"
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:name:{digest}"


def _keys(login: str, ip: str | None) -> dict[str, int]:
    """Counter keys with the failure count at which each locks."""
    limit = settings.LOGIN_MAX_FAILURES
    keys = {_account_key(login): limit}
    if ip:
        keys[f"login-fail:ip:{ip}"] = limit * IP_FACTOR
    return keys


def is_locked(login: str, ip: str | None) -> bool:
    keys = _keys(login, ip)
    counts = cache.get_many(list(keys))
    return any(count >= keys[key] for key, count in counts.items())


def register_failure(login: str, ip: str | None) -> None:
    for key in _keys(login, ip):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def clear_failures(login: str) -> None:
    cache.delete(_account_key(login))


def lock_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW // 60)
