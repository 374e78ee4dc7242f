"""Every admin page renders for its owner with exact content, and hides other units."""

import pytest
from django.urls import reverse

from youke.orgs.models import Person

pytestmark = pytest.mark.django_db


def test_unit_detail_lists_children_and_contacts(client, province):
    client.force_login(province.city_admin)
    response = client.get(reverse("manage:unit_detail", args=[province.city.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "东湖区" in html and "西岭县" in html
    assert "联系表" in html


@pytest.mark.parametrize("name", ["unit_list", "person_list", "import_list", "audit_list"])
def test_admin_lists_render(client, province, name):
    client.force_login(province.county_a_admin)
    response = client.get(reverse(f"manage:{name}"))
    assert response.status_code == 200
    assert "西岭县" not in response.content.decode()


def test_person_list_is_scoped(client, province):
    client.force_login(province.county_a_admin)
    html = client.get(reverse("manage:person_list")).content.decode()
    assert "王老师" in html
    assert "李老师" not in html


def test_other_county_is_404(client, province):
    client.force_login(province.county_a_admin)
    assert client.get(reverse("manage:unit_detail", args=[province.county_b.pk])).status_code == 404
    assert (
        client.get(reverse("manage:person_detail", args=[province.teacher_b.pk])).status_code == 404
    )


def test_teacher_gets_404_on_admin_pages(client, province):
    client.force_login(province.teacher_a)
    assert client.get(reverse("manage:unit_list")).status_code == 404


@pytest.mark.parametrize("username", ["admin", "prov", "countya", "teachera", "expert", "research"])
def test_dashboard_for_every_role(client, province, username):
    client.force_login(Person.objects.get(username=username))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert "工作台" in response.content.decode()
