"""The navbar's unread badge, shown on every page.

The count rides on the query that loads the signed-in person for the request
(``orgs.backends``), so no page pays a query of its own for it.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from youke.notifications.models import Notification

ANNOTATION = "unread_notifications"


def unread_subquery() -> Coalesce:
    """``unread_notifications`` for a Person queryset: a correlated count served by the
    ``notification_unread`` index."""
    counted = (
        Notification.objects.filter(person_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unread_count(person) -> int:
    """The person's unread count: from the request's person load when it carries it."""
    loaded = getattr(person, ANNOTATION, None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(person=person, read_at__isnull=True).count()
