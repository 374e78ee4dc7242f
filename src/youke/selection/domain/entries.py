"""The level workflow: a submission's entry is decided at each level and moves up (R5–R8, R18).

``_write_state`` is the only writer of ``LevelEntry.state``; ``decide`` is the public way to
call it. Every decision and confirmation locks the unit's list row first, so concurrent
admins serialise and the quota, R5 and R6 counts are taken under the lock.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.domain.deadlines import effective_deadline
from youke.campaigns.enums import CampaignState
from youke.campaigns.models import Campaign, Level
from youke.core.actor import Actor
from youke.core.domain.audit import record, record_many
from youke.core.enums import AuditAction
from youke.notifications.domain import events
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.selection import rules
from youke.selection.domain import constraints, gates, publicity_exports
from youke.selection.domain.lists import (
    deciding_unit,
    deciding_units,
    first_level,
    lock_list,
    next_level,
    refuse_if_confirmed,
)
from youke.selection.enums import ENTRY_TRANSITIONS, NEEDS_REASON, EntryState, ListState
from youke.selection.models import LevelEntry, LevelList, Quota
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission


class IllegalDecision(ValidationError):
    """A decision the entry table does not allow from the current state."""


def ensure_entry(submission: Submission, *, actor: Actor | None = None) -> LevelEntry:
    """Give a submitted package its place at the first (school) level; idempotent.

    ``submissions.domain.packages.submit`` should call this after the state change. A package
    that was returned for correction and is submitted again comes back as pending.
    """
    actor = actor or Actor.system()
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(_("只有已提交的作品才能进入学校推荐。"))
    level = first_level(submission.campaign)
    if level is None:
        raise ValidationError(_("该活动还没有设置遴选级别。"))
    unit = deciding_unit(submission.unit, level.unit_kind)
    with transaction.atomic():
        entry, created = LevelEntry.objects.get_or_create(
            submission=submission, level=level, defaults={"unit": unit}
        )
        if created:
            record(actor, AuditAction.CREATE, entry, unit=unit, after={"state": entry.state})
        elif entry.state == EntryState.RETURNED:
            entry = _write_state(
                LevelEntry.objects.select_for_update().get(pk=entry.pk),
                EntryState.PENDING,
                actor,
                reason=_("修改后重新提交"),
            )
    return entry


def _write_state(
    entry: LevelEntry,
    new_state: str,
    actor: Actor,
    *,
    reason: str = "",
    override_reason: str = "",
    overrode: list[str] | None = None,
) -> LevelEntry:
    """Apply one move of the transition table to a locked entry and log it."""
    if new_state not in ENTRY_TRANSITIONS[entry.state]:
        raise IllegalDecision(
            _("当前状态“%(s)s”不能改为“%(t)s”。")
            % {"s": entry.get_state_display(), "t": EntryState(new_state).label}
        )
    before = {"state": entry.state, "reason": entry.reason}
    entry.state = new_state
    entry.reason = reason
    entry.override_reason = override_reason
    entry.decided_by = actor.person
    entry.decided_at = timezone.now()
    entry.save(update_fields=["state", "reason", "override_reason", "decided_by", "decided_at"])
    # A published list's page cache and downloads are keyed by its version.
    publicity_exports.entry_changed(entry)
    after = {"state": new_state, "reason": reason, "level": entry.level_id}
    if overrode:
        after["overrode"] = overrode
    record(
        actor,
        AuditAction.UPDATE,
        entry,
        unit=entry.unit,
        before=before,
        after=after,
        reason=override_reason or reason,
    )
    return entry


def _guard_deadline(
    actor: Actor, campaign: Campaign, level: Level, unit: Unit, override_reason: str, now
) -> bool:
    """After the deadline (R8) only an admin of the level above may act, with a reason.

    Returns whether the deadline was overridden.
    """
    deadline = effective_deadline(campaign, level, unit)
    if now <= deadline:
        return False
    moment = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    if not rules.is_above(actor.person, unit):
        raise ValidationError(
            _("“%(level)s”已于 %(at)s 截止，本级不能再修改。如确需调整，请联系上级单位特批。")
            % {"level": level.name, "at": moment}
        )
    if not override_reason:
        raise ValidationError(
            {
                "override_reason": _("“%(level)s”已于 %(at)s 截止：上级单位调整须填写特批理由。")
                % {"level": level.name, "at": moment}
            }
        )
    return True


def _guard_campaign(campaign: Campaign) -> None:
    if campaign.state != CampaignState.PUBLISHED:
        raise ValidationError(_("活动不在进行中，不能处理推荐。"))


def decide(
    actor: Actor,
    entry: LevelEntry,
    decision: str,
    *,
    reason: str = "",
    override_reason: str = "",
    now: datetime.datetime | None = None,
) -> LevelEntry:
    """Recommend, not recommend, return or (after a correction) reopen one entry."""
    reason, override_reason = reason.strip(), override_reason.strip()
    if decision not in EntryState.values:
        raise IllegalDecision(_("未知的处理方式。"))
    if not rules.can_decide(actor.person, entry):
        raise PermissionDenied("entry")
    if decision in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("请填写理由，下级单位和教师会看到它。")})
    now = now or timezone.now()
    with transaction.atomic():
        level = Level.objects.select_related("campaign").get(pk=entry.level_id)
        campaign = level.campaign
        _guard_campaign(campaign)
        unit = Unit.objects.get(pk=entry.unit_id)
        refuse_if_confirmed(lock_list(campaign, level, unit))
        entry = (
            LevelEntry.objects.select_for_update()
            .select_related("level", "unit", "submission")
            .get(pk=entry.pk)
        )
        overrode = []
        if _guard_deadline(actor, campaign, level, unit, override_reason, now):
            overrode.append("deadline")
        if decision == EntryState.RECOMMENDED and decision in ENTRY_TRANSITIONS[entry.state]:
            problems = (
                constraints.quota_problems(entry)
                + constraints.screening_problems(entry)
                + constraints.material_problems(campaign, [entry])
                + gates.gate_problems(campaign, [entry])
            )
            if problems:
                raise ValidationError(problems)
            rule_problems = constraints.rule_problems(entry, campaign)
            if rule_problems and not override_reason:
                raise ValidationError(rule_problems)
            if rule_problems:
                overrode.append("R5/R6")
        entry = _write_state(
            entry,
            decision,
            actor,
            reason=reason,
            override_reason=override_reason if overrode else "",
            overrode=overrode,
        )
        if level.pk == first_level(campaign).pk:
            if decision == EntryState.RETURNED:
                _return_to_teacher(actor, entry.submission, reason)
            else:
                # The school's first decision ends the teacher's editing.
                Submission.objects.filter(
                    pk=entry.submission_id, school_acted_at__isnull=True
                ).update(school_acted_at=now)
        # Inside the transaction: a refused decision leaves no notice; mail leaves on commit.
        events.on_decision(entry, decision, reason, actor)
    return entry


def _return_to_teacher(actor: Actor, submission: Submission, reason: str) -> None:
    """A package returned by the school is the teacher's draft again, with the reason."""
    from youke.submissions.domain.packages import set_submission_state

    Submission.objects.filter(pk=submission.pk).update(school_acted_at=None)
    if submission.state == SubmissionState.SUBMITTED:
        set_submission_state(
            submission,
            SubmissionState.DRAFT,
            actor=actor,
            reason=_("学校退回修改：%(r)s") % {"r": reason},
            sync_selection=False,
        )


def remove_pending_entry(submission: Submission, *, actor: Actor) -> None:
    """The teacher took the package back before the school decided: drop its place."""
    level = first_level(submission.campaign)
    if level is None:
        return
    with transaction.atomic():
        entry = (
            LevelEntry.objects.select_for_update()
            .filter(submission=submission, level=level, state=EntryState.PENDING)
            .first()
        )
        if entry is not None:
            record(
                actor,
                AuditAction.DELETE,
                entry,
                unit=entry.unit,
                before={"state": entry.state},
                reason=_("教师撤回或改回草稿"),
            )
            entry.delete()


def confirm_list(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    unit: Unit,
    *,
    override_reason: str = "",
    now: datetime.datetime | None = None,
) -> LevelList:
    """Lock the unit's list and send every recommended entry to the next level as pending."""
    override_reason = override_reason.strip()
    if level.campaign_id != campaign.pk or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("list")
    now = now or timezone.now()
    with transaction.atomic():
        _guard_campaign(campaign)
        row = lock_list(campaign, level, unit)
        refuse_if_confirmed(row)
        overridden = _guard_deadline(actor, campaign, level, unit, override_reason, now)
        entries = list(
            LevelEntry.objects.filter(level=level, unit=unit).select_related(
                "submission", "submission__unit", "level"
            )
        )
        pending = sum(1 for e in entries if e.state == EntryState.PENDING)
        if pending:
            raise ValidationError(
                _("还有 %(n)s 件作品待审，请先逐一处理后再确认名单。") % {"n": pending}
            )
        chosen = [e for e in entries if e.state == EntryState.RECOMMENDED]
        quotas = list(Quota.objects.filter(level=level, unit=unit))
        problems = constraints.list_problems(campaign, chosen, quotas)
        if problems:
            raise ValidationError(problems)
        row.state = ListState.CONFIRMED
        row.confirmed_at = now
        row.confirmed_by = actor.person
        row.save(update_fields=["state", "confirmed_at", "confirmed_by"])
        record(
            actor,
            AuditAction.UPDATE,
            row,
            unit=unit,
            before={"state": ListState.OPEN},
            after={
                "state": ListState.CONFIRMED,
                "recommended": [e.submission_id for e in chosen],
                "overrode": ["deadline"] if overridden else [],
            },
            reason=override_reason,
        )
        upper = next_level(level)
        if upper is not None and chosen:
            targets = deciding_units([e.submission.unit for e in chosen], upper.unit_kind)
            for e in chosen:
                if e.submission.unit.path not in targets:
                    deciding_unit(e.submission.unit, upper.unit_kind)  # raises with the name
            created = LevelEntry.objects.bulk_create(
                [
                    LevelEntry(
                        submission=e.submission, level=upper, unit=targets[e.submission.unit.path]
                    )
                    for e in chosen
                ]
            )
            record_many(
                actor,
                AuditAction.CREATE,
                [(c, c.unit, {"state": c.state, "level": upper.pk}) for c in created],
            )
        events.on_list_confirmed(row, actor)
    return row
