"""Certificates follow the selection events they depend on (connected in apps.ready)."""

from django.dispatch import receiver

from youke.certificates.domain.revocation import revoke_for_award
from youke.core.actor import Actor
from youke.selection.signals import award_revoked


@receiver(award_revoked, dispatch_uid="certificates.revoke_for_award")
def _award_revoked(sender, award_id: int, actor: Actor | None = None, reason: str = "", **kw):
    revoke_for_award(actor or Actor.system(), award_id, reason)
