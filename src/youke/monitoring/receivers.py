"""Figures follow the events that change them (connected in apps.ready): a submitted
package and a granted or revoked award queue a delta refresh of the package's school and of
the teacher's unit. Withdrawals send no signal; the scheduled full refresh catches them."""

from __future__ import annotations

from django.dispatch import receiver

from youke.selection.models import Award
from youke.selection.signals import award_granted, award_revoked
from youke.submissions.models import Submission
from youke.submissions.signals import package_submitted


def _queue_for(submission: Submission | None) -> None:
    if submission is None:
        return
    from youke.monitoring.tasks import refresh_units

    units = sorted({submission.unit_id, submission.teacher.unit_id})
    refresh_units.delay(submission.campaign_id, units)


@receiver(package_submitted, dispatch_uid="monitoring.package_submitted")
def _package_submitted(sender, submission_id: int, **kwargs) -> None:
    _queue_for(Submission.objects.select_related("teacher").filter(pk=submission_id).first())


@receiver(award_granted, dispatch_uid="monitoring.award_granted")
@receiver(award_revoked, dispatch_uid="monitoring.award_revoked")
def _award_changed(sender, award_id: int, **kwargs) -> None:
    award = Award.objects.select_related("entry__submission__teacher").filter(pk=award_id).first()
    _queue_for(award.entry.submission if award else None)
