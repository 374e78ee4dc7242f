import pytest
from django.urls import reverse

from youke.core.actor import Actor
from youke.orgs.domain import people, units

pytestmark = pytest.mark.django_db


def test_audit_log_shows_subtree_with_filters(client, province):
    units.update_unit(
        Actor(province.county_a_admin, "10.1.1.1"), province.school_a, address="湖滨路 8 号"
    )
    units.update_unit(Actor(province.county_b_admin), province.school_b, address="岭南路 1 号")
    people.reset_password(Actor(province.county_a_admin), province.teacher_a)
    client.force_login(province.county_a_admin)
    html = client.get(reverse("manage:audit_list")).content.decode()
    assert "湖滨路 8 号" in html and "10.1.1.1" in html
    assert "岭南路 1 号" not in html
    filtered = client.get(reverse("manage:audit_list"), {"action": "password_reset"})
    page = filtered.context["page"]
    assert [e.action for e in page] == ["password_reset"]
    assert [e.object_repr for e in page] == ["王老师"]
