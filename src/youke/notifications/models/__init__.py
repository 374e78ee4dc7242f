from .notification import Notification
from .outbox import OutboxEmail

__all__ = ["Notification", "OutboxEmail"]
