"""The portable credential (issue 9 item 5): an Open Badges 3.0 OpenBadgeCredential as a
VC-JOSE compact JWS, signed with the certificate's Ed25519 key generation (R13: anyone can
check it with nothing but the published keys)."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.api.conftest import NOT_FOUND, api_as  # noqa: F401  (fixture)
from tests.certificates.conftest import make_awards
from youke.certificates.domain import issuing
from youke.certificates.domain import keys as keyring
from youke.certificates.domain.credential import (
    check_credential,
    credential_jwt,
)
from youke.certificates.domain.revocation import revoke_certificate
from youke.certificates.enums import VerifyStatus
from youke.certificates.models import Certificate
from youke.core.actor import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(province, awarded):
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    return Certificate.objects.get(recipient=province.teacher_a)


def _parts(token: str) -> tuple[dict, dict, bytes]:
    header, payload, signature = token.split(".")
    return (
        json.loads(keyring.b64url_decode(header)),
        json.loads(keyring.b64url_decode(payload)),
        keyring.b64url_decode(signature),
    )


def _verify_with_published(token: str, published: dict) -> bool:
    """What another platform does: read keys.json, pick the kid, check Ed25519."""
    header, _payload, signature = _parts(token)
    jwk = next(k for k in published["keys"] if k["kid"] == header["kid"])
    key = ed25519.Ed25519PublicKey.from_public_bytes(keyring.b64url_decode(jwk["x"]))
    signing_input = token.rsplit(".", 1)[0].encode()
    try:
        key.verify(signature, signing_input)
    except Exception:  # noqa: BLE001
        return False
    return True


def _cli(path, *extra) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("certs", "verify-credential", str(path), *extra, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def test_credential_is_an_open_badge_signed_with_the_published_key(issued, client):
    token = credential_jwt(issued)
    header, credential, _sig = _parts(token)
    assert header == {"alg": "EdDSA", "kid": issued.kid, "typ": "vc+jwt", "cty": "vc"}
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:youke:certificate:{issued.serial}"
    assert credential["issuer"] == {
        "id": "urn:youke:unit:990100",
        "type": ["Profile"],
        "name": "青山市电化教育馆",
    }
    subject = credential["credentialSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "王老师",
        }
    ]
    achievement = subject["achievement"]
    assert (achievement["type"], achievement["name"]) == (["Achievement"], "市级遴选一等奖")
    assert achievement["description"].startswith("王老师老师（东湖区实验小学）的作品《作品0》")
    assert achievement["criteria"]["narrative"].endswith("市级遴选评选：一等奖")
    # No ID-card number in any form.
    assert "id_card" not in json.dumps(credential) and "身份证" not in json.dumps(credential)
    published = client.get(reverse("public:certificate_keys")).json()
    assert _verify_with_published(token, published)
    assert check_credential(token).status == VerifyStatus.VALID


def test_altered_payload_and_other_key_fail(issued, tmp_path):
    token = credential_jwt(issued)
    header_part, payload_part, signature_part = token.split(".")
    _header, credential, _sig = _parts(token)
    credential["credentialSubject"]["achievement"]["name"] = "省级遴选特等奖"
    altered_payload = keyring.b64url(json.dumps(credential, ensure_ascii=False).encode())
    altered = f"{header_part}.{altered_payload}.{signature_part}"
    result = check_credential(altered)
    assert (result.status, result.problem) == (
        VerifyStatus.FORGED,
        "签名与内容不符：证书内容被改动过或系伪造。",
    )
    stranger = ed25519.Ed25519PrivateKey.generate()
    signing_input = f"{header_part}.{payload_part}"
    other = f"{signing_input}.{keyring.b64url(stranger.sign(signing_input.encode()))}"
    assert check_credential(other).status == VerifyStatus.FORGED
    path = tmp_path / "other.jwt"
    path.write_text(other)
    ok, output = _cli(path)
    assert not ok
    assert "✗ 签名与内容不符：证书内容被改动过或系伪造。" in output
    assert check_credential("not.a.jwt").status == VerifyStatus.FORGED
    assert check_credential("").status == VerifyStatus.FORGED


def test_rotation_keeps_old_credentials_verifiable_offline(
    issued, province, campaign, awarded, lessons, client, tmp_path
):
    old_token = credential_jwt(issued)
    new_kid = keyring.generate(rotate=True)
    make_awards(campaign, [(province.teacher_a, lessons[2])], awarded.grade)
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    newest = Certificate.objects.get(serial="990100-2026-000003")
    new_token = credential_jwt(newest)
    assert _parts(old_token)[0]["kid"] == issued.kid != new_kid == _parts(new_token)[0]["kid"]
    # The old certificate's credential is still signed with its own generation.
    assert credential_jwt(issued) == old_token
    published = client.get(reverse("public:certificate_keys")).json()
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(published))
    for token in (old_token, new_token):
        assert _verify_with_published(token, published)
        path = tmp_path / "c.jwt"
        path.write_text(token)
        ok, output = _cli(path, "--keys", str(keys_file))
        assert ok, output
    ok, output = _cli(path)
    assert ok and "核验通过" in output and f"密钥 {new_kid}" in output


def test_revoked_credential_answers_410_and_fails_everywhere(issued, province, client, tmp_path):
    """R13: a revoked certificate is shown revoked at once, by the endpoint, page and CLI."""
    token = credential_jwt(issued)
    url = reverse("public:credential_by_serial", args=[issued.serial])
    standing = client.get(url, {"name": "王老师"})
    assert (standing.status_code, standing["Content-Type"]) == (200, "application/vc+jwt")
    assert standing.content.decode() == token
    # The serial alone (or with another name) reveals nothing.
    for params in ({}, {"name": "李老师"}):
        refused = client.get(url, params)
        assert refused.status_code == 404
        assert refused.json() == {
            "detail": "没有编号与姓名都相符的证书：请核对证书编号和获证人姓名（参数 name）。"
        }
    revoke_certificate(Actor(province.city_admin), issued, "异议成立")
    gone = client.get(url, {"name": "王老师"})
    assert (gone.status_code, gone.json()) == (
        410,
        {"detail": f"证书 {issued.serial} 已撤销：异议成立"},
    )
    result = check_credential(token)
    assert (result.status, result.reason) == (VerifyStatus.REVOKED, "异议成立")
    path = tmp_path / "c.jwt"
    path.write_text(token)
    ok, output = _cli(path)
    assert not ok and "✗ 证书已撤销：异议成立" in output
    page = client.post(reverse("public:credential_verify"), {"token": token})
    assert page.context["result"].status == VerifyStatus.REVOKED
    assert "撤销理由：异议成立" in page.content.decode()


def test_verify_page_accepts_paste_and_upload(issued, client):
    token = credential_jwt(issued)
    url = reverse("public:credential_verify")
    pasted = client.post(url, {"token": token})
    assert pasted.context["result"].status == VerifyStatus.VALID
    assert 'data-status="valid"' in pasted.content.decode()
    upload = SimpleUploadedFile("c.jwt", token.encode(), content_type="application/vc+jwt")
    uploaded = client.post(url, {"file": upload})
    assert uploaded.context["result"].status == VerifyStatus.VALID
    empty = client.post(url, {"token": ""})
    assert empty.context["result"] is None
    assert "请粘贴 JWT 内容或上传 .jwt 文件。" in empty.content.decode()
    forged = client.post(url, {"token": token[:-4] + "AAAA"})
    assert forged.context["result"].status == VerifyStatus.FORGED
    assert "证书无效" in forged.content.decode()


def test_owner_downloads_jwt_and_json_others_get_404(issued, province, client):
    client.force_login(province.teacher_a)
    jwt_url = reverse("portal:certificate_credential", args=[issued.pk, "jwt"])
    response = client.get(jwt_url)
    assert response.status_code == 200
    assert response.content.decode() == credential_jwt(issued)
    assert f'filename="{issued.serial}.jwt"' in response["Content-Disposition"]
    shown = client.get(reverse("portal:certificate_credential", args=[issued.pk, "json"]))
    assert json.loads(shown.content)["id"] == f"urn:youke:certificate:{issued.serial}"
    assert (
        client.get(reverse("portal:certificate_credential", args=[issued.pk, "xml"])).status_code
        == 404
    )
    listing = client.get(reverse("portal:my_certificates")).content.decode()
    assert jwt_url in listing
    share = client.get(reverse("portal:certificate_share", args=[issued.pk]))
    public = reverse("public:credential_by_serial", args=[issued.serial])
    assert share.context["credential_url"].endswith(f"{public}?name=%E7%8E%8B%E8%80%81%E5%B8%88")
    client.force_login(province.teacher_b)
    assert client.get(jwt_url).status_code == 404


def test_api_get_and_verify_credential_scoped(issued, province, api_as):  # noqa: F811
    path = f"/certificates/{issued.pk}/credential"
    own = api_as(province.teacher_a).get(path)
    assert own.status_code == 200
    body = own.json()
    assert (body["serial"], body["media_type"]) == (issued.serial, "application/vc+jwt")
    assert body["jwt"] == credential_jwt(issued)
    assert body["credential"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert api_as(province.city_admin).get(path).json()["jwt"] == body["jwt"]
    for stranger in (province.teacher_b, province.county_b_admin):
        refused = api_as(stranger).get(path)
        assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    checked = api_as(province.teacher_b).post(
        "/certificates/credentials/verify", {"jwt": body["jwt"]}
    )
    assert checked.json() == {
        "status": "valid",
        "problem": "",
        "serial": issued.serial,
        "kid": issued.kid,
        "revoked_reason": "",
        "credential": body["credential"],
    }
    tampered = body["jwt"][:-4] + "AAAA"
    forged = api_as(province.teacher_b).post("/certificates/credentials/verify", {"jwt": tampered})
    assert forged.json() == {
        "status": "forged",
        "problem": "签名与内容不符：证书内容被改动过或系伪造。",
        "serial": "",
        "kid": issued.kid,
        "revoked_reason": "",
        "credential": {},
    }
    revoke_certificate(Actor(province.city_admin), issued, "异议成立")
    gone = api_as(province.teacher_a).get(path)
    assert (gone.status_code, gone.json()) == (
        410,
        {"detail": f"证书 {issued.serial} 已撤销：异议成立"},
    )
    revoked = api_as(province.teacher_b).post(
        "/certificates/credentials/verify", {"jwt": body["jwt"]}
    )
    assert (revoked.json()["status"], revoked.json()["revoked_reason"]) == ("revoked", "异议成立")
