"""County screening records (R8): technical check and trial lecture; a pass in a design-first
campaign asks the teacher for the video (``filming``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record, snapshot
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied
from youke.selection import rules
from youke.selection.domain import filming
from youke.selection.domain.lists import lock_list, refuse_if_confirmed
from youke.selection.models import LevelEntry, ScreeningRecord

FIELDS = (
    "technical_check",
    "technical_note",
    "trial_date",
    "panel",
    "trial_result",
    "comments",
)


def record_screening(actor: Actor, entry: LevelEntry, **values) -> ScreeningRecord:
    if not rules.can_decide(actor.person, entry):
        raise PermissionDenied("entry")
    if not entry.level.has_trial_lecture:
        raise ValidationError(
            _("“%(level)s”不含试讲，无需登记初选。") % {"level": entry.level.name}
        )
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown screening fields: {sorted(unknown)}")
    with transaction.atomic():
        refuse_if_confirmed(lock_list(entry.level.campaign, entry.level, entry.unit))
        screening = ScreeningRecord.objects.filter(entry=entry).first()
        before = snapshot(screening, FIELDS) if screening else None
        screening = screening or ScreeningRecord(entry=entry)
        for name, value in values.items():
            setattr(screening, name, value)
        screening.full_clean()
        screening.save()
        filming.sync_after_screening(actor, entry, screening)
        record(
            actor,
            AuditAction.UPDATE if before else AuditAction.CREATE,
            screening,
            unit=entry.unit,
            before=before,
            after=snapshot(screening, FIELDS),
        )
    return screening
