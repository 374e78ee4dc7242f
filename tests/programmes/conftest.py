"""A programme of 青山市 with tasks for 东湖区 (county_a) and 西岭县 (county_b)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401  (fixture for the API tests)
from youke.core.actor import Actor
from youke.programmes.domain import programmes, tasks

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def programme(province, today):
    actor = Actor(province.city_admin)
    made = programmes.create_programme(
        actor,
        owner_unit=province.city,
        name="青山市基础教育课程教学改革深化行动",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        stages=[
            programmes.StageInput(
                "动员部署阶段", datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)
            ),
            programmes.StageInput(
                "实施推进阶段", datetime.date(2025, 7, 1), datetime.date(2027, 6, 30)
            ),
            programmes.StageInput(
                "总结报告阶段", datetime.date(2027, 7, 1), datetime.date(2027, 12, 31)
            ),
        ],
    )
    return made


@pytest.fixture
def area(province, programme):
    return programmes.add_area(Actor(province.city_admin), programme, name="转变教育理念")


def make_task(province, programme, area, *, units, deadline, title="任务", lead="教育科"):
    return tasks.create_task(
        Actor(province.city_admin),
        programme,
        area=area,
        title=title,
        lead_department=lead,
        units=units,
        deadline=deadline,
    )
