"""Load certificates and templates through the scope twins: 404 for missing and not yours."""

from django.http import Http404

from youke.certificates import rules
from youke.certificates.models import Certificate, CertificateTemplate


def access_template(person, template_id: int) -> CertificateTemplate:
    template = (
        rules.templates_visible_to(person)
        .select_related("campaign", "level", "unit")
        .filter(pk=template_id)
        .first()
    )
    if template is None:
        raise Http404("template")
    return template


def access_certificate(person, certificate_id: int) -> Certificate:
    certificate = (
        rules.certificates_visible_to(person)
        .select_related("recipient", "unit")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise Http404("certificate")
    return certificate


def access_own_certificate(person, certificate_id: int) -> Certificate:
    certificate = rules.own_certificates(person).filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404("certificate")
    return certificate


def access_unit_certificate(person, certificate_id: int) -> Certificate:
    """A commended unit's certificate, for that unit's admins (and admins above)."""
    certificate = (
        rules.unit_certificates_of(person)
        .select_related("commendation__unit")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise Http404("certificate")
    return certificate
