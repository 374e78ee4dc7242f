"""Certificate check for everyone: published keys, the verify page, lookup by serial.

Every conclusion comes from ``certificates.domain.verify``; the page also hands the payload
and the key URL to ``verify.js``, which checks the signature again in the browser.
"""

from __future__ import annotations

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from youke.certificates.domain import keys as keyring
from youke.certificates.domain.verify import verdict
from youke.certificates.models import Certificate
from youke.core.forms import BoundedFormMixin


class CertificateLookupForm(BoundedFormMixin, forms.Form):
    serial = forms.CharField(
        label=_("证书编号"), max_length=32, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    name = forms.CharField(
        label=_("获证人姓名"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("与证书上印的姓名一致。"),
    )


@cache_control(public=True, max_age=300)
def keys_json(request):
    response = JsonResponse(keyring.keys_document(), json_dumps_params={"ensure_ascii": False})
    # Other platforms read the key set from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def certificate_verify(request, payload: str):
    found = verdict(payload)
    return render(
        request,
        "public/certificate_verify.html",
        {"verdict": found, "payload": payload, "rows": found.checked.rows()},
    )


def certificate_lookup(request):
    """By serial and the holder's name together: serials are sequential, so a serial alone
    would let anyone list every holder."""
    form = CertificateLookupForm(request.GET or None)
    found = None
    searched = False
    if form.is_valid():
        searched = True
        certificate = Certificate.objects.filter(serial=form.cleaned_data["serial"]).first()
        if certificate is not None and certificate.fields.get("n") == form.cleaned_data["name"]:
            found = verdict(certificate.payload)
    return render(
        request,
        "public/certificate_lookup.html",
        {"form": form, "verdict": found, "searched": searched},
    )
