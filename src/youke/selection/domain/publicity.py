"""Publicity windows (公示) and objections (异议), issue 4 item 11.

A window shows one unit's confirmed list at one level. Anyone may object during the window
without logging in; the unit's admins resolve each objection. An upheld objection withdraws
the entry:

- while the entry's list is still open, through ``decide`` like any other decision;
- once the list is confirmed (the usual case: only confirmed lists are published),
  ``decide`` refuses by design, so ``_withdraw_confirmed`` takes the list lock, moves the
  entry recommended → not recommended through the same state writer ``decide`` uses
  (``entries._write_state``: transition table and audit), and withdraws the copies the
  confirmation already created at higher levels. Nothing else bypasses ``decide``.

The stored window state follows the clock (``sync_state``) and is only a label: filing an
objection checks the dates themselves, so no scheduler is needed for correctness.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign, Level
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.domain.uploaded import sniff_upload
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.selection.domain import entries as entries_domain
from youke.selection.domain import notices, publicity_exports
from youke.selection.domain.lists import lock_list
from youke.selection.enums import (
    OBJECTION_TRANSITIONS,
    PUBLICITY_TRANSITIONS,
    EntryState,
    ListState,
    ObjectionState,
    PublicityState,
)
from youke.selection.models import LevelEntry, LevelList, Objection, Publicity
from youke.selection.signals import objection_upheld

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
# Objections per address per hour: a whole school may share one NAT address, so this is a
# brake on floods, not a per-person limit.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


class IllegalTransition(ValidationError):
    """A publicity or objection state change its table does not allow."""


# --- queries --------------------------------------------------------------------------------


def publicities_visible_to(person) -> QuerySet[Publicity]:
    if not org_rules.is_unit_admin(person):
        return Publicity.objects.none()
    return org_rules.scoped(Publicity.objects.all(), person, "unit__path")


def access_publicity(person, publicity_id: int) -> Publicity:
    found = (
        publicities_visible_to(person)
        .select_related("unit", "level", "campaign")
        .filter(pk=publicity_id)
        .first()
    )
    if found is None:
        raise Http404("publicity")
    return found


def access_objection(person, objection_id: int) -> Objection:
    found = (
        Objection.objects.filter(
            publicity__in=publicities_visible_to(person).values("pk"), pk=objection_id
        )
        .select_related("publicity", "publicity__unit", "entry", "entry__submission")
        .first()
    )
    if found is None:
        raise Http404("objection")
    return found


def public_publicities(now: datetime.datetime | None = None) -> QuerySet[Publicity]:
    """Windows the public sees: started ones, newest first (open and past results alike)."""
    now = now or timezone.now()
    return Publicity.objects.filter(starts_at__lte=now).select_related("unit", "level", "campaign")


def published_entries(publicity: Publicity) -> QuerySet[LevelEntry]:
    """What the window lists: the entries still recommended on the published list."""
    return (
        LevelEntry.objects.filter(
            level_id=publicity.level_id, unit_id=publicity.unit_id, state=EntryState.RECOMMENDED
        )
        .select_related(
            "submission",
            "submission__unit",
            "submission__node",
            "submission__category",
            "submission__teacher",
        )
        .order_by("submission__unit__path", "submission__node__path", "id")
    )


# --- windows --------------------------------------------------------------------------------


def _set_state(publicity: Publicity, new_state: str, actor: Actor, *, reason: str = "") -> None:
    """The only writer of ``Publicity.state``; call with the row locked."""
    if new_state not in PUBLICITY_TRANSITIONS[publicity.state]:
        raise IllegalTransition(
            _("公示当前状态“%(s)s”不能改为“%(t)s”。")
            % {"s": publicity.get_state_display(), "t": PublicityState(new_state).label}
        )
    before = publicity.state
    publicity.state = new_state
    fields = ["state"]
    if new_state == PublicityState.FINAL:
        publicity.finalised_at = timezone.now()
        fields.append("finalised_at")
    publicity.save(update_fields=fields)
    record(
        actor,
        AuditAction.UPDATE,
        publicity,
        unit=publicity.unit,
        before={"state": before},
        after={"state": new_state},
        reason=reason,
    )


def _clock_state(publicity: Publicity, now: datetime.datetime) -> str:
    if now < publicity.starts_at:
        return PublicityState.SCHEDULED
    if now <= publicity.ends_at:
        return PublicityState.OPEN
    return PublicityState.CLOSED


def sync_state(publicity: Publicity, now: datetime.datetime | None = None) -> Publicity:
    """Move the stored label along with the clock (scheduled → open → closed)."""
    now = now or timezone.now()
    if publicity.state == PublicityState.FINAL:
        return publicity
    target = _clock_state(publicity, now)
    if target == publicity.state or target not in PUBLICITY_TRANSITIONS[publicity.state]:
        return publicity
    with transaction.atomic():
        locked = Publicity.objects.select_for_update().select_related("unit").get(pk=publicity.pk)
        target = _clock_state(locked, now)
        if target != locked.state and target in PUBLICITY_TRANSITIONS[locked.state]:
            _set_state(locked, target, Actor.system(), reason=_("按公示时间自动变更"))
    return locked


def open_publicity(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    unit: Unit,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str,
    now: datetime.datetime | None = None,
) -> Publicity:
    title = title.strip()
    now = now or timezone.now()
    if level.campaign_id != campaign.pk or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("publicity")
    errors = {}
    if not title:
        errors["title"] = _("请填写公示标题，例如“2026年东湖区精品课推荐结果公示”。")
    if ends_at <= starts_at:
        errors["ends_at"] = _("公示结束时间必须晚于开始时间，请重新选择。")
    elif ends_at <= now:
        errors["ends_at"] = _("公示结束时间已过，请选择今后的时间。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = LevelList.objects.filter(level=level, unit=unit).first()
        if row is None or row.state != ListState.CONFIRMED:
            raise ValidationError(_("本级推荐名单尚未确认，不能公示。请先确认名单后再发布公示。"))
        if Publicity.objects.filter(level=level, unit=unit).exists():
            raise ValidationError(_("该名单已发布过公示，不能重复发布。请在公示列表中查看。"))
        publicity = Publicity.objects.create(
            campaign=campaign,
            level=level,
            unit=unit,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            state=PublicityState.SCHEDULED if now < starts_at else PublicityState.OPEN,
            created_by=actor.person,
        )
        record(
            actor,
            AuditAction.CREATE,
            publicity,
            unit=unit,
            after={
                "state": publicity.state,
                "level": level.pk,
                "starts_at": str(starts_at),
                "ends_at": str(ends_at),
                "entries": list(published_entries(publicity).values_list("pk", flat=True)),
            },
        )
        publicity_exports.queue_export(publicity)
    return publicity


def finalise(
    publicity: Publicity, now: datetime.datetime | None = None, *, actor: Actor | None = None
) -> Publicity:
    """Results take effect after the window, once no objection is open."""
    now = now or timezone.now()
    actor = actor or Actor.system()
    if actor.person is not None and not org_rules.covers(actor.person, publicity.unit):
        raise PermissionDenied("publicity")
    with transaction.atomic():
        locked = Publicity.objects.select_for_update().select_related("unit").get(pk=publicity.pk)
        if now <= locked.ends_at:
            moment = timezone.localtime(locked.ends_at).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(
                _("公示期至 %(at)s 才结束，结束后才能确认结果生效。") % {"at": moment}
            )
        open_count = locked.objections.filter(state=ObjectionState.OPEN).count()
        if open_count:
            raise ValidationError(
                _("还有 %(n)s 条异议未处理，请逐条处理后再确认结果生效。") % {"n": open_count}
            )
        if locked.state != PublicityState.CLOSED:
            _set_state(locked, PublicityState.CLOSED, actor, reason=_("公示期已结束"))
        _set_state(locked, PublicityState.FINAL, actor)
    return locked


# --- objections -----------------------------------------------------------------------------


def _rate_key(ip: str | None) -> str:
    return f"youke:objection:{ip or 'unknown'}"


def _check_rate(ip: str | None) -> None:
    key = _rate_key(ip)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    if count > RATE_LIMIT:
        raise ValidationError(
            _("同一网络地址一小时内最多提交 %(n)s 条异议。请稍后再试，或通过公示中的联系方式反映。")
            % {"n": RATE_LIMIT}
        )


def check_evidence(upload) -> str:
    """The evidence's type from its bytes; returns the file extension to store it under."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _("证明材料不能超过 20 MB，请压缩或拆分后再上传。")})
    kind = sniff_upload(upload)
    if kind not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "evidence": _(
                    "证明材料只接受 PDF、JPG、PNG 或 Word（docx）文件（按文件内容识别，"
                    "与扩展名无关）。请转换格式后再上传。"
                )
            }
        )
    return kind


def file_objection(
    publicity: Publicity,
    entry: LevelEntry,
    *,
    name: str,
    contact: str,
    reason: str,
    evidence=None,
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Objection:
    """Anyone may object to a published entry during the window (no log-in)."""
    now = now or timezone.now()
    name, contact, reason = name.strip(), contact.strip(), reason.strip()
    if not publicity.is_open_at(now):
        start = timezone.localtime(publicity.starts_at).strftime("%Y-%m-%d %H:%M")
        end = timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            _("不在公示期内（%(start)s 至 %(end)s），不能提交异议。") % {"start": start, "end": end}
        )
    if not published_entries(publicity).filter(pk=entry.pk).exists():
        raise Http404("entry")
    errors = {}
    if not name:
        errors["name"] = _("请填写姓名，以便核实情况。")
    if not contact:
        errors["contact"] = _("请填写联系方式（手机号或邮箱），以便告知处理结果。")
    if not reason:
        errors["reason"] = _("请写明异议理由和具体事实。")
    if errors:
        raise ValidationError(errors)
    kind = check_evidence(evidence) if evidence else ""
    _check_rate(ip)
    with transaction.atomic():
        objection = Objection(
            publicity=publicity,
            entry=entry,
            name=name,
            contact=contact,
            reason=reason,
            evidence_type=kind,
            ip=ip,
        )
        if evidence:
            # The stored name comes from the sniffed type, never from the sender's file name.
            objection.evidence.save(f"evidence.{EVIDENCE_TYPES[kind]}", File(evidence), save=False)
        objection.save()
        # The page shows that an objection is being checked.
        publicity_exports.record_change(publicity.pk)
        # Who objected stays on the objection; the log keeps no contact details.
        record(
            Actor(None, ip),
            AuditAction.CREATE,
            objection,
            unit=publicity.unit,
            after={"publicity": publicity.pk, "entry": entry.pk, "state": objection.state},
        )
    return objection


def resolve_objection(
    actor: Actor, objection: Objection, *, upheld: bool, resolution: str
) -> Objection:
    """Uphold (the entry is withdrawn) or reject (a reason is required) one objection."""
    resolution = resolution.strip()
    publicity = objection.publicity
    if not org_rules.covers(actor.person, publicity.unit):
        raise PermissionDenied("objection")
    if not resolution:
        message = (
            _("请填写处理意见：撤销推荐的依据。")
            if upheld
            else _("请填写不成立的理由，提出人会据此了解处理结果。")
        )
        raise ValidationError({"resolution": message})
    new_state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if new_state not in OBJECTION_TRANSITIONS[locked.state]:
            raise IllegalTransition(_("该异议已处理，不能重复处理。"))
        if upheld:
            _withdraw(actor, locked.entry, locked, resolution)
            entry_id = locked.entry_id
            transaction.on_commit(
                lambda: objection_upheld.send(
                    sender=Objection, entry_id=entry_id, actor=actor, reason=resolution
                ),
                robust=True,
            )
        locked.state = new_state
        locked.resolution = resolution
        locked.resolved_by = actor.person
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=publicity.unit,
            before={"state": ObjectionState.OPEN},
            after={"state": new_state, "entry": locked.entry_id},
            reason=resolution,
        )
        if not upheld:
            # Upheld: withdrawing the entry already made a new version (``_write_state``).
            publicity_exports.record_change(publicity.pk)
        notices.on_objection_resolved(locked, actor)
    return locked


def _withdraw(actor: Actor, entry: LevelEntry, objection: Objection, resolution: str) -> None:
    reason = _("公示异议成立，撤销推荐：%(r)s") % {"r": resolution}
    row = LevelList.objects.get(level_id=entry.level_id, unit_id=entry.unit_id)
    if row.state == ListState.OPEN:
        entries_domain.decide(
            actor,
            entry,
            EntryState.NOT_RECOMMENDED,
            reason=reason,
            override_reason=_("公示异议 #%(n)s 成立") % {"n": objection.pk},
        )
        return
    _withdraw_confirmed(actor, entry, reason)


def _withdraw_confirmed(actor: Actor, entry: LevelEntry, reason: str) -> None:
    """Withdraw an entry of a confirmed list and its copies at the levels above.

    Takes each list lock first, like ``decide``, so a concurrent decision upstairs waits.
    """
    level = Level.objects.select_related("campaign").get(pk=entry.level_id)
    lock_list(level.campaign, level, Unit.objects.get(pk=entry.unit_id))
    locked = LevelEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.state != EntryState.RECOMMENDED:
        raise IllegalTransition(_("该作品已不在推荐名单中，无需撤销。"))
    entries_domain._write_state(locked, EntryState.NOT_RECOMMENDED, actor, reason=reason)
    upper = (
        LevelEntry.objects.filter(
            submission_id=entry.submission_id,
            level__order__gt=level.order,
            state__in=[EntryState.PENDING, EntryState.RECOMMENDED],
        )
        .select_related("level", "unit")
        .order_by("level__order")
    )
    for above in upper:
        lock_list(level.campaign, above.level, above.unit)
        above = LevelEntry.objects.select_for_update().get(pk=above.pk)
        if above.state in (EntryState.PENDING, EntryState.RECOMMENDED):
            entries_domain._write_state(above, EntryState.NOT_RECOMMENDED, actor, reason=reason)
