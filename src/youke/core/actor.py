"""Who performs an action: passed explicitly into domain code (never read from a request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from youke.orgs.models import Person


@dataclass(frozen=True)
class Actor:
    person: Person | None
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        person = request.user if request.user.is_authenticated else None
        return cls(person=person, ip=client_ip(request))

    @classmethod
    def system(cls) -> Actor:
        return cls(person=None, ip=None)

    @property
    def name(self) -> str:
        return self.person.full_name if self.person else "system"


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: behind a proxy, the proxy sets it (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None
