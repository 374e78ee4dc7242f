"""Round detail actions: assign and unassign by hand, reopen a submitted review, declare a
conflict, remind experts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.manage.views.common import admin_required
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit
from youke.selection.domain import assignment as assignment_domain
from youke.selection.domain import review
from youke.selection.domain.reminders import remind_experts
from youke.selection.models import Assignment, LevelEntry, ReviewRound


def _pk(value) -> int:
    value = (value or "").strip()
    return int(value) if value.isdigit() else 0


def _panel_expert(review_round: ReviewRound, raw) -> Person | None:
    return Person.objects.filter(pk=_pk(raw), pk__in=review_round.panel.values("expert_id")).first()


def _round_entry(review_round: ReviewRound, raw) -> LevelEntry | None:
    return review_round.entries.select_related("submission").filter(pk=_pk(raw)).first()


def _run(request, review_round: ReviewRound, action) -> None:
    """Run one action; refusals become messages, a permission failure a 404."""
    try:
        done = action(Actor.from_request(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        raise Http404("round") from exc
    else:
        messages.success(request, done)


@admin_required
@require_POST
def assign(request, round_id: int):
    review_round = review.access_round(request.user, round_id)
    entry = _round_entry(review_round, request.POST.get("entry"))
    expert = _panel_expert(review_round, request.POST.get("expert"))

    def action(actor):
        if entry is None or expert is None:
            raise ValidationError(_("请选择本轮的作品和评审专家。"))
        assignment_domain.assign(actor, review_round, entry, expert)
        return _("已将《%(t)s》分配给%(n)s。") % {
            "t": entry.submission.title,
            "n": expert.full_name,
        }

    _run(request, review_round, action)
    return redirect("manage_reviews:round", round_id=review_round.pk)


@admin_required
@require_POST
def unassign(request, round_id: int, assignment_id: int):
    review_round = review.access_round(request.user, round_id)
    found = (
        Assignment.objects.filter(round=review_round, pk=assignment_id)
        .select_related("round__unit", "entry__submission", "expert")
        .first()
    )
    if found is None:
        raise Http404("assignment")

    def action(actor):
        assignment_domain.unassign(actor, found)
        return _("已撤回%(n)s对《%(t)s》的评审任务。") % {
            "n": found.expert.full_name,
            "t": found.entry.submission.title,
        }

    _run(request, review_round, action)
    return redirect("manage_reviews:round", round_id=review_round.pk)


@admin_required
@require_POST
def reopen(request, round_id: int, assignment_id: int):
    """Send a submitted review back to its expert; it leaves the results until resubmitted."""
    review_round = review.access_round(request.user, round_id)
    found = (
        Assignment.objects.filter(round=review_round, pk=assignment_id)
        .select_related("entry__submission", "expert")
        .first()
    )
    if found is None:
        raise Http404("assignment")

    def action(actor):
        review.reopen_review(actor, found, request.POST.get("reason", ""))
        return _("已将%(n)s对《%(t)s》的评分退回修改。") % {
            "n": found.expert.full_name,
            "t": found.entry.submission.title,
        }

    _run(request, review_round, action)
    return redirect("manage_reviews:round", round_id=review_round.pk)


@admin_required
@require_POST
def declare_conflict(request, round_id: int):
    review_round = review.access_round(request.user, round_id)
    expert = _panel_expert(review_round, request.POST.get("expert"))
    raw_entry = request.POST.get("entry", "").strip()
    entry = _round_entry(review_round, raw_entry) if raw_entry else None
    code = request.POST.get("unit_code", "").strip()
    unit = (
        Unit.objects.filter(code=code, path__startswith=review_round.unit.path).first()
        if code
        else None
    )

    def action(actor):
        if expert is None:
            raise ValidationError(_("请选择本轮的评审专家。"))
        if raw_entry and entry is None:
            raise ValidationError(_("所选作品不在本轮评审范围内。"))
        if code and unit is None:
            raise ValidationError(
                _("单位代码 %(c)s 不存在或不在本轮范围内：请核对。") % {"c": code}
            )
        assignment_domain.declare_conflict(
            actor,
            expert,
            request.POST.get("reason", ""),
            entry=entry,
            unit=unit,
            review_round=review_round,
        )
        return _("已为%(n)s登记回避；尚未开始的相关评审任务已撤回。") % {"n": expert.full_name}

    _run(request, review_round, action)
    return redirect("manage_reviews:round", round_id=review_round.pk)


@admin_required
@require_POST
def remind(request, round_id: int):
    review_round = review.access_round(request.user, round_id)

    def action(actor):
        count = remind_experts(actor, review_round)
        return _("已提醒 %(n)s 位未完成评审的专家。") % {"n": count}

    _run(request, review_round, action)
    return redirect("manage_reviews:round", round_id=review_round.pk)
