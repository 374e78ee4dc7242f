"""The blind-review cut (issue 7 item 1) is a campaign setting edited with the others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.campaigns.test_pages import published, url  # noqa: F401  (fixture)
from youke.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def test_blind_cut_is_edited_on_the_settings_page(client, province, published):  # noqa: F811
    assert published.blind_cut_seconds == Decimal("5.0")
    client.force_login(province.city_admin)
    page = client.get(url("campaign_edit", published.pk))
    form = page.context["form"]
    assert "blind_cut_seconds" in form.sections[0][1]
    assert form["blind_cut_seconds"].value() == Decimal("5.0")
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    for key in ("opens_at", "closes_at", *[k for k in data if k.startswith("level_")]):
        data[key] = data[key].strftime("%Y-%m-%dT%H:%M")
    data["blind_cut_seconds"] = "61"
    response = client.post(url("campaign_edit", published.pk), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["blind_cut_seconds"]
    assert 'value="61"' in response.content.decode()  # what was typed stays
    data["blind_cut_seconds"] = "7.5"
    response = client.post(url("campaign_edit", published.pk), data)
    assert response.status_code == 302
    assert Campaign.objects.get(pk=published.pk).blind_cut_seconds == Decimal("7.5")
