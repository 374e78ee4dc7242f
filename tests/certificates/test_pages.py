"""Pages: scoping (another unit's certificate answers 404), issue as a job, 我的证书,
verify page, lookup by serial and name, published keys."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.certificates.conftest import seal_png
from youke.certificates.domain import issuing
from youke.certificates.models import Certificate, CertificateTemplate
from youke.core.actor import Actor
from youke.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(province, awarded):
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    return Certificate.objects.get(recipient=province.teacher_a)


def test_issue_runs_as_a_job_and_is_idempotent(
    client, province, awarded, django_capture_on_commit_callbacks
):
    client.force_login(province.city_admin)
    url = reverse("manage_certificates:template_issue", args=[awarded.template.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind="certificates.issue")
    assert response.url == reverse("manage:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.result, job.done, job.total) == (
        "succeeded",
        {"issued": 2, "rendered": 2},
        4,
        4,
    )
    assert all(c.pdf for c in Certificate.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Certificate.objects.count() == 2
    assert Job.objects.filter(kind="certificates.issue").latest("id").result == {
        "issued": 0,
        "rendered": 0,
    }


def test_another_units_certificate_and_template_answer_404(client, province, awarded, issued):
    client.force_login(province.county_a_admin)
    for url in (
        reverse("manage_certificates:certificate_detail", args=[issued.pk]),
        reverse("manage_certificates:certificate_download", args=[issued.pk]),
        reverse("manage_certificates:template_detail", args=[awarded.template.pk]),
        reverse("manage_certificates:template_preview", args=[awarded.template.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("manage_certificates:certificate_revoke", args=[issued.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert (
        client.post(
            reverse("manage_certificates:template_issue", args=[awarded.template.pk])
        ).status_code
        == 404
    )
    listing = client.get(reverse("manage_certificates:certificate_list"))
    assert list(listing.context["page"]) == []
    # Another teacher's certificate is 404 in 我的证书.
    client.force_login(province.teacher_b)
    for name in ("certificate_download", "certificate_share", "certificate_qr"):
        assert client.get(reverse(f"portal:{name}", args=[issued.pk])).status_code == 404


def test_city_admin_sees_lists_and_revokes(client, province, issued):
    client.force_login(province.city_admin)
    listing = client.get(reverse("manage_certificates:certificate_list"), {"q": "王"})
    assert [c.serial for c in listing.context["page"]] == [issued.serial]
    response = client.post(
        reverse("manage_certificates:certificate_revoke", args=[issued.pk]),
        {"reason": "异议成立"},
    )
    assert response.status_code == 302
    issued.refresh_from_db()
    assert (issued.state, issued.revoked_reason) == ("revoked", "异议成立")


def test_my_certificates_download_and_share(client, province, issued, settings):
    client.force_login(province.teacher_a)
    page = client.get(reverse("portal:my_certificates"))
    assert [c.serial for c in page.context["certificates"]] == [issued.serial]
    response = client.get(reverse("portal:certificate_download", args=[issued.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    share = client.get(reverse("portal:certificate_share", args=[issued.pk]))
    assert share.context["verify_url"] == settings.SITE_URL.rstrip("/") + reverse(
        "public:certificate_verify", args=[issued.payload]
    )
    qr = client.get(reverse("portal:certificate_qr", args=[issued.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_verify_page_and_lookup_show_only_the_certificate(client, issued):
    page = client.get(reverse("public:certificate_verify", args=[issued.payload]))
    assert page.context["verdict"].status == "valid"
    body = page.content.decode()
    assert "服务器核验：证书有效" in body and issued.serial in body
    assert f'data-payload="{issued.payload}"' in body
    # Serial alone finds nothing; serial and the printed name together find it.
    lookup = reverse("public:certificate_lookup")
    alone = client.get(lookup, {"serial": issued.serial, "name": "李老师"})
    assert alone.context["verdict"] is None and "没有找到" in alone.content.decode()
    found = client.get(lookup, {"serial": issued.serial, "name": "王老师"})
    assert found.context["verdict"].certificate == issued
    assert "东湖区实验小学" not in found.content.decode()  # not printed in the fields block
    assert (
        client.get(reverse("public:certificate_verify", args=["garbage"])).context["verdict"].status
        == "forged"
    )


def test_keys_json_is_public(client, keys):
    document = client.get(reverse("public:certificate_keys")).json()
    assert [k["kid"] for k in document["keys"]] == [keys]
    assert (
        document["keys"][0]["crv"] == "Ed25519"
        and "BEGIN CERTIFICATE" in document["keys"][0]["signing_cert"]
    )


def test_template_pages_create_seal_and_preview(client, province, campaign):
    client.force_login(province.city_admin)
    level = campaign.levels.get(key="city")
    response = client.post(
        reverse("manage_certificates:template_create"),
        {
            "level": level.pk,
            "unit_code": province.city.code,
            "title": "荣誉证书",
            "body": "{教师}获{奖项}",
            "orientation": "portrait",
        },
    )
    template = CertificateTemplate.objects.get()
    assert response.url == reverse("manage_certificates:template_detail", args=[template.pk])
    client.post(
        reverse("manage_certificates:authority_add", args=[template.pk]),
        {"name": "青山市教育局", "unit_code": province.city.code},
    )
    authority = template.authorities.get()
    # A seal with a white background is refused with the fix.
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (255, 255, 255)).save(buffer, format="PNG")
    response = client.post(
        reverse("manage_certificates:authority_seal", args=[authority.pk]),
        {"seal": SimpleUploadedFile("seal.png", buffer.getvalue())},
        follow=True,
    )
    assert "印章须为透明背景的 PNG 图片：请去掉白色背景后导出 PNG。" in response.content.decode()
    client.post(
        reverse("manage_certificates:authority_seal", args=[authority.pk]), {"seal": seal_png()}
    )
    authority.refresh_from_db()
    assert authority.seal and len(authority.seal_sha256) == 64
    preview = client.get(reverse("manage_certificates:template_preview", args=[template.pk]))
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF")
    # The county admin may not add a county template for a city level.
    client.force_login(province.county_a_admin)
    response = client.post(
        reverse("manage_certificates:template_create"),
        {
            "level": level.pk,
            "unit_code": province.county_a.code,
            "title": "x",
            "body": "y",
            "orientation": "portrait",
        },
    )
    assert "市级遴选由" in response.content.decode()
