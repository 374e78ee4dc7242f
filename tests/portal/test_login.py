import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from youke.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def login(client, name, password, ip="127.0.0.1"):
    return client.post(
        reverse("portal:login"), {"login": name, "password": password}, REMOTE_ADDR=ip
    )


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


def test_alternating_username_and_mobile_share_one_counter(client, province, settings):
    settings.LOGIN_MAX_FAILURES = 5
    teacher = province.teacher_a
    names = ["teachera", teacher.mobile, "teachera", teacher.mobile, "teachera"]
    for name in names:
        assert "密码不正确" in login(client, name, "wrong").content.decode()
    # The 6th attempt is refused under either identifier, even with the right password.
    for name in ("teachera", teacher.mobile):
        assert "暂时锁定" in login(client, name, PASSWORD).content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    other = login(client, "teacherb", PASSWORD, ip="10.0.0.9")
    assert other.url == reverse("portal:dashboard")


def test_unknown_names_are_throttled_like_accounts(client, province, settings):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(5):
        assert "密码不正确" in login(client, "nobody", "wrong").content.decode()
    assert "暂时锁定" in login(client, "nobody", "wrong").content.decode()
    # A real account on the same address still has its own tries left.
    assert login(client, "teachera", PASSWORD).url == reverse("portal:dashboard")


def test_one_address_is_locked_after_ten_times_the_account_limit(client, province, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for n in range(20):  # 20 different unknown names, 1 failure each, same address
        assert "密码不正确" in login(client, f"guess{n}", "wrong").content.decode()
    # The address is now locked, even for a real account with the right password ...
    assert "暂时锁定" in login(client, "teachera", PASSWORD).content.decode()
    # ... while the same account from another address logs in.
    assert login(client, "teachera", PASSWORD, ip="10.0.0.7").url == reverse("portal:dashboard")
