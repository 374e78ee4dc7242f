"""三个课堂 workload → training hours for admins (issue 12 item 10, R12): the region's hour
rules (county over city) and the 计入学时 action for an ended term. Every rule is in
``training.domain``; this page only collects input and shows results."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.classrooms.domain.workload import can_set_weights
from youke.classrooms.enums import WorkKind
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.classrooms import region_units, staff_required, visible_terms
from youke.manage.views.common import apply_errors
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role
from youke.training.domain import ledger, workload_rules


class HourRulesForm(forms.Form):
    """Per kind: hours per item and an optional cap per term; blank means "not set here"."""

    def __init__(self, *args, own=None, applied=None, **kwargs):
        super().__init__(*args, **kwargs)
        own = own or {}
        applied = applied or {}
        for kind in WorkKind:
            rule = own.get(kind.value)
            above = applied.get(kind.value)
            hint = (
                _("上级规定：每项 %(h)s 学时") % {"h": above.hours}
                if above is not None and rule is None
                else ""
            )
            self.fields[f"{kind.value}_hours"] = forms.CharField(
                label=_("%(kind)s：每项学时") % {"kind": kind.label},
                required=False,
                initial=rule.hours if rule else "",
                help_text=hint,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"{kind.value}_cap"] = forms.CharField(
                label=_("%(kind)s：每学期上限") % {"kind": kind.label},
                required=False,
                initial=rule.term_cap if rule and rule.term_cap is not None else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def values(self) -> dict[str, tuple[str, str]]:
        return {
            kind: (self.cleaned_data[f"{kind}_hours"], self.cleaned_data[f"{kind}_cap"])
            for kind in WorkKind.values
        }


def _units(person):
    return [u for u in region_units(person, roles=(Role.UNIT_ADMIN,)) if can_set_weights(person, u)]


@staff_required
def hours_view(request):
    person = request.user
    units = _units(person)
    raw = request.POST.get("unit") or request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == raw), None)
    if raw and unit is None:
        raise Http404("unit")
    unit = unit or (units[0] if units else None)
    form = None
    if unit is not None:
        form = HourRulesForm(
            request.POST or None,
            own=workload_rules.own_rules(unit),
            applied=workload_rules.rules_for(unit),
        )
        if request.method == "POST" and form.is_valid():
            try:
                workload_rules.set_rules(Actor.from_request(request), unit, form.values())
            except PermissionDenied as exc:
                raise Http404("unit") from exc
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("已保存 %(unit)s 的计入学时规则。") % {"unit": unit.name}
                )
                return redirect(f"{request.path}?unit={unit.pk}")
    elif request.method == "POST":
        raise Http404("unit")
    today = timezone.localdate()
    terms = [
        {
            "term": term,
            "ended": term.ends_on < today,
            "summary": ledger.workload_summary(term),
        }
        for term in visible_terms(person).order_by("-starts_on", "id")
        if ledger.can_credit_term(person, term)
    ]
    return render(
        request,
        "manage/classrooms/workload_hours.html",
        {
            "units": units,
            "rules_unit": unit,
            "form": form,
            "rule_rows": [
                (kind, form[f"{kind.value}_hours"], form[f"{kind.value}_cap"]) for kind in WorkKind
            ]
            if form
            else [],
            "terms": terms,
        },
    )


@staff_required
@require_POST
def credit_term(request, term_id: int):
    term = visible_terms(request.user).filter(pk=term_id).first()
    if term is None:
        raise Http404("term")

    def done(result) -> str:
        return _(
            "已计入“%(term)s”的工作量学时：新记 %(new)d 条，重新核算 %(re)d 条，冲销 %(rev)d 条，"
            "未变 %(same)d 条。"
        ) % {
            "term": term.name,
            "new": result.credited,
            "re": result.recounted,
            "rev": result.reversed,
            "same": result.unchanged,
        }

    return run_action(
        request,
        lambda: ledger.credit_workload_term(Actor.from_request(request), term),
        done,
        redirect(reverse("manage_classrooms:workload_hours")),
    )
