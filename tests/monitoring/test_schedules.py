"""Scheduled bulletins: published once per period by the daily job, in the owner's name."""

from __future__ import annotations

import datetime

import pytest

from youke.core.actor import Actor
from youke.monitoring.domain import schedules
from youke.monitoring.models import Bulletin
from youke.orgs.models import RoleGrant

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 3, 2)


def make(province, tree, frequency="weekly"):
    return schedules.create_schedule(
        Actor(province.city_admin),
        unit=province.city,
        campaign=tree.campaign,
        frequency=frequency,
        starts_on=MONDAY,
        title="晒课进展周报",
        doc_prefix="青教电通",
        indicators=["participation", "lessons_per_teacher"],
        is_public=False,
    )


def test_weekly_schedule_publishes_once_per_week(province, tree):
    schedule = make(province, tree)
    assert schedules.publish_due(MONDAY - datetime.timedelta(days=1)) == 0
    assert schedules.publish_due(MONDAY) == 1
    assert schedules.publish_due(MONDAY) == 0  # a rerun of the same day adds nothing
    bulletin = Bulletin.objects.get()
    assert (bulletin.period_start, bulletin.period_end) == (
        datetime.date(2026, 2, 23),
        datetime.date(2026, 3, 1),
    )
    assert bulletin.state == "published" and bulletin.number == 1
    schedule.refresh_from_db()
    assert schedule.next_run == datetime.date(2026, 3, 9)
    assert schedules.publish_due(datetime.date(2026, 3, 9)) == 1
    assert sorted(Bulletin.objects.values_list("number", flat=True)) == [1, 2]


def test_monthly_period_and_owner_losing_the_unit_stops_it(province, tree):
    schedule = make(province, tree, "monthly")
    assert schedules.publish_due(MONDAY) == 1
    schedule.refresh_from_db()
    assert schedule.next_run == datetime.date(2026, 4, 2)
    RoleGrant.objects.filter(person=province.city_admin).delete()
    province.city_admin.active_grants_cache = None
    assert schedules.publish_due(datetime.date(2026, 4, 2)) == 0
    schedule.refresh_from_db()
    assert not schedule.is_active


def test_schedule_scope(client, province, tree):
    schedule = make(province, tree)
    client.force_login(province.county_a_admin)
    assert client.post(f"/manage/monitoring/schedules/{schedule.pk}/stop/").status_code == 404
    client.force_login(province.city_admin)
    page = client.get("/manage/monitoring/bulletins/")
    assert f'data-schedule="{schedule.pk}"' in page.content.decode()
    client.post(f"/manage/monitoring/schedules/{schedule.pk}/stop/")
    schedule.refresh_from_db()
    assert not schedule.is_active


def test_schedule_from_the_compose_page(client, province, tree):
    client.force_login(province.city_admin)
    response = client.post(
        "/manage/monitoring/bulletins/new/",
        {
            "campaign": tree.campaign.pk,
            "unit_code": province.city.code,
            "title": "月报",
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "indicators": ["participation"],
            "frequency": "monthly",
            "starts_on": "2026-04-01",
        },
    )
    assert response.status_code == 302
    schedule = schedules.schedules_visible_to(province.city_admin).get()
    assert (schedule.frequency, schedule.next_run) == ("monthly", datetime.date(2026, 4, 1))
    assert not Bulletin.objects.exists()
