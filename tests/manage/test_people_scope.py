"""Pages: a school admin cannot take over a teacher who is also a city expert."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from youke.orgs.enums import Role
from youke.orgs.models import RoleGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province, client):
    RoleGrant.objects.create(person=province.teacher_a, unit=province.city, role=Role.EXPERT)
    client.force_login(province.school_a_admin)
    return province.teacher_a


def test_school_admin_gets_404_on_every_management_action(province, client, scenario):
    teacher = scenario
    grant = RoleGrant.objects.get(person=teacher, role=Role.TEACHER)
    posts = [
        (reverse("manage:person_reset_password", args=[teacher.pk]), {}),
        (reverse("manage:person_set_active", args=[teacher.pk]), {"active": "0", "reason": "x"}),
        (reverse("manage:person_move", args=[teacher.pk]), {"unit_code": province.point_a.code}),
        (reverse("manage:grant_create", args=[teacher.pk]), {"unit_code": "9901010001"}),
        (reverse("manage:grant_revoke", args=[grant.pk]), {}),
        (reverse("manage:expert_areas", args=[teacher.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)
    assert (teacher.is_active, teacher.unit_id) == (True, province.school_a.pk)
    assert RoleGrant.objects.filter(person=teacher).count() == 2


def test_detail_stays_visible_but_offers_no_action(client, scenario):
    teacher = scenario
    url = reverse("manage:person_detail", args=[teacher.pk])
    html = client.get(url).content.decode()
    assert 'id="cannot-manage"' in html
    assert reverse("manage:person_reset_password", args=[teacher.pk]) not in html
    assert reverse("manage:grant_create", args=[teacher.pk]) not in html
    # A forged edit is ignored.
    client.post(url, {"full_name": "冒名", "mobile": teacher.mobile or "", "email": ""})
    teacher.refresh_from_db()
    assert teacher.full_name == "王老师"


def test_city_admin_covering_both_roles_may_reset(province, client, scenario):
    client.force_login(province.city_admin)
    teacher = scenario
    response = client.post(reverse("manage:person_reset_password", args=[teacher.pk]))
    assert response.url == reverse("manage:person_detail", args=[teacher.pk])
    teacher.refresh_from_db()
    assert not teacher.check_password(PASSWORD)
    assert teacher.must_change_password
