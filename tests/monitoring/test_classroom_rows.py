"""The 三个课堂 rows beside a campaign's: the dashboard links to the running term's
figures, and a campaign cannot take a target for a per-term indicator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from youke.classrooms.domain import timetable
from youke.core.actor import Actor
from youke.monitoring.domain import classroom_source, targets
from youke.monitoring.models import Indicator

pytestmark = pytest.mark.django_db


def test_dashboard_links_to_the_term_and_campaign_targets_refuse_term_rows(client, province, tree):
    today = timezone.localdate()
    term = timetable.create_term(
        Actor(province.county_a_admin),
        province.county_a,
        name="本学期",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
    )
    client.force_login(province.city_admin)
    body = client.get(
        f"/manage/monitoring/?campaign={tree.campaign.pk}&unit={province.county_a.pk}"
    ).content.decode()
    assert 'id="classroom-indicators"' in body
    assert f"?unit={province.county_a.pk}&term={term.pk}" in body
    assert "名师任务完成率" in body
    classroom_source.ensure_defaults()
    with pytest.raises(ValidationError):
        targets.set_campaign_target(
            Actor(province.province_admin),
            tree.campaign,
            Indicator.objects.get(key="cls_duty_rate"),
            "",
            Decimal(90),
        )
    keys = {t.indicator.key for t in targets.campaign_targets(tree.campaign)}
    assert keys and not any(key.startswith("cls_") for key in keys)
