"""Altered or forged certificates fail; rotation keeps old certificates valid."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.certificates.conftest import make_awards
from youke.certificates.domain import issuing, pdf
from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.domain.templates import layout_of
from youke.certificates.domain.verify import check_pdf
from youke.certificates.enums import VerifyStatus
from youke.certificates.models import Certificate
from youke.core.actor import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(province, awarded):
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    issuing.render_missing(awarded.template)
    return Certificate.objects.get(recipient=province.teacher_a)


def _cli(path, *extra) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("certs", "verify", str(path), *extra, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def test_one_changed_byte_breaks_the_document_signature(issued, tmp_path):
    data = bytearray(issued.pdf.read())
    at = data.index(b"ReportLab Generated PDF document")
    data[at] = ord("X")
    path = tmp_path / "edited.pdf"
    path.write_bytes(bytes(data))
    ok, output = _cli(path)
    assert not ok
    assert "✗ PDF 文档签名无效：签名后文件内容被改动过。" in output
    # The payload itself was not touched, so its own check still passes.
    assert "✓ 二维码数据签名有效" in output


def test_edited_name_fails_the_text_check_and_the_document_signature(issued, tmp_path, settings):
    # A forger redraws the page with another name and the genuine payload, and signs the
    # file with a certificate of their own (a key generation in another folder).
    fields = {**issued.fields, "n": "张冒名"}
    context = {**issuing.context_of(issued), "教师": "张冒名"}
    forged = pdf.draw(layout_of(issued.template), fields, context, issued.payload)
    genuine_dir = settings.DATA_DIR
    settings.DATA_DIR = genuine_dir.parent / "forger"
    forger_kid = keyring.generate()
    forged = pdf.sign_document(forged, forger_kid)
    settings.DATA_DIR = genuine_dir
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    ok, output = _cli(path)
    assert not ok
    assert "✗ 印刷内容与签名数据不符：获证人：王老师" in output
    assert "✗ PDF 文档签名的证书不是本平台公布的签名证书。" in output


def test_payload_signed_with_another_key_fails_on_page_and_cli(issued, client, tmp_path):
    stranger = ed25519.Ed25519PrivateKey.generate()
    data = signed.encode_json({**issued.fields, "n": "张冒名"})
    payload = f"{keyring.b64url(data)}.{keyring.b64url(stranger.sign(data))}"
    checked = signed.check(payload)
    assert (checked.signature_ok, checked.problem) == (
        False,
        "签名与内容不符：证书内容被改动过或系伪造。",
    )
    response = client.get(reverse("public:certificate_verify", args=[payload]))
    assert response.context["verdict"].status == VerifyStatus.FORGED
    assert "服务器核验：签名无效" in response.content.decode()
    # The same payload placed in a PDF fails the CLI too.
    forged = pdf.draw(layout_of(issued.template), {**issued.fields, "n": "张冒名"}, {}, payload)
    path = tmp_path / "other-key.pdf"
    path.write_bytes(pdf.sign_document(forged, issued.kid))
    ok, output = _cli(path)
    assert not ok
    assert "✗ 签名与内容不符：证书内容被改动过或系伪造。" in output


def test_rotation_keeps_old_certificates_valid(
    province, campaign, awarded, issued, lessons, client, tmp_path
):
    old_kid = issued.kid
    new_kid = keyring.generate(rotate=True)
    assert new_kid != old_kid and keyring.current_kid() == new_kid
    make_awards(campaign, [(province.teacher_a, lessons[2])], awarded.grade)
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    issuing.render_missing(awarded.template)
    newest = Certificate.objects.get(serial="990100-2026-000003")
    assert newest.kid == new_kid
    published = client.get(reverse("public:certificate_keys")).json()
    assert [(k["kid"], k["current"]) for k in published["keys"]] == [
        (old_kid, False),
        (new_kid, True),
    ]
    for certificate in (issued, newest):
        path = tmp_path / f"{certificate.serial}.pdf"
        path.write_bytes(certificate.pdf.read())
        assert check_pdf(path).ok, certificate.serial
    # Offline, with nothing but the published keys.json.
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(published))
    ok, output = _cli(tmp_path / f"{issued.serial}.pdf", "--keys", str(keys_file))
    assert ok, output
