"""Role grants: scope, granting and revoking through the domain, 404 outside scope."""

import pytest

from tests.api.conftest import NOT_FOUND, ids
from youke.core.enums import AuditAction
from youke.core.models import AuditEvent
from youke.orgs.enums import Role
from youke.orgs.models import ExpertProfile, RoleGrant


def grant_of(person, role=None):
    grants = person.grants.all()
    return (grants.get(role=role) if role else grants.get()).pk


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (
            "county_a_admin",
            [
                ("county_a_admin", "unit_admin"),
                ("research", "research"),
                ("school_a_admin", "unit_admin"),
                ("teacher_a", "teacher"),
            ],
        ),
        ("county_b_admin", [("county_b_admin", "unit_admin"), ("teacher_b", "teacher")]),
        ("teacher_a", [("teacher_a", "teacher")]),
        ("expert", [("expert", "expert")]),
    ],
)
def test_list_roles_scope(province, api_as, viewer, expected):
    response = api_as(getattr(province, viewer)).get("/roles")
    assert response.status_code == 200
    expected_ids = [grant_of(getattr(province, person), role) for person, role in expected]
    assert sorted(ids(response)) == sorted(expected_ids)
    assert response.json()["count"] == len(expected)


def test_list_roles_fields_and_filters(province, api_as):
    client = api_as(province.city_admin)
    response = client.get("/roles", role="teacher", unit_id=province.school_b.pk)
    grant = RoleGrant.objects.get(person=province.teacher_b)
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["created_at"]
    del item["created_at"]
    assert item == {
        "id": grant.pk,
        "role": "teacher",
        "role_label": "教师",
        "person": {"id": province.teacher_b.pk, "username": "teacherb", "full_name": "李老师"},
        "unit": {"id": province.school_b.pk, "name": "西岭县第一中学", "code": "9901020001"},
        "granted_by_id": None,
    }
    assert ids(client.get("/roles", person_id=province.expert.pk)) == [grant_of(province.expert)]
    assert ids(client.get("/roles", role="research")) == [grant_of(province.research)]


def test_grant_role(province, api_as):
    response = api_as(province.county_a_admin).post(
        "/roles",
        {"person_id": province.teacher_a.pk, "unit_id": province.school_a.pk, "role": "expert"},
    )
    assert response.status_code == 201
    grant = RoleGrant.objects.get(person=province.teacher_a, role=Role.EXPERT)
    body = response.json()
    assert (body["id"], body["role"], body["unit"]["id"], body["granted_by_id"]) == (
        grant.pk,
        "expert",
        province.school_a.pk,
        province.county_a_admin.pk,
    )
    assert ExpertProfile.objects.filter(person=province.teacher_a).exists()
    event = AuditEvent.objects.get(action=AuditAction.GRANT)
    assert (event.actor, event.object_id) == (province.county_a_admin, str(grant.pk))


@pytest.mark.parametrize(
    ("viewer", "person", "unit"),
    [
        ("county_a_admin", "teacher_a", "county_b"),  # unit outside the admin's subtree
        ("county_a_admin", "teacher_b", "school_a"),  # person outside the admin's subtree
        ("county_a_admin", "teacher_a", "city"),  # unit above the subtree
        ("teacher_a", "teacher_a", "school_a"),  # own unit is visible, not administered
        ("school_a_admin", "research", "school_a"),  # research sits above school A
    ],
)
def test_grant_role_out_of_scope_is_404(province, api_as, viewer, person, unit):
    before = RoleGrant.objects.count()
    response = api_as(getattr(province, viewer)).post(
        "/roles",
        {
            "person_id": getattr(province, person).pk,
            "unit_id": getattr(province, unit).pk,
            "role": "unit_admin",
        },
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert RoleGrant.objects.count() == before


def test_grant_role_on_inactive_unit_is_422(province, api_as):
    province.point_a.is_active = False
    province.point_a.save(update_fields=["is_active"])
    response = api_as(province.county_a_admin).post(
        "/roles",
        {"person_id": province.teacher_a.pk, "unit_id": province.point_a.pk, "role": "teacher"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": {"unit": ["单位“东湖区实验小学柳村教学点”已停用，不能在其上授予角色。"]}
    }


def test_grant_role_invalid_role_is_422(province, api_as):
    response = api_as(province.county_a_admin).post(
        "/roles",
        {"person_id": province.teacher_a.pk, "unit_id": province.school_a.pk, "role": "mayor"},
    )
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["role"]


def test_revoke_role(province, api_as):
    grant = province.teacher_a.grants.get()
    response = api_as(province.school_a_admin).delete(f"/roles/{grant.pk}?reason=调离")
    assert (response.status_code, response.content) == (204, b"")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.REVOKE)
    assert (event.actor, event.reason, event.before["role"]) == (
        province.school_a_admin,
        "调离",
        "teacher",
    )


@pytest.mark.parametrize(
    ("viewer", "holder"),
    [
        ("county_a_admin", "teacher_b"),
        ("teacher_a", "teacher_a"),  # visible (own grant), but not administered
        ("school_a_admin", "county_a_admin"),
    ],
)
def test_revoke_role_out_of_scope_is_404(province, api_as, viewer, holder):
    grant = getattr(province, holder).grants.get()
    response = api_as(getattr(province, viewer)).delete(f"/roles/{grant.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_revoke_own_admin_role_is_422(province, api_as):
    grant = province.county_a_admin.grants.get()
    response = api_as(province.county_a_admin).delete(f"/roles/{grant.pk}")
    assert response.status_code == 422
    assert response.json() == {
        "detail": {"__all__": ["不能撤销自己的管理员角色，请由上级管理员操作。"]}
    }
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
