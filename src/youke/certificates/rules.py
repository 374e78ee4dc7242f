"""Who sees and changes certificate templates and certificates.

A template and its certificates belong to the issuing unit: its admins and admins above
see and act on them (queryset twins below). A teacher sees only their own certificates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from youke.orgs import rules as org_rules

if TYPE_CHECKING:
    from youke.certificates.models import (
        Certificate,
        CertificateTemplate,
        Commendation,
        IssuingAuthority,
    )
    from youke.orgs.models import Person, Unit


def templates_visible_to(person: Person) -> QuerySet[CertificateTemplate]:
    from youke.certificates.models import CertificateTemplate

    if not org_rules.is_unit_admin(person):
        return CertificateTemplate.objects.none()
    return org_rules.scoped(CertificateTemplate.objects.all(), person, "unit__path")


def can_manage_template(person: Person, template: CertificateTemplate) -> bool:
    return org_rules.covers(person, template.unit)


def can_set_seal(person: Person, authority: IssuingAuthority) -> bool:
    """Only an admin of the authority's own unit (or above) uploads its seal."""
    return org_rules.covers(person, authority.unit)


def certificates_visible_to(person: Person) -> QuerySet[Certificate]:
    from youke.certificates.models import Certificate

    if not org_rules.is_unit_admin(person):
        return Certificate.objects.none()
    return org_rules.scoped(Certificate.objects.all(), person, "unit__path")


def can_revoke(person: Person, certificate: Certificate) -> bool:
    return org_rules.covers(person, certificate.unit)


def own_certificates(person: Person) -> QuerySet[Certificate]:
    from youke.certificates.models import Certificate

    if not person.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(recipient=person)


def can_download(person: Person, certificate: Certificate) -> bool:
    """The holder downloads a standing certificate; a revoked one no longer (R13)."""
    return certificate.recipient_id == person.pk and not certificate.is_revoked


def can_commend(person: Person, issuer: Unit) -> bool:
    """An admin of the commending unit (or above) commends units below it."""
    return org_rules.covers(person, issuer)


def commendations_visible_to(person: Person) -> QuerySet[Commendation]:
    """Commendations made by the admin's units and below."""
    from youke.certificates.models import Commendation

    if not org_rules.is_unit_admin(person):
        return Commendation.objects.none()
    return org_rules.scoped(Commendation.objects.all(), person, "issuer__path")


def unit_certificates_of(person: Person) -> QuerySet[Certificate]:
    """Certificates of units commended in the admin's subtree: what a commended unit's
    admins see and download (the issuer's admins see them through the issuing unit)."""
    from youke.certificates.models import Certificate

    if not org_rules.is_unit_admin(person):
        return Certificate.objects.none()
    return org_rules.scoped(
        Certificate.objects.filter(commendation__isnull=False),
        person,
        "commendation__unit__path",
    )
