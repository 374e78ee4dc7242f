"""Certificates through the API: the portable credential (issue 9 item 5) and its check.

A certificate's credential is readable by its holder and by admins of the issuing unit or
above (else 404); a revoked one answers 410 with the reason. Verifying a presented JWT
needs no scope: it checks only what the token itself proves plus the public register.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from youke.api.common import viewer
from youke.api.schemas import ErrorOut
from youke.api.schemas_certificates import CredentialCheckOut, CredentialIn, CredentialOut
from youke.certificates import rules
from youke.certificates.domain.credential import (
    MEDIA_TYPE,
    check_credential,
    credential_of,
    sign_credential,
)
from youke.certificates.enums import VerifyStatus

router = Router(tags=["certificates"])


@router.get(
    "/certificates/{certificate_id}/credential",
    response={200: CredentialOut, 404: ErrorOut, 410: ErrorOut},
    operation_id="get_certificate_credential",
)
def get_certificate_credential(request, certificate_id: int):
    """The certificate as a signed Open Badges 3.0 credential (VC-JOSE, ``application/vc+jwt``)
    and its decoded payload; the caller's own certificate or one issued in their subtree."""
    person = viewer(request)
    certificate = (
        (rules.own_certificates(person) | rules.certificates_visible_to(person))
        .filter(pk=certificate_id)
        .select_related("template__campaign", "template__unit")
        .first()
    )
    if certificate is None:
        raise Http404("certificate")
    if certificate.is_revoked:
        return Status(
            410,
            {
                "detail": _("证书 %(s)s 已撤销：%(r)s")
                % {"s": certificate.serial, "r": certificate.revoked_reason}
            },
        )
    credential = credential_of(certificate)
    return {
        "serial": certificate.serial,
        "media_type": MEDIA_TYPE,
        "jwt": sign_credential(credential, certificate.kid),
        "credential": credential,
    }


@router.post(
    "/certificates/credentials/verify",
    response={200: CredentialCheckOut},
    operation_id="verify_certificate_credential",
)
def verify_certificate_credential(request, payload: CredentialIn):
    """Check a presented credential against the published keys and the register."""
    result = check_credential(payload.jwt)
    return {
        "status": result.status,
        "problem": result.problem,
        "serial": result.serial if result.status != VerifyStatus.FORGED else "",
        "kid": result.kid,
        "revoked_reason": result.reason,
        "credential": result.credential if result.status != VerifyStatus.FORGED else {},
    }
