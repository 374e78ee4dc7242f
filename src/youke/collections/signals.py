"""Signals of the collections app.

``return_submitting`` is a check, not an event: it is sent inside the transaction just
before a return becomes 已报送 (``collection_return``, ``actor``), and a receiver refuses the
submission by raising ``ValidationError`` naming what is missing (the year-end report of a
programme checks its per-task entries this way, without collections knowing of it).
"""

from django.dispatch import Signal

return_submitting = Signal()
