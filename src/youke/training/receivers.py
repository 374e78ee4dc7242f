"""Training hours follow the events that earn them (connected in apps.ready).

The receivers only pass ids on; what counts and how much is decided in ``domain.ledger``
from the campaign's rule table.
"""

from django.dispatch import receiver

from youke.core.actor import Actor
from youke.selection.signals import award_granted, award_revoked
from youke.submissions.signals import package_submitted, package_withdrawn
from youke.training.domain import ledger


@receiver(package_submitted, dispatch_uid="training.credit_showcase")
def _package_submitted(sender, submission_id: int, actor: Actor | None = None, **kw):
    ledger.credit_showcase(actor or Actor.system(), submission_id)


@receiver(award_granted, dispatch_uid="training.credit_award")
def _award_granted(sender, award_id: int, actor: Actor | None = None, **kw):
    ledger.credit_award(actor or Actor.system(), award_id)


@receiver(award_revoked, dispatch_uid="training.reverse_award")
def _award_revoked(sender, award_id: int, actor: Actor | None = None, reason: str = "", **kw):
    ledger.reverse_award(actor or Actor.system(), award_id, reason)


@receiver(package_withdrawn, dispatch_uid="training.reverse_showcase")
def _package_withdrawn(
    sender, submission_id: int, actor: Actor | None = None, reason: str = "", **kw
):
    ledger.reverse_showcase(actor or Actor.system(), submission_id, reason)
