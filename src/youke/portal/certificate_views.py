"""我的证书: the teacher's certificates, download, and a share link with its QR code."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from youke.certificates import rules
from youke.certificates.access import access_own_certificate
from youke.certificates.domain.credential import MEDIA_TYPE, credential_jwt, credential_of
from youke.certificates.domain.files import pdf_file, qr_svg
from youke.certificates.domain.pdf import verify_url


@login_required
def my_certificates(request):
    certificates = rules.own_certificates(request.user).select_related("template__campaign")
    return render(request, "portal/my_certificates.html", {"certificates": certificates})


def _downloadable(request, certificate_id: int):
    """The holder's standing certificate, or None after telling them it was revoked."""
    certificate = access_own_certificate(request.user, certificate_id)
    if not rules.can_download(request.user, certificate):
        messages.error(
            request,
            _("证书 %(s)s 已撤销（%(r)s），不能再下载。如有疑问请联系发证单位。")
            % {"s": certificate.serial, "r": certificate.revoked_reason},
        )
        return None
    return certificate


@login_required
def download(request, certificate_id: int):
    certificate = _downloadable(request, certificate_id)
    if certificate is None:
        return redirect("portal:my_certificates")
    return FileResponse(
        pdf_file(certificate), as_attachment=True, filename=f"{certificate.serial}.pdf"
    )


@login_required
def credential(request, certificate_id: int, fmt: str):
    """The portable credential (Open Badges 3.0, VC-JOSE): the signed ``.jwt`` to hand to
    another platform, or the decoded credential as readable ``.json``."""
    if fmt not in ("jwt", "json"):
        raise Http404("format")
    certificate = _downloadable(request, certificate_id)
    if certificate is None:
        return redirect("portal:my_certificates")
    if fmt == "jwt":
        response = HttpResponse(credential_jwt(certificate), content_type=MEDIA_TYPE)
    else:
        text = json.dumps(credential_of(certificate), ensure_ascii=False, indent=2)
        response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.{fmt}"'
    return response


@login_required
def share(request, certificate_id: int):
    certificate = access_own_certificate(request.user, certificate_id)
    credential_url = ""
    if not certificate.is_revoked:
        path = reverse("public:credential_by_serial", args=[certificate.serial])
        query = urlencode({"name": certificate.fields.get("n", "")})
        credential_url = f"{settings.SITE_URL.rstrip('/')}{path}?{query}"
    return render(
        request,
        "portal/certificate_share.html",
        {
            "certificate": certificate,
            "verify_url": verify_url(certificate.payload),
            "credential_url": credential_url,
        },
    )


@login_required
def qr(request, certificate_id: int):
    certificate = access_own_certificate(request.user, certificate_id)
    return HttpResponse(qr_svg(certificate), content_type="image/svg+xml")
