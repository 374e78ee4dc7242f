"""Publicity windows and objections for unit admins; every rule lives in ``selection.domain``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.forms import BoundedFormMixin
from youke.manage.views.common import admin_required, apply_errors
from youke.manage.views.confirmation import Confirmation, ask, confirmed
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain import publicity as domain
from youke.selection.domain import publicity_list as rows_domain
from youke.selection.domain import summary
from youke.selection.enums import ObjectionState


class PublicityForm(BoundedFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("公示标题"), max_length=120)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("公示开始"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("公示结束"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ResolveForm(BoundedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[
            ("upheld", gettext_lazy("异议成立（撤销推荐）")),
            ("rejected", gettext_lazy("异议不成立")),
        ],
    )
    resolution = forms.CharField(
        label=gettext_lazy("处理意见"), max_length=2000, required=False, widget=forms.Textarea
    )


@admin_required
def publicity_list(request):
    windows = list(
        domain.publicities_visible_to(request.user)
        .select_related("unit", "level", "campaign")
        .order_by("-starts_at", "-id")[:200]
    )
    now = timezone.now()
    windows = [domain.sync_state(p, now) for p in windows]
    return render(request, "manage/publicity_list.html", {"windows": windows})


@admin_required
def publicity_create(request, list_id: int):
    level_list = summary.access_list(request.user, list_id)
    form = PublicityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = domain.open_publicity(
                Actor.from_request(request),
                level_list.campaign,
                level_list.level,
                level_list.unit,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                title=data["title"],
            )
        except PermissionDenied as exc:
            raise Http404("list") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("公示已发布。公众可在公示页面查看并提出异议。"))
            return redirect("manage_publicity:publicity_detail", created.pk)
    return render(request, "manage/publicity_form.html", {"form": form, "level_list": level_list})


@admin_required
def publicity_detail(request, publicity_id: int):
    publicity = domain.sync_state(domain.access_publicity(request.user, publicity_id))
    objections = publicity.objections.select_related("entry__submission", "resolved_by").order_by(
        "created_at", "id"
    )
    return render(
        request,
        "manage/publicity_detail.html",
        {
            "publicity": publicity,
            "entries": rows_domain.all_rows(publicity),
            "objections": objections,
            "resolve_form": ResolveForm(),
            "open_state": ObjectionState.OPEN,
        },
    )


@admin_required
@require_POST
def publicity_finalise(request, publicity_id: int):
    publicity = domain.access_publicity(request.user, publicity_id)
    if not confirmed(request):
        return ask(
            request,
            _finalise_confirmation(publicity),
            reverse("manage_publicity:publicity_detail", args=[publicity.pk]),
        )
    try:
        domain.finalise(publicity, actor=Actor.from_request(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("公示结果已生效。"))
    return redirect("manage_publicity:publicity_detail", publicity.pk)


def _finalise_confirmation(publicity) -> Confirmation:
    entries = rows_domain.all_rows(publicity)
    by_state = dict(publicity.objections.order_by().values_list("state").annotate(n=Count("id")))
    warnings = []
    if by_state.get(ObjectionState.OPEN):
        warnings.append(
            _("还有 %(n)s 条异议未处理：请逐条处理后再确认结果生效。")
            % {"n": by_state[ObjectionState.OPEN]}
        )
    if timezone.now() <= publicity.ends_at:
        warnings.append(
            _("公示期至 %(at)s 才结束，结束后才能确认结果生效。")
            % {"at": timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")}
        )
    return Confirmation(
        title=_("确认公示结果生效"),
        consequences=[
            _("公示“%(title)s”的 %(n)s 件作品成为正式结果，名单不能再改动。")
            % {"title": publicity.title, "n": len(entries)},
            _("不再受理异议（已处理 %(done)s 条：成立 %(upheld)s 条，不成立 %(rejected)s 条）。")
            % {
                "done": by_state.get(ObjectionState.UPHELD, 0)
                + by_state.get(ObjectionState.REJECTED, 0),
                "upheld": by_state.get(ObjectionState.UPHELD, 0),
                "rejected": by_state.get(ObjectionState.REJECTED, 0),
            },
        ],
        items=[
            _("《%(title)s》 · %(teacher)s · %(school)s")
            % {"title": e["title"], "teacher": e["teachers"], "school": e["school"]}
            for e in entries
        ],
        warnings=warnings,
        button=_("确认结果生效"),
    )


@admin_required
def objection_evidence(request, objection_id: int):
    objection = domain.access_objection(request.user, objection_id)
    if not objection.evidence:
        raise Http404("evidence")
    name = f"objection-{objection.pk}-{objection.evidence.name.rsplit('/', 1)[-1]}"
    return FileResponse(
        objection.evidence.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=objection.evidence_type or "application/octet-stream",
    )


@admin_required
@require_POST
def objection_resolve(request, objection_id: int):
    objection = domain.access_objection(request.user, objection_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            domain.resolve_objection(
                Actor.from_request(request),
                objection,
                upheld=form.cleaned_data["decision"] == "upheld",
                resolution=form.cleaned_data["resolution"],
            )
        except PermissionDenied as exc:
            raise Http404("objection") from exc
        except ValidationError as exc:
            apply_errors(form, exc)
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("异议已处理。"))
    else:
        messages.error(request, _("请选择处理结果后再提交。"))
    return redirect("manage_publicity:publicity_detail", objection.publicity_id)
