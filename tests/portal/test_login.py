import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from youke.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def login(client, name, password):
    return client.post(reverse("portal:login"), {"login": name, "password": password})


def test_login_by_username_or_mobile(client, province):
    assert login(client, "teachera", PASSWORD).url == reverse("portal:dashboard")
    client.logout()
    assert login(client, province.teacher_a.mobile, PASSWORD).url == reverse("portal:dashboard")
    assert AuditEvent.objects.filter(action="login", actor=province.teacher_a).count() == 2


def test_failed_logins_are_rate_limited(client, province, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert "密码不正确" in login(client, "teachera", "wrong").content.decode()
    # Even the right password is refused while the account is locked.
    response = login(client, "teachera", PASSWORD)
    assert "暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_first_login_forces_password_change(client, province):
    teacher = province.teacher_a
    teacher.must_change_password = True
    teacher.save()
    login(client, "teachera", PASSWORD)
    assert client.get(reverse("portal:dashboard")).url == reverse("portal:password_change")
    response = client.post(
        reverse("portal:password_change"),
        {
            "old_password": PASSWORD,
            "new_password": "Qingshan-2027!",
            "new_password2": "Qingshan-2027!",
        },
    )
    assert response.url == reverse("portal:dashboard")
    teacher.refresh_from_db()
    assert not teacher.must_change_password
    assert teacher.check_password("Qingshan-2027!")


def test_weak_new_password_keeps_the_old_one(client, province):
    province.teacher_a.must_change_password = True
    province.teacher_a.save()
    login(client, "teachera", PASSWORD)
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    province.teacher_a.refresh_from_db()
    assert province.teacher_a.check_password(PASSWORD)


def test_role_switch(client, province):
    from tests.factories import make_person  # noqa: F401
    from youke.orgs.models import RoleGrant

    RoleGrant.objects.create(person=province.teacher_a, unit=province.city, role="expert")
    client.force_login(province.teacher_a)
    grant = RoleGrant.objects.get(person=province.teacher_a, role="expert")
    client.post(reverse("portal:switch_role"), {"role": str(grant.pk)})
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "评审专家 · 青山市" in html
    other = RoleGrant.objects.get(person=province.teacher_b)
    assert client.post(reverse("portal:switch_role"), {"role": str(other.pk)}).status_code == 404
