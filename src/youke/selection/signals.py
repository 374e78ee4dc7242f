"""Signals other apps listen to; sent after the transaction that caused them commits.

``award_granted(award_id, actor)``: an award was granted (``domain.awards``), once per award.
``award_revoked(award_id, actor, reason)``: an award was revoked (``domain.awards``);
certificates revoke theirs.
``objection_upheld(entry_id, actor, reason)``: a 公示 objection was upheld and the entry
withdrawn (``domain.publicity``).
Selection never imports the listeners.
"""

from django.dispatch import Signal

award_granted = Signal()
award_revoked = Signal()
objection_upheld = Signal()
