"""Originality follows the checks: every material whose check ended is fingerprinted in the
background (connected in apps.ready); a failed file has nothing to compare. A changed citation
list re-checks the package: short clips it cites are not counted (R14)."""

from django.dispatch import receiver

from youke.submissions.enums import CheckState
from youke.submissions.signals import citations_changed, material_checked


@receiver(material_checked, dispatch_uid="originality.fingerprint")
def _material_checked(sender, material_id: int, state: str, **kw) -> None:
    if state in (CheckState.PASSED, CheckState.WARNED):
        from youke.originality.tasks import queue_fingerprint

        queue_fingerprint(material_id)


@receiver(citations_changed, dispatch_uid="originality.citations")
def _citations_changed(sender, submission_id: int, **kw) -> None:
    """A quoted clip the package now cites (or no longer cites) changes what counts (R14)."""
    from youke.originality.tasks import queue_check

    queue_check(submission_id)
