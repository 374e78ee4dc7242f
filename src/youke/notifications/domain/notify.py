"""Create notifications: the in-app row and, for people with an address, an outbox e-mail.

Both rows are written inside the caller's transaction, so a rolled-back decision leaves no
message behind; the e-mail is only handed to the queue once that transaction commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from youke.notifications.models import Notification, OutboxEmail

if TYPE_CHECKING:
    from youke.orgs.models import Person


def notify(
    person: Person,
    kind: str,
    *,
    title: str,
    body: str,
    url: str = "",
    dedupe_key: str = "",
) -> Notification | None:
    """Notify one person; with ``dedupe_key``, a second call with the same key does nothing."""
    if dedupe_key and Notification.objects.filter(person=person, dedupe_key=dedupe_key).exists():
        return None
    try:
        # The savepoint keeps a lost race on the dedupe constraint from breaking the caller.
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if person.email:
        email = OutboxEmail.objects.create(
            to_address=person.email,
            subject=title,
            body=body,
            notification=notification,
        )
        transaction.on_commit(lambda: _enqueue(email.pk), robust=True)
    return notification


def _enqueue(outbox_id: int) -> None:
    from youke.notifications.tasks import send_outbox

    send_outbox.delay(outbox_id)


def mark_read(person: Person, notification_id: int) -> Notification:
    """Mark one of the person's notifications read; another person's is "missing"."""
    notification = Notification.objects.get(pk=notification_id, person=person)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
