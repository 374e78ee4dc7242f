"""按学科批量创建评审轮次: a form, a preview of the groups, then the rounds."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Level
from youke.core.actor import Actor
from youke.core.forms import BoundedFormMixin
from youke.manage.views.common import admin_required, scope_roots
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.selection.domain import subject_rounds


class SubjectRoundsForm(BoundedFormMixin, forms.Form):
    level = forms.ModelChoiceField(label=gettext_lazy("活动与级别"), queryset=None)
    unit = forms.ModelChoiceField(label=gettext_lazy("组织单位"), queryset=None)
    name_prefix = forms.CharField(
        label=gettext_lazy("名称前缀"),
        max_length=80,
        help_text=gettext_lazy("每个轮次命名为“前缀·学段学科”，例如“市级评审·小学数学”。"),
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("评审截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reviews_per_entry = forms.IntegerField(
        label=gettext_lazy("每件作品评审专家数"), min_value=1, max_value=20, initial=3
    )
    max_load = forms.IntegerField(
        label=gettext_lazy("每位专家评审上限"), min_value=1, max_value=1000, initial=20
    )
    blind = forms.BooleanField(
        label=gettext_lazy("匿名评审（隐藏作者和单位）"), required=False, initial=True
    )

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
def subject_rounds_page(request):
    form = SubjectRoundsForm(request.POST or None, user=request.user)
    groups = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        level = data["level"]
        actor = Actor.from_request(request)
        options = {"name_prefix": data["name_prefix"], "max_load": data["max_load"]}
        try:
            if request.POST.get("action") == "create":
                created = subject_rounds.create_subject_rounds(
                    actor,
                    level.campaign,
                    level,
                    data["unit"],
                    deadline=data["deadline"],
                    blind=data["blind"],
                    reviews_per_entry=data["reviews_per_entry"],
                    **options,
                )
                messages.success(
                    request,
                    _("已按学科创建 %(n)s 个评审轮次：%(names)s。")
                    % {"n": len(created), "names": "、".join(g.name for g in created)},
                )
                for group in created:
                    warning = group.warning(data["reviews_per_entry"])
                    if warning:
                        messages.warning(request, warning)
                return redirect("manage_reviews:rounds")
            groups = subject_rounds.subject_groups(
                actor, level.campaign, level, data["unit"], **options
            )
            if not groups:
                form.add_error(None, _("该级别还没有待评审的作品：请等下级推荐作品后再创建。"))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except PermissionDenied as exc:
            raise Http404("unit") from exc
    rows = None
    if groups:
        need = form.cleaned_data["reviews_per_entry"]
        rows = [(g, g.warning(need)) for g in groups]
    return render(request, "manage/review_subject_rounds.html", {"form": form, "rows": rows})
