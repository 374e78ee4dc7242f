"""Writing the append-only audit log."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from youke.core.actor import Actor
from youke.core.models import AuditEvent

# Fields never copied into the log in clear.
MASKED_FIELDS = {"password", "id_card", "digest"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | decimal.Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-safe copy of the named fields, for before/after in the log."""
    from youke.orgs.validators import mask_id_card

    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if name == "id_card":
            value = mask_id_card(value)
        elif name in MASKED_FIELDS:
            value = "******" if value else ""
        data[name] = _jsonable(value)
    return data


def record(
    actor: Actor,
    action: str,
    obj: models.Model,
    *,
    unit=None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor.person,
        actor_name=actor.name,
        ip=actor.ip,
        unit=unit,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        reason=reason,
    )


def record_many(actor: Actor, action: str, rows: list[tuple[models.Model, Any, dict]]) -> None:
    """Bulk variant for imports: rows of (object, unit, after)."""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor.person,
                actor_name=actor.name,
                ip=actor.ip,
                unit=unit,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                after=after,
            )
            for obj, unit, after in rows
        ],
        batch_size=1000,
    )
