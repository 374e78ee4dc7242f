"""Certificate check for everyone: published keys, the verify page, lookup by serial.

Every conclusion comes from ``certificates.domain.verify``; the page also hands the payload
and the key URL to ``verify.js``, which checks the signature again in the browser.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from youke.certificates.domain import keys as keyring
from youke.certificates.domain.credential import MAX_TOKEN, MEDIA_TYPE, check_credential
from youke.certificates.domain.credential import credential_jwt as signed_credential
from youke.certificates.domain.verify import verdict
from youke.certificates.enums import CertificateState
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


class CredentialForm(BoundedFormMixin, forms.Form):
    """A presented portable credential: pasted text or an uploaded .jwt file."""

    token = forms.CharField(
        label=_("可携带证书（JWT）"),
        required=False,
        max_length=MAX_TOKEN,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 5}),
        help_text=_("粘贴 .jwt 文件的全部内容，或在下方上传该文件。"),
    )
    file = forms.FileField(label=_("或上传 .jwt 文件"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_TOKEN:
                raise forms.ValidationError(_("文件超过 16 KB，不是本平台的可携带证书。"))
            try:
                data["token"] = upload.read().decode("ascii").strip()
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(
                    _("文件不是文本格式的 JWT：请上传从“我的证书”下载的 .jwt 文件。")
                ) from exc
        if not (data.get("token") or "").strip():
            raise forms.ValidationError(_("请粘贴 JWT 内容或上传 .jwt 文件。"))
        return data


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
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


def credential_verify(request):
    """Check a presented credential: signature against the published keys, then the
    register's status (valid, revoked with reason, unknown)."""
    form = CredentialForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = check_credential(form.cleaned_data["token"])
    return render(request, "public/credential_verify.html", {"form": form, "result": result})


def credential_by_serial(request, serial: str):
    """The signed credential of a standing certificate, for platforms that consume it.

    Like the lookup, the holder's printed name must come with the serial (``?name=``), so
    sequential serials do not list the holders; a revoked certificate answers 410."""
    name = request.GET.get("name", "")
    certificate = Certificate.objects.filter(serial=serial[:32]).first()
    if certificate is None or not name or certificate.fields.get("n") != name:
        return _json_error(
            _("没有编号与姓名都相符的证书：请核对证书编号和获证人姓名（参数 name）。"), 404
        )
    if certificate.state == CertificateState.REVOKED:
        return _json_error(
            _("证书 %(s)s 已撤销：%(r)s") % {"s": serial, "r": certificate.revoked_reason}, 410
        )
    response = HttpResponse(signed_credential(certificate), content_type=MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response
