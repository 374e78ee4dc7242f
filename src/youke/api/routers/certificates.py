"""Certificates through the API: the portable credential (issue 9 item 5) and its check;
commended units and their certificates (item 6).

A certificate's credential is readable by its holder and by admins of the issuing unit or
above (else 404); a revoked one answers 410 with the reason. Verifying a presented JWT
needs no scope: it checks only what the token itself proves plus the public register.
"""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_certificates import (
    CommendationIn,
    CommendationOut,
    CredentialCheckOut,
    CredentialIn,
    CredentialOut,
    UnitCertificateOut,
)
from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Level
from youke.certificates import rules
from youke.certificates.domain.commendations import commend_unit
from youke.certificates.domain.credential import (
    MEDIA_TYPE,
    check_credential,
    credential_of,
    sign_credential,
)
from youke.certificates.domain.files import pdf_file
from youke.certificates.enums import VerifyStatus
from youke.orgs.access import access_unit
from youke.orgs.domain.units import PermissionDenied

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


COMMENDATION_RELATED = ("issuer", "unit")


@router.get(
    "/certificates/commendations",
    response=list[CommendationOut],
    operation_id="list_commendations",
)
@paginated
def list_commendations(request):
    """Units commended by the caller's units and below, newest first."""
    return (
        rules.commendations_visible_to(viewer(request))
        .select_related(*COMMENDATION_RELATED)
        .order_by("-created_at", "-id")
    )


@router.post(
    "/certificates/commendations",
    response={201: CommendationOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="commend_unit",
)
def create_commendation(request, payload: CommendationIn):
    """Commend a unit below the issuer (e.g. 优秀组织单位) for a level; audited. The unit
    certificate is then issued by the issuer's unit template of the level."""
    person = viewer(request)
    level = (
        Level.objects.filter(
            pk=payload.level, campaign__in=campaign_rules.campaigns_visible_to(person)
        )
        .select_related("campaign")
        .first()
    )
    if level is None:
        raise Http404("level")
    issuer = access_unit(person, payload.issuer)
    unit = access_unit(person, payload.unit)
    try:
        made = commend_unit(
            actor(request),
            level=level,
            issuer=issuer,
            unit=unit,
            title=payload.title,
            reason=payload.reason,
        )
    except PermissionDenied as exc:
        raise Http404("unit") from exc
    return Status(201, made)


@router.get(
    "/certificates/unit-certificates",
    response=list[UnitCertificateOut],
    operation_id="list_unit_certificates",
)
@paginated
def list_unit_certificates(request):
    """Certificates of the units commended in the caller's subtree (their own unit's
    organisation-work certificates), newest first."""
    return (
        rules.unit_certificates_of(viewer(request))
        .select_related("commendation__unit")
        .order_by("-issued_at", "-id")
    )


@router.get(
    "/certificates/unit-certificates/{certificate_id}/pdf",
    response={200: None, 404: ErrorOut, 410: ErrorOut},
    operation_id="download_unit_certificate",
)
def download_unit_certificate(request, certificate_id: int):
    """A commended unit's signed certificate PDF, for admins of that unit (or above it) and
    of the issuing unit (or above it); anyone else 404. A revoked one answers 410 with the
    reason (R13), as the page refuses it."""
    person = viewer(request)
    certificate = (
        (rules.unit_certificates_of(person) | rules.certificates_visible_to(person))
        .filter(pk=certificate_id, commendation__isnull=False)
        .first()
    )
    if certificate is None:
        raise Http404("certificate")
    if certificate.is_revoked:
        return Status(
            410,
            {
                "detail": _("证书 %(s)s 已撤销（%(r)s），不能再下载。如有疑问请联系发证单位。")
                % {"s": certificate.serial, "r": certificate.revoked_reason}
            },
        )
    return FileResponse(
        pdf_file(certificate),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
