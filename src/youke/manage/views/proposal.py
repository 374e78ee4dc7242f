"""推荐建议 and 奖项 pages; the rules live in ``selection.domain.proposal`` and ``awards``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.manage.views.common import admin_required
from youke.manage.views.confirmation import Confirmation, ask, confirmed
from youke.manage.views.selection import _campaign_and_unit, _inbox_url, _level
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain import awards as awards_domain
from youke.selection.domain import proposal as proposal_domain
from youke.selection.domain import review
from youke.selection.enums import RoundState
from youke.selection.models import Award


def _closed_rounds(user, campaign, level, unit):
    return review.rounds_visible_to(user).filter(
        campaign=campaign, level=level, unit=unit, state=RoundState.CLOSED
    )


@admin_required
def proposal(request):
    data = request.POST if request.method == "POST" else request.GET
    campaign, unit, campaigns = _campaign_and_unit(request, data)
    level = _level(campaign, data, [unit.kind]) if campaign and unit else None
    context = {"campaigns": campaigns, "campaign": campaign, "unit": unit, "level": level}
    if level is None:
        return render(request, "manage/proposal_list.html", context)
    rounds = _closed_rounds(request.user, campaign, level, unit)
    chosen = None
    if data.get("round", "").isdigit():
        chosen = rounds.filter(pk=int(data["round"])).first()
        if chosen is None:
            raise Http404("round")
    query = {"campaign": campaign.pk, "unit": unit.pk, "level": level.pk}
    if chosen is not None:
        query["round"] = chosen.pk
    if request.method == "POST":
        try:
            report = proposal_domain.apply_proposal(
                Actor.from_request(request), campaign, level, unit, round=chosen
            )
        except PermissionDenied as exc:
            raise Http404("unit") from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已按建议推荐 %(n)s 件作品。请在推荐审核页核对调整后确认名单。")
                % {"n": len(report.recommended)},
            )
            for entry, problems in report.refused:
                messages.error(
                    request,
                    _("《%(t)s》未能推荐：%(p)s")
                    % {"t": entry.submission.title, "p": "；".join(problems)},
                )
        return redirect(f"{reverse('manage_selection:proposal')}?{urlencode(query)}")
    try:
        rows = proposal_domain.propose_list(campaign, level, unit, round=chosen)
    except ValidationError as exc:
        raise Http404("round") from exc
    # A province list can hold 100,000 entries: the page shows them 100 at a time.
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    context.update(
        {
            "rounds": rounds,
            "round": chosen,
            "rows": page.object_list,
            "page": page,
            "filters": request.GET,
            "total": len(rows),
            "proposed": sum(1 for r in rows if r.proposed),
            "inbox": _inbox_url(campaign.pk, unit.pk, level.pk),
        }
    )
    return render(request, "manage/proposal_list.html", context)


@admin_required
def awards(request, round_id: int):
    review_round = review.access_round(request.user, round_id)
    if request.method == "POST":
        actor = Actor.from_request(request)
        back = reverse("manage_selection:awards", args=[review_round.pk])
        try:
            if request.POST.get("action") == "revoke":
                award = (
                    Award.objects.filter(pk=request.POST.get("award") or 0, round=review_round)
                    .select_related("entry__submission__teacher", "grade")
                    .first()
                )
                if award is None:
                    raise Http404("award")
                if not confirmed(request):
                    return ask(request, _revoke_confirmation(award, request.POST), back)
                awards_domain.revoke_award(actor, award, request.POST.get("reason", ""))
                messages.success(request, _("奖项已撤销。"))
            else:
                chosen = _chosen(request, review_round)
                if not confirmed(request):
                    return ask(request, _grant_confirmation(chosen), back)
                awards_domain.grant_awards(actor, review_round, chosen)
                messages.success(request, _("奖项已评定，获奖教师会收到通知。"))
        except PermissionDenied as exc:
            raise Http404("round") from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("manage_selection:awards", round_id=review_round.pk)
    proposals = awards_domain.propose_awards(review_round)
    granted = list(awards_domain.awards_of(review_round))
    active = {a.entry_id for a in granted if a.revoked_at is None}
    return render(
        request,
        "manage/proposal_awards.html",
        {
            "round": review_round,
            "closed": review_round.state == RoundState.CLOSED,
            "proposals": [p for p in proposals if p.result.entry.pk not in active],
            "grades": list(awards_domain.grades_for(review_round)),
            "granted": granted,
        },
    )


def _grant_confirmation(chosen) -> Confirmation:
    per_grade: dict[str, int] = {}
    for _entry, grade, _reason in chosen:
        per_grade[grade.name] = per_grade.get(grade.name, 0) + 1
    counts = "、".join(
        _("%(grade)s %(n)s 件") % {"grade": name, "n": n} for name, n in per_grade.items()
    )
    return Confirmation(
        title=_("评定奖项"),
        consequences=[
            _("%(n)s 件作品将获奖：%(counts)s。") % {"n": len(chosen), "counts": counts},
            _(
                "获奖教师会收到通知；奖项记入获奖记录，已有获奖的课程节点在以后的活动中按规则关闭申报。"
            ),
        ],
        items=[
            _("《%(title)s》 · %(teacher)s → %(grade)s")
            % {
                "title": entry.submission.title,
                "teacher": entry.submission.teacher.full_name,
                "grade": grade.name,
            }
            + (_("（调整理由：%(r)s）") % {"r": reason.strip()} if reason.strip() else "")
            for entry, grade, reason in chosen
        ],
        button=_("确认评定 %(n)s 个奖项") % {"n": len(chosen)},
    )


def _revoke_confirmation(award, data) -> Confirmation:
    reason = data.get("reason", "").strip()
    names = {
        "title": award.entry.submission.title,
        "teacher": award.entry.submission.teacher.full_name,
        "grade": award.grade.name,
    }
    return Confirmation(
        title=_("撤销奖项"),
        consequences=[
            _("《%(title)s》（%(teacher)s）的%(grade)s将被撤销，撤销记入日志。") % names,
            _("它的获奖记录随之删除，该课程节点在以后的活动中重新开放申报。"),
        ],
        items=[_("撤销理由：%(r)s") % {"r": reason}] if reason else [],
        warnings=[] if reason else [_("没有填写撤销理由：请返回填写后再撤销。")],
        button=_("确认撤销"),
        danger=True,
    )


def _chosen(request, review_round):
    """The rows of the grant form whose grade was chosen: (entry, grade, reason)."""
    entries = {e.pk: e for e in review_round.entries.select_related("submission")}
    grades = {g.pk: g for g in awards_domain.grades_for(review_round)}
    chosen = []
    for raw in request.POST.getlist("entry"):
        grade_raw = request.POST.get(f"grade_{raw}", "")
        if not (raw.isdigit() and grade_raw.isdigit()):
            continue
        entry, grade = entries.get(int(raw)), grades.get(int(grade_raw))
        if entry is None or grade is None:
            raise ValidationError(_("所选作品或奖项不属于本轮评审：请刷新页面后重试。"))
        chosen.append((entry, grade, request.POST.get(f"reason_{raw}", "")))
    if not chosen:
        raise ValidationError(_("没有选择任何作品：请为要授奖的作品选择奖项。"))
    return chosen
