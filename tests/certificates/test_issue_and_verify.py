"""Issue in batch, the signed payload, the PDF and its verification (CLI and domain)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from youke.certificates.domain import issuing, rendering
from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.domain.verify import check_pdf, verdict
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


def test_a_batch_rendered_by_a_pool_of_processes_verifies_like_one_rendered_inline(
    province, awarded, tmp_path, settings, monkeypatch
):
    # Two spawned processes render the batch; each PDF is stored on its own row and passes
    # every check, including the one whose label translation happened in the job's process.
    monkeypatch.setattr(rendering, "POOL_FROM", 1)
    settings.PDF_PROCESSES = 2
    assert rendering.processes_for(2) == 2
    assert _issue(province, awarded.template) == 2
    for certificate in Certificate.objects.order_by("serial"):
        path = tmp_path / f"{certificate.serial}.pdf"
        path.write_bytes(certificate.pdf.read())
        report = check_pdf(path)
        assert report.status == VerifyStatus.VALID
        assert all(ok for ok, _line in report.lines)
        assert certificate.fields["n"] in {"王老师", "李老师"}


def test_small_batches_render_in_the_job_process(settings):
    settings.PDF_PROCESSES = 8
    assert rendering.processes_for(rendering.POOL_FROM - 1) == 1
    assert rendering.processes_for(rendering.POOL_FROM * 3) == 3
    assert rendering.processes_for(rendering.POOL_FROM * 100) == 8
