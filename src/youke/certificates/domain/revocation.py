"""Revoking certificates: by an admin with a reason, or because the award was revoked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.certificates import rules
from youke.certificates.enums import CERTIFICATE_TRANSITIONS, CertificateState
from youke.certificates.models import Certificate
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied


def _set_revoked(actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if CertificateState.REVOKED not in CERTIFICATE_TRANSITIONS[locked.state]:
        raise ValidationError(_("证书 %(s)s 已经撤销，无需重复操作。") % {"s": locked.serial})
    locked.state = CertificateState.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason[:300]
    locked.revoked_by = actor.person
    locked.save(update_fields=["state", "revoked_at", "revoked_reason", "revoked_by"])
    record(
        actor,
        AuditAction.UPDATE,
        locked,
        unit=locked.unit,
        before={"state": CertificateState.VALID},
        after={"state": CertificateState.REVOKED},
        reason=reason,
    )
    return locked


def revoke_certificate(actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    if actor.person is None or not rules.can_revoke(actor.person, certificate):
        raise PermissionDenied("certificate")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销理由：它会显示在证书核验页上并记入日志。")})
    with transaction.atomic():
        return _set_revoked(actor, certificate, reason)


def revoke_for_award(actor: Actor, award_id: int, reason: str) -> int:
    """The award's standing certificates follow its revocation (the award's admin acted)."""
    text = _("奖项已撤销：%(r)s") % {"r": reason} if reason else _("奖项已撤销")
    count = 0
    with transaction.atomic():
        for certificate in Certificate.objects.filter(
            award_id=award_id, state=CertificateState.VALID
        ):
            _set_revoked(actor, certificate, text)
            count += 1
    return count
