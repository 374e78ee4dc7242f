"""Admin pages of review rounds: list and create, panel and assignment, results."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Level
from youke.core.actor import Actor
from youke.core.forms import BoundedFormMixin
from youke.core.params import int_param
from youke.manage.views.common import admin_required, scope_roots
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit
from youke.selection.domain import assignment as assignment_domain
from youke.selection.domain import blind, picker, review
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment, ReviewRound, RoundExpert


class RoundForm(BoundedFormMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label=gettext_lazy("组织单位"), queryset=None)
    level = forms.ModelChoiceField(label=gettext_lazy("活动与级别"), queryset=None)
    deadline = forms.DateTimeField(
        label=gettext_lazy("评审截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    class Meta:
        model = ReviewRound
        fields = ["level", "unit", *review.ROUND_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in scope_roots(user)])
        self.fields["level"].queryset = Level.objects.filter(
            campaign__in=campaign_rules.campaigns_visible_to(user)
        ).select_related("campaign")
        self.fields["level"].label_from_instance = lambda lv: f"{lv.campaign.name} · {lv.name}"
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            field.widget.attrs.setdefault("class", css)


@admin_required
def round_list(request):
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in review.ROUND_FIELDS}
        level = form.cleaned_data["level"]
        try:
            created = review.create_round(
                Actor.from_request(request),
                level.campaign,
                level,
                form.cleaned_data["unit"],
                **data,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except PermissionDenied as exc:
            raise Http404("unit") from exc
        else:
            messages.success(request, _("评审轮次已创建：请添加专家后开始评审。"))
            return redirect("manage_reviews:round", round_id=created.pk)
    rounds = (
        review.rounds_visible_to(request.user)
        .select_related("level", "unit", "campaign")
        .annotate(
            assigned=Count("assignments"),
            done=Count("assignments", filter=Q(assignments__state=AssignmentState.SUBMITTED)),
        )
    )
    return render(request, "manage/review_round_list.html", {"rounds": rounds, "form": form})


@admin_required
def round_detail(request, round_id):
    review_round = review.access_round(request.user, round_id)
    report = None
    if request.method == "POST":
        actor = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action in (RoundState.OPEN, RoundState.CLOSED):
                review.set_round_state(actor, review_round, action)
                messages.success(request, _("评审轮次状态已更新。"))
            elif action == "add_expert":
                expert = Person.objects.filter(pk=request.POST.get("expert") or 0).first()
                if expert is None:
                    raise ValidationError(_("请选择专家。"))
                assignment_domain.add_expert(
                    actor,
                    review_round,
                    expert,
                    int_param(request.POST.get("max_load"), 20),
                    confirm_mismatch=request.POST.get("confirm_mismatch") == "1",
                )
                messages.success(request, _("专家已加入评审名单。"))
            elif action == "auto_assign":
                report = assignment_domain.auto_assign(actor, review_round)
                messages.success(
                    request, _("已自动分配 %(n)s 个评审任务。") % {"n": report.created}
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            raise Http404("round") from exc
        if report is None:
            return redirect("manage_reviews:round", round_id=review_round.pk)
    panel = (
        RoundExpert.objects.filter(round=review_round)
        .select_related("expert")
        .annotate(
            assigned=Count(
                "expert__review_assignments",
                filter=Q(expert__review_assignments__round=review_round),
            ),
            done=Count(
                "expert__review_assignments",
                filter=Q(
                    expert__review_assignments__round=review_round,
                    expert__review_assignments__state=AssignmentState.SUBMITTED,
                ),
            ),
        )
    )
    entries = list(
        review_round.entries.select_related("submission__teacher", "submission__unit")
        if review_round.state != RoundState.DRAFT
        else review.candidate_entries(review_round).select_related(
            "submission__teacher", "submission__unit"
        )
    )
    blind_reports = blind.blind_report(review_round, entries) if review_round.blind else []
    assignments = (
        Assignment.objects.filter(round=review_round)
        .select_related("entry__submission", "expert")
        .order_by("entry_id", "expert_id")
    )
    candidates = picker.candidates(review_round) if review_round.state != RoundState.CLOSED else []
    return render(
        request,
        "manage/review_round_detail.html",
        {
            "round": review_round,
            "panel": panel,
            "entries": entries,
            "assignments": assignments,
            "candidates": candidates,
            "blind_reports": blind_reports,
            "report": report,
        },
    )
