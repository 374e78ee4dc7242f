"""Originality follows the checks: every material whose check ended is fingerprinted in the
background (connected in apps.ready); a failed file has nothing to compare."""

from django.dispatch import receiver

from youke.submissions.enums import CheckState
from youke.submissions.signals import material_checked


@receiver(material_checked, dispatch_uid="originality.fingerprint")
def _material_checked(sender, material_id: int, state: str, **kw) -> None:
    if state in (CheckState.PASSED, CheckState.WARNED):
        from youke.originality.tasks import queue_fingerprint

        queue_fingerprint(material_id)
