"""Commending units for their organisation work (优秀组织单位): an admin of a level's
selecting unit names a unit below it; the unit template of that level issues its certificate
through the same pipeline as teachers' certificates (``issuing``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from youke.certificates import rules
from youke.certificates.models import Commendation
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied

DEFAULT_TITLE = "优秀组织单位"


def commend_unit(actor: Actor, *, level, issuer, unit, title: str, reason: str) -> Commendation:
    """Record the commendation (audited); refuses a unit not strictly below the issuer."""
    if actor.person is None or not rules.can_commend(actor.person, issuer):
        raise PermissionDenied("unit")
    if level.unit_kind != issuer.kind:
        raise ValidationError(
            {
                "issuer_code": _("%(level)s由%(kind)s表彰：请填写相应类型的单位代码。")
                % {"level": level.name, "kind": level.get_unit_kind_display()}
            }
        )
    if unit.pk == issuer.pk or not unit.path.startswith(issuer.path):
        raise ValidationError(
            {
                "unit_code": _("只能表彰本单位下属的单位：请填写%(u)s下属单位的代码。")
                % {"u": issuer}
            }
        )
    title, reason = (title or "").strip(), (reason or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写称号，例如“优秀组织单位”。")})
    if not reason:
        raise ValidationError({"reason": _("请填写表彰理由：它会记入审计日志。")})
    try:
        with transaction.atomic():
            commendation = Commendation.objects.create(
                campaign=level.campaign,
                level=level,
                issuer=issuer,
                unit=unit,
                title=title,
                reason=reason,
                created_by=actor.person,
            )
            record(
                actor,
                AuditAction.CREATE,
                commendation,
                unit=issuer,
                after={"unit": unit.name, "title": title, "level": level.name},
                reason=reason,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(u)s已在%(level)s获评“%(t)s”，无需重复表彰。")
            % {"u": unit.name, "level": level.name, "t": title}
        ) from exc
    return commendation
