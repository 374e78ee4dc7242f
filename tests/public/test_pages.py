"""Public publicity pages carry the site header, the authority, the dates and a contact."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import level
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.orgs.enums import ContactRole
from youke.orgs.models import Contact
from youke.selection.models import Publicity

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(province, campaign):  # noqa: F811
    start = timezone.localtime().replace(microsecond=0) - datetime.timedelta(days=1)
    return Publicity.objects.create(
        campaign=campaign,
        level=level(campaign, "city"),
        unit=province.city,
        title="青山市精品课推荐结果公示",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=7),
        created_by=province.city_admin,
    )


def test_list_names_authority_and_dates(client, window):
    html = client.get(reverse("public:publicity_list")).content.decode()
    start = timezone.localtime(window.starts_at).strftime("%Y-%m-%d %H:%M")
    end = timezone.localtime(window.ends_at).strftime("%Y-%m-%d %H:%M")
    assert 'id="site-header"' in html
    assert f"公示单位：青山市 · 公示期：{start} 至 {end}" in html


def test_detail_shows_the_contact_from_the_contact_sheet(client, province, window):
    url = reverse("public:publicity_detail", args=[window.pk])
    html = client.get(url).content.decode()
    assert "联系方式：请向青山市咨询。" in html
    Contact.objects.create(
        unit=province.city,
        role=ContactRole.CONTACT,
        name="孙主任",
        department="电教馆",
        office_phone="0571-88886666",
        mobile="13900001111",
    )
    html = client.get(url).content.decode()
    section = html[html.index('id="publicity-contact"') :]
    assert "公示单位：青山市" in section
    assert "联系人：孙主任（电教馆），电话 0571-88886666" in section
    assert "13900001111" not in html  # a mobile number is personal
    assert 'id="site-header"' in html
