"""Notifications for selection events; the selection domain calls these inside its
transaction, so a rolled-back decision notifies nobody and e-mail leaves after commit.

Who hears about a decision: at the school level the teacher of the package (the school
decides on the teacher's own work); at higher levels the admins of the unit below that sent
the entry up, because they chose it and the teacher's school-level status does not change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from youke.campaigns.models import Level
from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry

if TYPE_CHECKING:
    from youke.core.actor import Actor
    from youke.selection.models import LevelList

KIND_OF_DECISION = {
    EntryState.RECOMMENDED: NotificationKind.RECOMMENDED,
    EntryState.NOT_RECOMMENDED: NotificationKind.NOT_RECOMMENDED,
    EntryState.RETURNED: NotificationKind.RETURNED,
}


def _previous_level(level: Level) -> Level | None:
    return (
        Level.objects.filter(campaign_id=level.campaign_id, order__lt=level.order)
        .order_by("-order")
        .first()
    )


def _inbox_url(campaign_id: int, unit_id: int) -> str:
    query = urlencode({"campaign": campaign_id, "unit": unit_id})
    return f"{reverse('manage_selection:inbox')}?{query}"


def _decision_text(kind: str, names: dict) -> tuple[str, str]:
    if kind == NotificationKind.RECOMMENDED:
        return (
            _("《%(title)s》已获%(unit)s推荐") % names,
            _("%(unit)s在“%(level)s”推荐了《%(title)s》。名单确认后，作品将进入上一级遴选。")
            % names,
        )
    if kind == NotificationKind.NOT_RECOMMENDED:
        return (
            _("《%(title)s》未获%(unit)s推荐") % names,
            _("%(unit)s在“%(level)s”决定不推荐《%(title)s》。理由：%(reason)s") % names,
        )
    return (
        _("《%(title)s》被%(unit)s退回修改") % names,
        _(
            "%(unit)s在“%(level)s”退回了《%(title)s》，请修改后在截止时间前重新提交。理由：%(reason)s"
        )
        % names,
    )


def on_decision(entry: LevelEntry, decision: str, reason: str, actor: Actor) -> int:
    """Notify about one decision; returns how many people were notified."""
    kind = KIND_OF_DECISION.get(decision)
    if kind is None:  # back to pending after a correction: nothing to tell
        return 0
    level = entry.level
    submission = entry.submission
    names = {
        "title": submission.title,
        "unit": entry.unit.name,
        "level": level.name,
        "reason": reason,
    }
    title, body = _decision_text(kind, names)
    below = _previous_level(level)
    if below is None:
        recipients = [submission.teacher]
        url = reverse("portal:submission_detail", args=[submission.pk])
    else:
        sender = (
            LevelEntry.objects.filter(submission_id=submission.pk, level=below)
            .values_list("unit_id", flat=True)
            .first()
        )
        recipients = list(unit_admins([sender])) if sender else []
        url = _inbox_url(level.campaign_id, sender) if sender else ""
    for person in recipients:
        notify(person, kind, title=title, body=body, url=url)
    return len(recipients)


def on_list_confirmed(level_list: LevelList, actor: Actor) -> int:
    """Tell each teacher whose package the confirmed list sends up (or finally recommends)."""
    level = level_list.level
    upper = (
        Level.objects.filter(campaign_id=level.campaign_id, order__gt=level.order)
        .order_by("order")
        .first()
    )
    chosen = (
        LevelEntry.objects.filter(
            level_id=level_list.level_id,
            unit_id=level_list.unit_id,
            state=EntryState.RECOMMENDED,
        )
        .select_related("submission__teacher")
        .order_by("id")
    )
    unit_name = level_list.unit.name
    count = 0
    for entry in chosen:
        submission = entry.submission
        names = {"title": submission.title, "unit": unit_name, "level": level.name}
        if upper is not None:
            names["upper"] = upper.name
            title = _("《%(title)s》已报送“%(upper)s”") % names
            body = (
                _("%(unit)s已确认“%(level)s”推荐名单，《%(title)s》已报送“%(upper)s”遴选。") % names
            )
        else:
            title = _("《%(title)s》已列入最终推荐名单") % names
            body = _("%(unit)s已确认“%(level)s”推荐名单，《%(title)s》已列入其中。") % names
        notify(
            submission.teacher,
            NotificationKind.RECOMMENDED,
            title=title,
            body=body,
            url=reverse("portal:submission_detail", args=[submission.pk]),
        )
        count += 1
    return count
