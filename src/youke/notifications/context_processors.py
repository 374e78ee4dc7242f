from youke.notifications.domain.badge import unread_count


def unread(request) -> dict[str, int]:
    """The navbar badge: the signed-in person's unread count (loaded with the person)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
