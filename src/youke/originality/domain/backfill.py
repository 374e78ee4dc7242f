"""Which materials the fingerprint job should (re)visit after an upgrade.

Videos indexed before sound tracks were fingerprinted have a ``VideoFingerprint`` and no
``AudioFingerprint``; silent videos stay on that list (they have no sound to store), which
costs one cheap decode each time the command runs.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from youke.campaigns.enums import MaterialKind
from youke.originality.models import AudioFingerprint, VideoFingerprint
from youke.submissions.enums import CheckState
from youke.submissions.models import Material

CHECKED = (CheckState.PASSED, CheckState.WARNED)


def materials_to_fingerprint(*, missing_audio_only: bool = True) -> QuerySet:
    """Ids of checked materials to fingerprint, oldest first."""
    checked = Material.objects.filter(check_state__in=CHECKED).exclude(upload__storage_name="")
    if missing_audio_only:
        checked = checked.filter(requirement__kind=MaterialKind.VIDEO).filter(
            Exists(VideoFingerprint.objects.filter(material_id=OuterRef("pk"))),
            ~Exists(AudioFingerprint.objects.filter(material_id=OuterRef("pk"))),
        )
    return checked.order_by("pk").values_list("pk", flat=True)
