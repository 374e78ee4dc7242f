"""Deliver outbox e-mails, once each, through Django's mail backend."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from youke.notifications.enums import OutboxState
from youke.notifications.models import OutboxEmail

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The backend refused the message; the task retries it with backoff."""


def send_one(outbox_id: int) -> OutboxEmail | None:
    """Send one queued or failed e-mail; a sent one is never sent again.

    The row stays locked while the backend talks to the server, so two workers handed the
    same id (a retry racing a redelivery) cannot both send it.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=outbox_id).first()
        if email is None:
            logger.warning("outbox e-mail %s vanished before it was sent", outbox_id)
            return None
        if email.state == OutboxState.SENT:
            return email
        email.attempts += 1
        try:
            send_mail(
                email.subject,
                email.body,
                settings.DEFAULT_FROM_EMAIL,
                [email.to_address],
                fail_silently=False,
            )
        except Exception as exc:  # any backend error: SMTP, DNS, socket
            email.state = OutboxState.FAILED
            email.last_error = f"{type(exc).__name__}: {exc}"[:500]
            email.save(update_fields=["state", "attempts", "last_error"])
            failure = exc
        else:
            # last_error is kept: it explains why earlier attempts were needed.
            email.state = OutboxState.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["state", "attempts", "sent_at"])
            return email
    raise SendFailed(email.last_error) from failure
