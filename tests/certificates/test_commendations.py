"""Certificates for commended units (issue 9 item 6): commendations scoped to the admin's
subtree and audited; unit certificates through the same pipeline (serial, QR payload, PDF,
verify, revocation); the commended unit's admins see and download theirs (404 elsewhere)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.api.conftest import NOT_FOUND, api_as  # noqa: F401  (fixture)
from tests.certificates.conftest import seal_png
from tests.selection.conftest import level
from youke.certificates.domain import issuing
from youke.certificates.domain.commendations import commend_unit
from youke.certificates.domain.credential import check_credential, credential_jwt
from youke.certificates.domain.revocation import revoke_certificate
from youke.certificates.domain.templates import (
    DEFAULT_UNIT_BODY,
    add_authority,
    save_template,
    set_seal,
)
from youke.certificates.domain.verify import check_pdf, verdict
from youke.certificates.enums import RecipientKind, VerifyStatus
from youke.certificates.models import Certificate, Commendation
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_template(province, campaign, keys):
    actor = Actor(province.city_admin)
    template = save_template(
        actor,
        campaign=campaign,
        level=level(campaign, "city"),
        unit=province.city,
        title="荣誉证书",
        body=DEFAULT_UNIT_BODY,
        orientation="landscape",
        recipient_kind=RecipientKind.UNIT,
    )
    authority = add_authority(actor, template, unit=province.city, name="青山市教育局")
    set_seal(actor, authority, seal_png())
    return template


def _commend(province, campaign, unit, **extra):
    return commend_unit(
        Actor(province.city_admin),
        level=level(campaign, "city"),
        issuer=province.city,
        unit=unit,
        title=extra.get("title", "优秀组织单位"),
        reason=extra.get("reason", "组织晒课覆盖全区学校"),
    )


def test_commendation_is_scoped_and_audited(province, campaign):
    commendation = _commend(province, campaign, province.county_a)
    assert (commendation.issuer, commendation.unit, commendation.title) == (
        province.city,
        province.county_a,
        "优秀组织单位",
    )
    log = AuditEvent.objects.filter(object_type__icontains="commendation").get()
    assert (log.reason, log.after["unit"]) == ("组织晒课覆盖全区学校", "东湖区")
    with pytest.raises(ValidationError):
        _commend(province, campaign, province.county_a)  # once per title and level
    with pytest.raises(ValidationError):
        _commend(province, campaign, province.city)  # not below itself
    with pytest.raises(ValidationError):
        _commend(province, campaign, province.county_b, reason=" ")
    with pytest.raises(PermissionDenied):
        commend_unit(
            Actor(province.county_a_admin),
            level=level(campaign, "city"),
            issuer=province.city,
            unit=province.county_a,
            title="优秀组织单位",
            reason="越权",
        )


def test_unit_certificates_issue_verify_and_revoke_like_teachers(
    province, campaign, unit_template, tmp_path
):
    """R13: a unit certificate is verified by QR, CLI, PAdES and credential alike."""
    for unit in (province.county_a, province.county_b):
        _commend(province, campaign, unit)
    actor = Actor(province.city_admin)
    assert issuing.missing_count(unit_template) == 2
    assert issuing.issue_missing(actor, unit_template) == 2
    assert issuing.issue_missing(actor, unit_template) == 0
    assert issuing.render_missing(unit_template) == 2
    certificate = Certificate.objects.get(commendation__unit=province.county_a)
    assert (certificate.recipient, certificate.award) == (None, None)
    assert certificate.serial == "990100-2026-000001"
    assert {k: certificate.fields[k] for k in "nals"} == {
        "n": "东湖区",
        "a": "优秀组织单位",
        "l": "市级遴选",
        "s": "990100-2026-000001",
    }
    assert "i" not in certificate.fields
    assert verdict(certificate.payload).status == VerifyStatus.VALID
    path = tmp_path / "unit.pdf"
    path.write_bytes(certificate.pdf.read())
    report = check_pdf(path)
    assert report.ok, report.lines
    assert issuing.context_of(certificate)["单位"] == "东湖区"
    token = credential_jwt(certificate)
    assert check_credential(token).status == VerifyStatus.VALID
    with pytest.raises(ValidationError) as refused:
        save_template(
            actor,
            campaign=campaign,
            level=unit_template.level,
            unit=province.city,
            title="荣誉证书",
            body=DEFAULT_UNIT_BODY,
            orientation="landscape",
            template=unit_template,
            recipient_kind=RecipientKind.TEACHER,
        )
    assert refused.value.message_dict == {
        "recipient_kind": ["该模板已签发证书，不能再改变发证对象：请另建一个模板。"]
    }
    revoke_certificate(actor, certificate, "材料不实")
    assert verdict(certificate.payload).status == VerifyStatus.REVOKED
    assert check_credential(token).status == VerifyStatus.REVOKED


def test_teacher_template_does_not_issue_commendations(province, campaign, awarded):
    _commend(province, campaign, province.county_a)
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    assert not Certificate.objects.filter(commendation__isnull=False).exists()


def test_unit_admins_see_and_download_their_certificates_only(
    province, campaign, unit_template, client
):
    for unit in (province.county_a, province.county_b):
        _commend(province, campaign, unit)
    issuing.issue_missing(Actor(province.city_admin), unit_template)
    mine = Certificate.objects.get(commendation__unit=province.county_a)
    theirs = Certificate.objects.get(commendation__unit=province.county_b)
    client.force_login(province.county_a_admin)
    page = client.get(reverse("manage_certificates:unit_certificates"))
    assert [c.serial for c in page.context["page"]] == [mine.serial]
    download = client.get(reverse("manage_certificates:unit_certificate_download", args=[mine.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = client.get(reverse("manage_certificates:unit_certificate_download", args=[theirs.pk]))
    assert other.status_code == 404
    # The city (issuer) sees both in its own list and its commendations page.
    client.force_login(province.city_admin)
    listed = client.get(reverse("manage_certificates:commendation_list"))
    assert [c.unit.name for c in listed.context["page"]] == ["西岭县", "东湖区"]
    revoke_certificate(Actor(province.city_admin), mine, "材料不实")
    client.force_login(province.county_a_admin)
    refused = client.get(reverse("manage_certificates:unit_certificate_download", args=[mine.pk]))
    assert refused.url == reverse("manage_certificates:unit_certificates")


def test_commend_page_creates_and_names_errors(province, campaign, client):
    client.force_login(province.city_admin)
    url = reverse("manage_certificates:commendation_list")
    body = {
        "level": level(campaign, "city").pk,
        "issuer_code": province.city.code,
        "unit_code": province.county_b.code,
        "title": "优秀组织单位",
        "reason": "组织有力",
    }
    assert client.post(url, body).status_code == 302
    assert Commendation.objects.get().unit == province.county_b
    again = client.post(url, body)
    assert "西岭县已在市级遴选获评“优秀组织单位”，无需重复表彰。" in again.content.decode()
    client.force_login(province.county_a_admin)
    outside = client.post(url, {**body, "unit_code": province.county_a.code, "title": "先进"})
    assert "单位代码不存在或不在您的管理范围内，请核对。" in outside.content.decode()
    assert Commendation.objects.count() == 1
    # The county admin does not see the city's commendations.
    assert list(client.get(url).context["page"]) == []


def _queries(fetch) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured)


def test_lists_query_count_is_flat(province, campaign, unit_template, client, api_as):  # noqa: F811
    """Fixed query counts, 1 item vs 3: commendations (page and API), unit certificates
    (page and API)."""
    client.force_login(province.city_admin)
    city_api = api_as(province.city_admin)
    fetches = (
        lambda: client.get(reverse("manage_certificates:commendation_list")),
        lambda: client.get(reverse("manage_certificates:unit_certificates")),
        lambda: city_api.get("/certificates/commendations"),
        lambda: city_api.get("/certificates/unit-certificates"),
    )
    _commend(province, campaign, province.county_a)
    issuing.issue_missing(Actor(province.city_admin), unit_template)
    one = [_queries(fetch) for fetch in fetches]
    _commend(province, campaign, province.county_b)
    _commend(province, campaign, province.school_a)
    issuing.issue_missing(Actor(province.city_admin), unit_template)
    assert Certificate.objects.filter(commendation__isnull=False).count() == 3
    assert [_queries(fetch) for fetch in fetches] == one


def test_api_commend_and_list_scoped(province, campaign, unit_template, api_as):  # noqa: F811
    body = {
        "level": level(campaign, "city").pk,
        "issuer": province.city.pk,
        "unit": province.county_a.pk,
        "title": "优秀组织单位",
        "reason": "组织有力",
    }
    outside = api_as(province.county_b_admin).post("/certificates/commendations", body)
    assert (outside.status_code, outside.json()) == (404, NOT_FOUND)
    made = api_as(province.city_admin).post("/certificates/commendations", body)
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("title", "reason")} == {
        "title": "优秀组织单位",
        "reason": "组织有力",
    }
    assert made.json()["unit"] == {"id": province.county_a.pk, "name": "东湖区", "code": "990101"}
    again = api_as(province.city_admin).post("/certificates/commendations", body)
    assert again.status_code == 422
    listed = api_as(province.city_admin).get("/certificates/commendations").json()
    assert [c["unit"]["name"] for c in listed["items"]] == ["东湖区"]
    assert api_as(province.county_b_admin).get("/certificates/commendations").json() == {
        "items": [],
        "count": 0,
    }
    issuing.issue_missing(Actor(province.city_admin), unit_template)
    own = api_as(province.county_a_admin).get("/certificates/unit-certificates").json()
    assert [(c["serial"], c["title"], c["state"]) for c in own["items"]] == [
        ("990100-2026-000001", "优秀组织单位", "valid")
    ]
    assert api_as(province.county_b_admin).get("/certificates/unit-certificates").json() == {
        "items": [],
        "count": 0,
    }


def test_api_downloads_a_unit_certificate_for_its_unit_and_issuer_only(
    province,
    campaign,
    unit_template,
    awarded,
    api_as,  # noqa: F811
):
    _commend(province, campaign, province.county_a)
    issuing.issue_missing(Actor(province.city_admin), unit_template)
    certificate = Certificate.objects.get(commendation__unit=province.county_a)
    path = f"/certificates/unit-certificates/{certificate.pk}/pdf"
    for person in (province.county_a_admin, province.city_admin, province.province_admin):
        response = api_as(person).get(path)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{certificate.serial}.pdf"'
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Another county's admin, a school below the commended county, a teacher: 404.
    for person in (province.county_b_admin, province.school_a_admin, province.teacher_a):
        response = api_as(person).get(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), person
    # A teacher's certificate is not a unit certificate, even for its issuer.
    issuing.issue_missing(Actor(province.city_admin), awarded.template)
    teachers = Certificate.objects.filter(commendation__isnull=True).first()
    response = api_as(province.city_admin).get(f"/certificates/unit-certificates/{teachers.pk}/pdf")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    revoke_certificate(Actor(province.city_admin), certificate, "表彰撤回")
    response = api_as(province.county_a_admin).get(path)
    assert response.status_code == 410
    assert response.json() == {
        "detail": f"证书 {certificate.serial} 已撤销（表彰撤回），不能再下载。如有疑问请联系发证单位。"
    }
