"""Reminding a round's experts who have not submitted every review (issue 4 item 7).

Messages name the round and a count only, never an entry, so blind rounds stay blind.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.domain.notify import notify
from youke.notifications.enums import NotificationKind
from youke.orgs.models import Person
from youke.selection.domain.review import _require_admin
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment, ReviewRound


def remind_experts(actor: Actor, review_round: ReviewRound) -> int:
    """Notify every active expert with unsubmitted assignments in the round; returns how many."""
    _require_admin(actor, review_round.unit)
    if review_round.state != RoundState.OPEN:
        raise ValidationError(_("只有评审中的轮次才能提醒专家：请先开始评审。"))
    pending = Counter(
        Assignment.objects.filter(round=review_round)
        .exclude(state=AssignmentState.SUBMITTED)
        .values_list("expert_id", flat=True)
    )
    experts = Person.objects.filter(pk__in=pending, is_active=True).order_by("pk")
    url = reverse("manage_reviews:queue")
    deadline = timezone.localtime(review_round.deadline).strftime("%Y-%m-%d %H:%M")
    reminded = []
    with transaction.atomic():
        for expert in experts:
            names = {"round": review_round.name, "n": pending[expert.pk], "deadline": deadline}
            notify(
                expert,
                NotificationKind.DEADLINE_SOON,
                title=_("评审提醒：%(round)s") % names,
                body=_("您在“%(round)s”还有 %(n)s 件作品未提交评分，请在 %(deadline)s 前完成。")
                % names,
                url=url,
            )
            reminded.append(expert.pk)
        record(
            actor,
            AuditAction.UPDATE,
            review_round,
            unit=review_round.unit,
            after={"reminded": reminded},
            reason=_("提醒未完成的专家"),
        )
    return len(reminded)
