from youke.notifications.models import Notification


def unread(request) -> dict[str, int]:
    """The navbar badge: the signed-in person's unread count, in one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    count = Notification.objects.filter(person=user, read_at__isnull=True).count()
    return {"unread_notifications": count}
