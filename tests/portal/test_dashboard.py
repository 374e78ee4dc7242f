import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_dashboard_counts_the_subtree(client, province):
    client.force_login(province.city_admin)
    stats = client.get(reverse("portal:dashboard")).context["stats"]
    assert (stats["counties"], stats["schools"], stats["teaching_points"], stats["teachers"]) == (
        2,
        2,
        1,
        2,
    )


def test_admin_todo_names_missing_contacts(client, province):
    client.force_login(province.county_a_admin)
    todo = client.get(reverse("portal:dashboard")).context["todo"]
    assert todo[0].text.startswith("2 个单位的联系表缺少联系人")


def test_chinese_by_default_whatever_the_browser_says(client, province):
    client.force_login(province.teacher_a)
    response = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "工作台" in response.content.decode()


def test_language_can_be_chosen(client, province):
    client.force_login(province.teacher_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/dashboard/"})
    response = client.get(reverse("portal:dashboard"))
    assert response.headers["Content-Language"] == "en"


def test_a_language_choice_does_not_leak_into_the_thread(client, province):
    from django.utils import translation

    client.force_login(province.teacher_a)
    client.cookies["django_language"] = "en"
    client.get(reverse("portal:dashboard"))
    assert translation.get_language() == "zh-hans"
