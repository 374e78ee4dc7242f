"""Publicity pages for everyone (no log-in); every rule lives in ``selection.domain``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import client_ip
from youke.orgs.enums import ContactRole
from youke.orgs.models import Contact
from youke.public.forms import ObjectionForm
from youke.selection.domain import publicity as domain
from youke.selection.models import Publicity


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in exc.messages:
            form.add_error(None, problem)


def _publicity(publicity_id: int) -> Publicity:
    found = domain.public_publicities().filter(pk=publicity_id).first()
    if found is None:
        raise Http404("publicity")
    return found


def _contact(publicity: Publicity) -> Contact | None:
    """The publishing unit's contact person from its contact sheet (office phone, no mobile)."""
    return (
        Contact.objects.filter(unit_id=publicity.unit_id, role=ContactRole.CONTACT)
        .order_by("id")
        .first()
    )


def publicity_list(request):
    now = timezone.now()
    windows = list(domain.public_publicities(now)[:100])
    return render(
        request,
        "public/publicity_list.html",
        {
            "open_windows": [p for p in windows if p.is_open_at(now)],
            "past_windows": [p for p in windows if not p.is_open_at(now)],
        },
    )


def publicity_detail(request, publicity_id: int):
    publicity = _publicity(publicity_id)
    return render(
        request,
        "public/publicity_detail.html",
        {
            "publicity": publicity,
            "entries": domain.published_entries(publicity),
            "is_open": publicity.is_open_at(timezone.now()),
            "contact": _contact(publicity),
        },
    )


def objection_form(request, publicity_id: int, entry_id: int):
    publicity = _publicity(publicity_id)
    entry = domain.published_entries(publicity).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("entry")
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.file_objection(
                publicity,
                entry,
                name=data["name"],
                contact=data["contact"],
                reason=data["reason"],
                evidence=data["evidence"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("异议已提交。公示单位会逐条核实处理，并通过您留下的联系方式告知结果。")
            )
            return redirect("public:publicity_detail", publicity.pk)
    return render(
        request,
        "public/objection_form.html",
        {
            "publicity": publicity,
            "entry": entry,
            "form": form,
            "is_open": publicity.is_open_at(timezone.now()),
            "contact": _contact(publicity),
        },
    )
