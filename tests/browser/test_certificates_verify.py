"""The verify page checks the signature in Chromium with WebCrypto Ed25519 as well."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_journeys import assert_no_problems
from tests.certificates.conftest import awarded, keys  # noqa: F401  (fixtures)
from tests.selection.conftest import catalog, lessons  # noqa: F401  (fixtures)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.certificates.domain import issuing
from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.models import Certificate
from youke.core.actor import Actor

pytestmark = pytest.mark.browser


def test_browser_verifies_a_genuine_certificate_and_refuses_another_key(
    page,
    site,
    awarded,  # noqa: F811
):
    issuing.issue_missing(Actor(site.province.city_admin), awarded.template)
    certificate = Certificate.objects.get(recipient=site.province.teacher_a)

    page.goto(site(f"/public/verify/{certificate.payload}/"))
    expect(page.locator("#server-status")).to_have_text("服务器核验：证书有效")
    expect(page.locator("#browser-check")).to_have_attribute("data-result", "valid")
    expect(page.locator("#browser-status")).to_contain_text(
        f"浏览器核验：签名有效（在您的浏览器中用公布的公钥独立验证） · {certificate.serial}"
    )
    screenshot(page, "certificate-verify-valid")

    stranger = ed25519.Ed25519PrivateKey.generate()
    data = signed.encode_json({**certificate.fields, "n": "张冒名"})
    forged = f"{keyring.b64url(data)}.{keyring.b64url(stranger.sign(data))}"
    page.goto(site(f"/public/verify/{forged}/"))
    expect(page.locator("#server-status")).to_have_text("服务器核验：签名无效")
    expect(page.locator("#browser-check")).to_have_attribute("data-result", "invalid")
    expect(page.locator("#browser-status")).to_have_text("浏览器核验：签名无效")
    screenshot(page, "certificate-verify-forged")
    assert_no_problems(site)
