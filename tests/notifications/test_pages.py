import copy

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from youke.notifications.context_processors import unread
from youke.notifications.domain.notify import notify
from youke.notifications.models import Notification

pytestmark = pytest.mark.django_db

PROCESSOR = "youke.notifications.context_processors.unread"


@pytest.fixture(autouse=True)
def _badge(settings):
    """The navbar count, as the settings will register it."""
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if PROCESSOR not in processors:
        processors.append(PROCESSOR)
    settings.TEMPLATES = templates


def test_list_shows_unread_first_and_marks_read(client, province):
    old = notify(province.teacher_a, "award", title="旧通知", body="已读的")
    notify(province.teacher_a, "recommended", title="新通知", body="未读的")
    Notification.objects.filter(pk=old.pk).update(read_at="2026-01-01T00:00:00Z")
    first = notify(province.teacher_a, "returned", title="最早未读", body="请修改", url="/my/")
    Notification.objects.filter(pk=first.pk).update(created_at="2025-01-01T00:00:00Z")
    notify(province.teacher_b, "award", title="别人的", body="")
    client.force_login(province.teacher_a)

    response = client.get(reverse("notifications:list"))
    assert [n.title for n in response.context["page"]] == ["新通知", "最早未读", "旧通知"]
    assert response.context["unread_notifications"] == 2

    response = client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})
    assert (response.status_code, response["Location"]) == (302, "/my/")
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post(reverse("notifications:read_all"))
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # teacher_b's


def test_another_persons_notification_is_404(client, province):
    other = notify(province.teacher_b, "award", title="别人的", body="")
    client.force_login(province.teacher_a)
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    assert client.get(reverse("notifications:read", args=[other.pk])).status_code == 405


def test_list_requires_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_unread_count_is_one_query(province, count):
    for i in range(count):
        notify(province.teacher_a, "award", title=f"通知{i}", body="")
    request = RequestFactory().get("/")
    request.user = province.teacher_a
    with CaptureQueriesContext(connection) as queries:
        assert unread(request) == {"unread_notifications": count}
    assert len(queries) == 1


def test_unread_count_for_anonymous_costs_nothing():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert unread(request) == {"unread_notifications": 0}
    assert len(queries) == 0
