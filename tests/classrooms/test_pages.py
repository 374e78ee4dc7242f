"""Pages and scoping: a receiving school sees only its own groups; another county gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.classrooms.conftest import add_period
from tests.factories import make_admin
from youke.classrooms import rules
from youke.classrooms.domain import feeds, sessions
from youke.classrooms.enums import ViewPermission
from youke.classrooms.models import Attendance, ClassSession, DeliveryGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(province, setup):
    period = add_period(province, setup.group, live_url="https://meeting.tencent.com/dm/abc")
    sessions.generate_sessions([setup.group], now=timezone.make_aware(dt.datetime(2026, 8, 1)))
    return period


def test_scoping_table(province, setup):
    point_admin = make_admin(province.point_a, username="pointadmin")
    visible = {
        "county_a_admin": True,
        "city_admin": True,
        "school_a_admin": True,  # host school (the point lies under it, too)
        "research": True,
        "county_b_admin": False,
        "teacher_b": False,
    }
    for name, expected in visible.items():
        person = getattr(province, name)
        assert rules.groups_visible_to(person).filter(pk=setup.group.pk).exists() is expected, name
    assert list(rules.groups_visible_to(point_admin)) == [setup.group]
    assert list(rules.groups_visible_to(setup.assistant)) == [setup.group]
    assert not rules.groups_visible_to(setup.other_admin).exists()


def test_other_county_and_other_school_get_404(client, province, setup, generated):
    session = ClassSession.objects.first()
    urls = [
        reverse("manage_classrooms:group_detail", args=[setup.group.pk]),
        reverse("portal_classrooms:session", args=[session.pk]),
        reverse("portal_classrooms:classroom_record", args=[setup.classroom.pk]),
    ]
    client.force_login(province.county_b_admin)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(setup.other_admin)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(province.county_a_admin)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_register_group_and_refused_period_keeps_the_form(client, province, setup):
    client.force_login(province.county_a_admin)
    response = client.post(
        reverse("manage_classrooms:group_create"),
        {
            "unit": province.county_a.pk,
            "term": setup.term.pk,
            "name": "实验小学—二小",
            "mode": "school_schools",
            "host_school_code": province.school_a.code,
            "host_classroom": "录播教室二",
            "subjects": "英语、科学",
        },
    )
    group = DeliveryGroup.objects.get(name="实验小学—二小")
    assert response.url == reverse("manage_classrooms:group_detail", args=[group.pk])
    assert group.subjects == ["英语", "科学"]
    add_period(province, setup.group)
    response = client.post(
        reverse("manage_classrooms:period_add", args=[group.pk]),
        {
            "period-subject": "科学",
            "period-host_teacher_username": "teachera",
            "period-weekday": "0",
            "period-starts_at": "08:10",
            "period-ends_at": "08:50",
            "period-rrule": "FREQ=WEEKLY",
            "period-view_permission": "public",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "主讲教师王老师 在“实验小学—柳村教学点”的英语课（周一 08:00–08:40）" in page
    assert 'value="08:10"' in page  # what was typed is still there
    assert group.periods.count() == 0


def test_registry_page_lists_missing_subjects(client, province, setup):
    client.force_login(province.county_a_admin)
    response = client.get(
        reverse("manage_classrooms:registry"), {"term": setup.term.pk, "unit": province.county_a.pk}
    )
    rows = {row.school_name: row for row in response.context["registry_rows"]}
    assert (
        "东湖区第二小学",
        "学校",
        "—",
        "—",
        "英语、音乐、美术、科学、信息科技、道德与法治、体育与健康",
    ) in response.context["rows"]
    point = rows["东湖区实验小学柳村教学点"]
    assert point.covered == ["英语", "音乐"]
    assert point.missing == ["美术", "科学", "信息科技", "道德与法治", "体育与健康"]
    assert rows["东湖区第二小学"].covered == []
    assert "东湖区实验小学" not in rows  # the host school teaches; it is not listed as lacking


def test_week_view_session_start_and_phone_attendance(client, province, setup, generated):
    session = ClassSession.objects.order_by("starts_at").first()
    client.force_login(province.teacher_a)
    response = client.get(reverse("portal_classrooms:week"), {"date": "2026-09-09"})
    week = [s for _day, items in response.context["days"] for s, _label in items]
    assert week == [session]
    assert list(response.context["hosted"]) == [setup.classroom]
    feed_url = response.context["feed_url"]
    assert feed_url.endswith(".ics")
    client.force_login(setup.assistant)
    url = reverse("portal_classrooms:attendance", args=[session.pk, setup.classroom.pk])
    assert client.get(url).context["form"].initial == {"expected": 12}
    response = client.post(url, {"expected": 12, "present": 10, "notes": "两人病假"})
    assert response.url == reverse("portal_classrooms:session", args=[session.pk])
    row = Attendance.objects.get()
    assert (row.present, row.notes, row.recorded_by) == (10, "两人病假", setup.assistant)
    client.logout()
    response = client.get(feed_url.split("testserver")[1])
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["url"]) == "https://meeting.tencent.com/dm/abc"


def test_live_page_follows_view_permission(client, province, setup, generated):
    session = ClassSession.objects.first()
    url = reverse("public_classrooms:live", args=[session.pk])
    assert client.get(url).context["allowed"] is False  # login-only
    generated.view_permission = ViewPermission.PRIVATE
    generated.save()
    assert client.get(url).status_code == 404
    client.force_login(province.teacher_b)
    assert client.get(url).status_code == 404
    client.force_login(setup.assistant)
    assert client.get(url).context["allowed"] is True
    client.logout()
    from django.contrib.auth.hashers import make_password

    generated.view_permission = ViewPermission.PASSWORD
    generated.view_password = make_password("yk2026")
    generated.save()
    assert client.post(url, {"password": "wrong"}).context["wrong_password"] is True
    assert client.post(url, {"password": "yk2026"}).context["allowed"] is True


def test_unknown_feed_token_is_404(client, province, setup):
    feeds.feed_for_classroom(setup.classroom)
    assert client.get(reverse("public_classrooms:feed", args=["nope"])).status_code == 404


def test_list_and_registry_query_counts_do_not_grow(client, province, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from youke.classrooms.domain import timetable
    from youke.core.actor import Actor

    client.force_login(province.county_a_admin)
    urls = [
        reverse("manage_classrooms:index"),
        reverse("manage_classrooms:registry")
        + f"?term={setup.term.pk}&unit={province.county_a.pk}",
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    one = counts()
    for n in range(2):
        group = timetable.register_group(
            Actor(province.county_a_admin),
            province.county_a,
            term=setup.term,
            name=f"第{n}组",
            mode="school_schools",
            host_school=province.school_a,
            host_classroom="录播教室",
            subjects=["科学"],
        )
        timetable.add_classroom(
            Actor(province.county_a_admin),
            group,
            school=setup.other_school,
            name=f"{n}班",
            students=30,
        )
    assert counts() == one
