"""The per-unit list row every decision locks first (R18) and the level helpers around it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Campaign, Level
from youke.orgs.models import Unit
from youke.selection.enums import ListState
from youke.selection.models import LevelList


def lock_list(campaign: Campaign, level: Level, unit: Unit) -> LevelList:
    """Create-or-get then lock the unit's list row; call inside ``transaction.atomic``.

    Two admins acting on the same list queue here, so every count taken afterwards is stable.
    ``get_or_create`` copes with two first-time creators: the loser re-reads the winner's row.
    """
    row, _created = LevelList.objects.get_or_create(
        level=level, unit=unit, defaults={"campaign": campaign}
    )
    return LevelList.objects.select_for_update().get(pk=row.pk)


def refuse_if_confirmed(row: LevelList) -> None:
    if row.state == ListState.CONFIRMED:
        raise ValidationError(_("本级推荐名单已确认，不能再修改。如需调整，请联系上级单位。"))


def deciding_unit(unit: Unit, kind: str) -> Unit:
    """The ancestor-or-self of ``unit`` of ``kind``: who decides for it at a level."""
    found = (
        Unit.objects.filter(path__in=campaign_rules.ancestor_paths(unit.path), kind=kind)
        .order_by("-depth")
        .first()
    )
    if found is None:
        raise ValidationError(
            _("“%(unit)s”上级没有该级别的负责单位，请检查单位结构。") % {"unit": unit.name}
        )
    return found


def deciding_units(units: list[Unit], kind: str) -> dict[str, Unit]:
    """``deciding_unit`` for many units in one query, keyed by the unit's path."""
    prefixes = {p for u in units for p in campaign_rules.ancestor_paths(u.path)}
    by_path = {u.path: u for u in Unit.objects.filter(path__in=prefixes, kind=kind)}
    found = {}
    for unit in units:
        for prefix in reversed(campaign_rules.ancestor_paths(unit.path)):
            if prefix in by_path:
                found[unit.path] = by_path[prefix]
                break
    return found


def first_level(campaign: Campaign) -> Level | None:
    return Level.objects.filter(campaign=campaign).order_by("order").first()


def next_level(level: Level) -> Level | None:
    return (
        Level.objects.filter(campaign_id=level.campaign_id, order__gt=level.order)
        .order_by("order")
        .first()
    )
