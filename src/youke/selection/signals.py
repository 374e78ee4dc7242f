"""Signals other apps listen to; sent after the transaction that caused them commits.

``award_revoked(award_id, actor, reason)``: an award was revoked (``domain.awards``);
certificates revoke theirs. Selection never imports the listeners.
"""

from django.dispatch import Signal

award_revoked = Signal()
