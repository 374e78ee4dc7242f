"""Who may see an upload: only the person who started it (admins see files via submissions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from youke.media.models import Upload

if TYPE_CHECKING:
    from youke.orgs.models import Person


def can_see_upload(person: Person | None, upload: Upload) -> bool:
    return person is not None and person.is_active and upload.owner_id == person.pk


def uploads_visible_to(person: Person | None) -> QuerySet[Upload]:
    if person is None or not person.is_active:
        return Upload.objects.none()
    return Upload.objects.filter(owner=person)
