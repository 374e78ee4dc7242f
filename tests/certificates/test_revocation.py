"""Revocation: by an admin with a reason (audited), and following a revoked award."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from youke.certificates.domain import issuing
from youke.certificates.domain.revocation import revoke_certificate
from youke.certificates.enums import CertificateState, VerifyStatus
from youke.certificates.models import Certificate
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain.awards import revoke_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(province, awarded):
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    issuing.render_missing(awarded.template)
    return Certificate.objects.get(recipient=province.teacher_a)


def test_revoke_needs_reason_and_scope_then_shows_everywhere(province, issued, client, tmp_path):
    with pytest.raises(ValidationError):
        revoke_certificate(Actor(province.city_admin), issued, " ")
    with pytest.raises(PermissionDenied):
        revoke_certificate(Actor(province.county_a_admin), issued, "异议成立")
    revoke_certificate(Actor(province.city_admin), issued, "异议成立，作品存在抄袭")
    issued.refresh_from_db()
    assert (issued.state, issued.revoked_reason, issued.revoked_by) == (
        CertificateState.REVOKED,
        "异议成立，作品存在抄袭",
        province.city_admin,
    )
    event = AuditEvent.objects.filter(object_type="certificates.certificate").get()
    assert (event.actor, event.reason, event.after) == (
        province.city_admin,
        "异议成立，作品存在抄袭",
        {"state": "revoked"},
    )
    with pytest.raises(ValidationError):
        revoke_certificate(Actor(province.city_admin), issued, "再次撤销")
    page = client.get(reverse("public:certificate_verify", args=[issued.payload]))
    assert page.context["verdict"].status == VerifyStatus.REVOKED
    assert "撤销理由：异议成立，作品存在抄袭" in page.content.decode()
    path = tmp_path / "c.pdf"
    path.write_bytes(issued.pdf.read())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("certs", "verify", str(path), stdout=out)
    assert "✗ 证书已撤销：异议成立，作品存在抄袭" in out.getvalue()
    # The owner can no longer download it.
    client.force_login(province.teacher_a)
    response = client.get(reverse("portal:certificate_download", args=[issued.pk]))
    assert response.status_code == 302
    assert Certificate.objects.filter(pk=issued.pk, state="revoked").exists()


def test_revoking_the_award_revokes_its_certificates(
    province, awarded, issued, django_capture_on_commit_callbacks
):
    award = awarded.awards[0]
    with django_capture_on_commit_callbacks(execute=True):
        revoke_award(Actor(province.city_admin), award, "获奖作品被举报抄袭，经核实")
    issued.refresh_from_db()
    assert (issued.state, issued.revoked_reason) == (
        CertificateState.REVOKED,
        "奖项已撤销：获奖作品被举报抄袭，经核实",
    )
    other = Certificate.objects.get(recipient=province.teacher_b)
    assert other.state == CertificateState.VALID
    # A revoked award is not issued again.
    assert issuing.issue_missing(Actor(province.city_admin), awarded.template) == 0
