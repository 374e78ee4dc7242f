"""Bulletins (通报): compose a draft with a snapshot of the figures, publish it once.

Publishing gives the number (``〔year〕n号`` per issuing unit and year, from the
``BulletinCounter`` row lock, so two admins publishing at once never share one), writes
the PDF and xlsx from the snapshot, and notifies the admins of the units below. A published
bulletin is never written again: the snapshot is the record of the figures at its time.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.monitoring.domain import reading
from youke.monitoring.domain.targets import campaign_targets
from youke.monitoring.enums import BULLETIN_TRANSITIONS, BulletinState
from youke.monitoring.models import Bulletin, BulletinCounter, UnitFigure
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import UnitKind
from youke.orgs.models import Person, Unit

STEP = Unit.steplen


# --- who sees what ----------------------------------------------------------------------------


def bulletins_visible_to(person: Person) -> QuerySet[Bulletin]:
    """Bulletins issued in the person's admin subtrees (drafts too), and published ones
    issued by a unit above them (the bulletins they received)."""
    if not person.is_authenticated or not person.is_active:
        return Bulletin.objects.none()
    paths = org_rules.admin_paths(person)
    if paths is None:
        return Bulletin.objects.all()
    if not paths:
        return Bulletin.objects.none()
    above = {path[: n * STEP] for path in paths for n in range(1, len(path) // STEP)}
    received = Q(state=BulletinState.PUBLISHED, issuing_unit__path__in=above)
    return Bulletin.objects.filter(org_rules.subtree_q(paths, "issuing_unit__path") | received)


def can_edit(person: Person, bulletin: Bulletin) -> bool:
    return bulletin.state == BulletinState.DRAFT and org_rules.covers(person, bulletin.issuing_unit)


def public_bulletins() -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(state=BulletinState.PUBLISHED, is_public=True)


# --- the snapshot -----------------------------------------------------------------------------


def take_snapshot(campaign: Campaign, unit: Unit, keys: list[str]) -> dict:
    """The figures as the dashboard shows them now: totals, ranked tables and named units."""
    targets = [t for t in campaign_targets(campaign) if t.indicator.key in keys]
    targets.sort(key=lambda t: keys.index(t.indicator.key))
    total = reading.make_row(_figure(campaign, unit), unit, targets)
    children = _rows(campaign, unit, targets, unit.depth + 1)
    tables = [{"title": _("下级单位"), "rows": children}]
    child_kinds = {row.kind for row in children}
    if unit.kind in (UnitKind.PROVINCE, UnitKind.MINISTRY) and UnitKind.COUNTY not in child_kinds:
        counties = reading.rows_at_kind(campaign, unit, UnitKind.COUNTY, targets)
        if counties:
            tables.append({"title": _("各县（区）"), "rows": counties})
    first = targets[0].indicator.key if targets else ""
    named = {row.unit_id: row for table in tables for row in table["rows"]}.values()
    names = {t.indicator.key: t.indicator.name for t in targets}
    return {
        "campaign": campaign.name,
        "unit": unit.name,
        "figures_at": total.refreshed_at.isoformat() if total.refreshed_at else "",
        "indicators": [
            {
                "key": t.indicator.key,
                "name": t.indicator.name,
                "measure": t.indicator.measure,
                "direction": t.indicator.direction,
            }
            for t in targets
        ],
        "total": total.as_dict(),
        "tables": [
            {
                "title": str(table["title"]),
                "rows": [row.as_dict() for row in reading.ranked(table["rows"], first)],
            }
            for table in tables
        ],
        "commended": [row.name for row in sorted(named, key=lambda r: r.code) if row.met_all],
        "behind": [
            {"name": row.name, "indicators": [names[c.key] for c in row.behind]}
            for row in sorted(named, key=lambda r: r.code)
            if row.behind
        ],
    }


def _figure(campaign: Campaign, unit: Unit) -> UnitFigure:
    figure = UnitFigure.objects.filter(campaign=campaign, unit=unit).first()
    if figure is None:
        raise ValidationError(
            _("该单位还没有本活动的统计数据，请稍后再试（统计每 15 分钟更新一次）。")
        )
    return figure


def _rows(campaign: Campaign, unit: Unit, targets, depth: int) -> list[reading.Row]:
    figures = (
        UnitFigure.objects.filter(
            campaign=campaign, path__under=unit.path, depth=depth, unit__is_active=True
        )
        .select_related("unit")
        .order_by("unit__code")
    )
    return [reading.make_row(f, f.unit, targets) for f in figures]


# --- writes -------------------------------------------------------------------------------------


def clean_fields(campaign: Campaign, unit: Unit, fields: dict) -> list[str]:
    """The indicator keys to report; every problem of the fields at once."""
    errors = {}
    if not fields.get("title", "").strip():
        errors["title"] = _("请填写通报标题。")
    if not fields.get("period_start") or not fields.get("period_end"):
        errors["period_start"] = _("请填写通报期间的开始和结束日期。")
    elif fields["period_end"] < fields["period_start"]:
        errors["period_end"] = _("通报期间的结束日期早于开始日期，请修改。")
    available = [t.indicator.key for t in campaign_targets(campaign)]
    keys = [key for key in fields["indicators"] if key in available]
    if not keys:
        errors["indicators"] = _("请至少选择一项本活动设有目标的指标。")
    if not unit.path.startswith(campaign.owner_unit.path):
        errors["campaign"] = _("该活动不在发文单位的范围内，请选择本单位或上级单位主办的活动。")
    if errors:
        raise ValidationError(errors)
    return keys


@transaction.atomic
def compose(actor: Actor, *, unit: Unit, campaign: Campaign, **fields) -> Bulletin:
    """A draft bulletin with the figures as they are now."""
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("bulletin")
    keys = clean_fields(campaign, unit, fields)
    snapshot = take_snapshot(campaign, unit, keys)
    bulletin = Bulletin.objects.create(
        issuing_unit=unit,
        campaign=campaign,
        title=fields["title"].strip(),
        doc_prefix=fields.get("doc_prefix", "").strip(),
        year=timezone.localdate().year,
        period_start=fields["period_start"],
        period_end=fields["period_end"],
        indicators=keys,
        intro=fields.get("intro", ""),
        closing=fields.get("closing", ""),
        is_public=bool(fields.get("is_public")),
        snapshot=snapshot,
        figures_at=_parse(snapshot["figures_at"]),
        created_by=actor.person,
    )
    record(actor, AuditAction.CREATE, bulletin, unit=unit, after={"title": bulletin.title})
    return bulletin


def _parse(value: str) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def _locked_draft(actor: Actor, bulletin_id: int) -> Bulletin:
    bulletin = (
        Bulletin.objects.select_for_update()
        .select_related("issuing_unit", "campaign__owner_unit")
        .get(pk=bulletin_id)
    )
    if actor.person is None or not org_rules.covers(actor.person, bulletin.issuing_unit):
        raise PermissionDenied("bulletin")
    if bulletin.state != BulletinState.DRAFT:
        raise ValidationError(_("通报已发布，内容和数据不能再修改；如需更正，请另发一份通报。"))
    return bulletin


@transaction.atomic
def retake_snapshot(actor: Actor, bulletin: Bulletin) -> Bulletin:
    """A draft takes the current figures again (e.g. after the next refresh)."""
    bulletin = _locked_draft(actor, bulletin.pk)
    bulletin.snapshot = take_snapshot(bulletin.campaign, bulletin.issuing_unit, bulletin.indicators)
    bulletin.figures_at = _parse(bulletin.snapshot["figures_at"])
    bulletin.save(update_fields=["snapshot", "figures_at"])
    return bulletin


@transaction.atomic
def delete_draft(actor: Actor, bulletin: Bulletin) -> None:
    bulletin = _locked_draft(actor, bulletin.pk)
    record(actor, AuditAction.DELETE, bulletin, unit=bulletin.issuing_unit)
    bulletin.delete()


def next_number(unit: Unit, year: int) -> int:
    """The next number of ``unit`` in ``year``; the counter row lock serialises callers."""
    BulletinCounter.objects.get_or_create(unit=unit, year=year)
    counter = BulletinCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def publish(actor: Actor, bulletin: Bulletin) -> Bulletin:
    from youke.monitoring.domain.bulletin_files import write_files

    bulletin = _locked_draft(actor, bulletin.pk)
    if BulletinState.PUBLISHED not in BULLETIN_TRANSITIONS[bulletin.state]:
        raise ValidationError(_("该通报当前不能发布。"))
    now = timezone.now()
    bulletin.year = timezone.localdate(now).year
    bulletin.number = next_number(bulletin.issuing_unit, bulletin.year)
    bulletin.state = BulletinState.PUBLISHED
    bulletin.published_at = now
    write_files(bulletin)
    bulletin.save(update_fields=["year", "number", "state", "published_at", "pdf", "xlsx"])
    record(
        actor,
        AuditAction.UPDATE,
        bulletin,
        unit=bulletin.issuing_unit,
        before={"state": BulletinState.DRAFT},
        after={"state": BulletinState.PUBLISHED, "number": bulletin.doc_number},
    )
    _notify_units_below(bulletin)
    return bulletin


def _notify_units_below(bulletin: Bulletin) -> None:
    unit = bulletin.issuing_unit
    children = Unit.objects.filter(
        path__under=unit.path, depth=unit.depth + 1, is_active=True
    ).values_list("pk", flat=True)
    url = reverse("manage_monitoring:bulletin_detail", args=[bulletin.pk])
    for person in unit_admins(children):
        notify(
            person,
            NotificationKind.BULLETIN,
            title=_("%(unit)s 发布通报：%(title)s") % {"unit": unit.name, "title": bulletin.title},
            body=_("文号 %(number)s。请查看本单位的指标情况并按通报要求落实。")
            % {"number": bulletin.doc_number},
            url=url,
            dedupe_key=f"bulletin:{bulletin.pk}",
        )
