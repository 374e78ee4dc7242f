"""Notifications for review assignments and objection outcomes (issue 4 item 13).

Like ``notifications.domain.events``, these run inside the caller's transaction: a
rolled-back assignment or resolution notifies nobody, and e-mail leaves after commit.
Messages to experts name the round and a count only, never an entry, so blind rounds stay
blind in the inbox and in e-mail.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from youke.notifications.domain.notify import notify
from youke.notifications.domain.recipients import unit_admins
from youke.notifications.enums import NotificationKind
from youke.orgs.models import Person
from youke.selection.enums import ObjectionState
from youke.selection.models import Assignment, LevelEntry, Objection, ReviewRound

if TYPE_CHECKING:
    from youke.core.actor import Actor


def on_assignments_created(assignments: list[Assignment], actor: Actor) -> int:
    """One message per expert and round, however many entries they were given at once."""
    if not assignments:
        return 0
    counts = Counter((a.round_id, a.expert_id) for a in assignments)
    rounds = {r.pk: r for r in ReviewRound.objects.filter(pk__in={rid for rid, _e in counts})}
    experts = Person.objects.in_bulk({eid for _r, eid in counts})
    url = reverse("manage_reviews:queue")
    notified = 0
    for (round_id, expert_id), count in sorted(counts.items()):
        expert = experts.get(expert_id)
        review_round = rounds.get(round_id)
        if expert is None or review_round is None or not expert.is_active:
            continue
        names = {
            "round": review_round.name,
            "n": count,
            "deadline": timezone.localtime(review_round.deadline).strftime("%Y-%m-%d %H:%M"),
        }
        notify(
            expert,
            NotificationKind.REVIEW_ASSIGNED,
            title=_("新的评审任务：%(round)s") % names,
            body=_("“%(round)s”给您分配了 %(n)s 件作品，请在 %(deadline)s 前完成评分。") % names,
            url=url,
        )
        notified += 1
    return notified


def _concerned_units(entry: LevelEntry) -> list[int]:
    """The unit that sent the entry up (it chose it); at the first level, the deciding unit."""
    below = (
        LevelEntry.objects.filter(
            submission_id=entry.submission_id, level__order__lt=entry.level.order
        )
        .order_by("-level__order")
        .values_list("unit_id", flat=True)
        .first()
    )
    return [below or entry.unit_id]


def on_objection_resolved(objection: Objection, actor: Actor) -> int:
    """Tell the admins of the unit whose entry the objection concerned.

    The objector has no account (the public form asks only for a name and contact), so they
    are told through the contact they left, outside the platform.
    """
    if objection.state == ObjectionState.OPEN:
        return 0
    entry = (
        LevelEntry.objects.select_related("level", "submission")
        .filter(pk=objection.entry_id)
        .first()
    )
    if entry is None:
        return 0
    unit_ids = _concerned_units(entry)
    names = {
        "title": entry.submission.title,
        "level": entry.level.name,
        "resolution": objection.resolution,
    }
    if objection.state == ObjectionState.UPHELD:
        title = _("《%(title)s》的公示异议成立") % names
        body = (
            _(
                "“%(level)s”公示期间对《%(title)s》的异议经核实成立，已撤销推荐。处理意见：%(resolution)s"
            )
            % names
        )
    else:
        title = _("《%(title)s》的公示异议不成立") % names
        body = (
            _("“%(level)s”公示期间对《%(title)s》的异议经核实不成立。处理意见：%(resolution)s")
            % names
        )
    query = urlencode({"campaign": entry.level.campaign_id, "unit": unit_ids[0]})
    url = f"{reverse('manage_selection:inbox')}?{query}"
    notified = 0
    for person in unit_admins(unit_ids):
        if actor.person is not None and person.pk == actor.person.pk:
            continue
        notify(person, NotificationKind.OBJECTION_OUTCOME, title=title, body=body, url=url)
        notified += 1
    return notified
