"""Issue in batch, the signed payload, the PDF and its verification (CLI and domain)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from youke.certificates.domain import issuing
from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.domain.verify import verdict
from youke.certificates.enums import VerifyStatus
from youke.certificates.models import Certificate, SerialCounter
from youke.core.actor import Actor

pytestmark = pytest.mark.django_db


def _issue(province, template):
    actor = Actor(province.city_admin)
    created = issuing.issue_missing(actor, template)
    issuing.render_missing(template)
    return created


def _verify_cli(path, *extra):
    out = io.StringIO()
    call_command("certs", "verify", str(path), *extra, stdout=out)
    return out.getvalue()


def test_batch_issues_once_per_award_with_serials_and_signed_payloads(province, awarded):
    assert _issue(province, awarded.template) == 2
    # Issuing again finds nothing missing.
    assert _issue(province, awarded.template) == 0
    certificates = list(Certificate.objects.order_by("serial"))
    assert [c.serial for c in certificates] == ["990100-2026-000001", "990100-2026-000002"]
    assert sorted(c.recipient.full_name for c in certificates) == ["李老师", "王老师"]
    assert SerialCounter.objects.get(authority_code="990100", year=2026).last == 2
    first = certificates[0]
    checked = signed.check(first.payload)
    assert checked.signature_ok
    assert checked.fields == first.fields
    assert (first.fields["a"], first.fields["l"], first.fields["k"]) == (
        "一等奖",
        "市级遴选",
        keyring.current_kid(),
    )
    assert verdict(first.payload).status == VerifyStatus.VALID


def test_cli_accepts_the_issued_pdf(province, awarded, tmp_path):
    _issue(province, awarded.template)
    certificate = Certificate.objects.order_by("serial").first()
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate.pdf.read())
    output = _verify_cli(path)
    assert "核验通过" in output
    assert "✗" not in output
