"""The library follows the selection events it depends on (connected in apps.ready)."""

from django.dispatch import receiver

from youke.core.actor import Actor
from youke.library.domain.publishing import follow_award_revoked, follow_objection_upheld
from youke.selection.signals import award_revoked, objection_upheld


@receiver(award_revoked, dispatch_uid="library.follow_award_revoked")
def _award_revoked(sender, award_id: int, actor: Actor | None = None, reason: str = "", **kw):
    follow_award_revoked(actor or Actor.system(), award_id, reason)


@receiver(objection_upheld, dispatch_uid="library.follow_objection_upheld")
def _objection_upheld(sender, entry_id: int, actor: Actor | None = None, reason: str = "", **kw):
    follow_objection_upheld(actor or Actor.system(), entry_id, reason)
