"""Authentication: bearer tokens from `youke token`, sessions, and refusals (401)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.api.conftest import API, ids
from youke.core.enums import AuditAction
from youke.core.models import AuditEvent
from youke.orgs.models import ApiToken

UNAUTHORIZED = "请先登录（已登录的请先修改初始密码），或提供有效的接口令牌。"


def issue_token(username: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


@pytest.mark.parametrize(
    "path", ["/units", "/people", "/roles", "/catalog/nodes", "/units/1", "/people/1"]
)
def test_no_credentials_is_401(province, anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORIZED}


def test_token_command_issues_working_bearer_token(province):
    raw, hint = issue_token("countya", "--label", "报表脚本")

    token = ApiToken.objects.get()
    assert token.person == province.county_a_admin
    assert token.label == "报表脚本"
    assert token.digest == ApiToken.digest_of(raw)
    assert raw not in token.digest and len(raw) >= 43
    assert "只显示这一次" in hint and raw not in hint

    event = AuditEvent.objects.get(action=AuditAction.TOKEN)
    assert (event.actor, event.actor_name, event.object_id) == (None, "system", str(token.pk))
    assert event.after == {"person": province.county_a_admin.pk, "label": "报表脚本"}
    assert event.unit == province.county_a

    response = Client().get(API + "/units", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert ids(response) == [province.county_a.pk, province.school_a.pk, province.point_a.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_token_writes_as_its_person(province):
    raw, _hint = issue_token("countya")
    response = Client().patch(
        API + f"/units/{province.school_a.pk}",
        {"address": "东湖路 1 号"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    assert response.json()["address"] == "东湖路 1 号"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.actor == province.county_a_admin


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Token abc", ""])
def test_bad_bearer_is_401(province, header):
    response = Client().get(API + "/units", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_token_of_deactivated_person_stops_working(province):
    raw, _hint = issue_token("teachera")
    province.teacher_a.is_active = False
    province.teacher_a.save(update_fields=["is_active"])
    response = Client().get(API + "/people", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_token_command_unknown_user(province):
    with pytest.raises(CommandError, match="用户 nobody 不存在，请核对用户名。"):
        issue_token("nobody")
    assert not ApiToken.objects.exists()


def test_token_command_refuses_inactive_user(province):
    province.teacher_b.is_active = False
    province.teacher_b.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="已停用"):
        issue_token("teacherb")


def test_session_auth(province, api_as):
    response = api_as(province.teacher_a).get("/people")
    assert response.status_code == 200
    assert ids(response) == [province.teacher_a.pk]


def test_session_refused_until_initial_password_changed(province, api_as):
    province.teacher_a.must_change_password = True
    province.teacher_a.save(update_fields=["must_change_password"])
    response = api_as(province.teacher_a).get("/people")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORIZED}


def test_session_writes_need_csrf_but_tokens_do_not(province):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(province.county_a_admin)
    url = API + f"/units/{province.school_a.pk}"
    response = browser.patch(url, {"address": "甲"}, content_type="application/json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "CSRF 校验失败，请刷新页面后重试。"},
    )
    assert browser.get(API + "/units").status_code == 200  # safe methods need no token

    raw, _hint = issue_token("countya")
    response = Client(enforce_csrf_checks=True).patch(
        url, {"address": "乙"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert (response.status_code, response.json()["address"]) == (200, "乙")
