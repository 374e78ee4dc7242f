"""People: scope tables, masking of identity data, create/update through the domain."""

import pytest

from tests.api.conftest import NOT_FOUND, ids
from tests.factories import valid_id_card
from youke.core.enums import AuditAction
from youke.core.models import AuditEvent
from youke.orgs import rules
from youke.orgs.enums import Role
from youke.orgs.models import ExpertProfile, Person

ALL_PEOPLE = [
    "admin",
    "prov",
    "city",
    "countya",
    "countyb",
    "schoola",
    "teachera",
    "teacherb",
    "expert",
    "research",
]


def usernames(response) -> set[str]:
    return {item["username"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("county_a_admin", {"countya", "research", "schoola", "teachera"}),
        ("county_b_admin", {"countyb", "teacherb"}),
        (
            "city_admin",
            {"city", "expert", "countya", "countyb", "research", "schoola", "teachera", "teacherb"},
        ),
        ("school_a_admin", {"schoola", "teachera"}),
        ("teacher_a", {"teachera"}),
        ("expert", {"expert"}),
        ("platform_admin", set(ALL_PEOPLE)),
    ],
)
def test_list_people_scope(province, api_as, viewer, expected):
    response = api_as(getattr(province, viewer)).get("/people")
    assert response.status_code == 200
    assert usernames(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("viewer", "target", "visible"),
    [
        ("county_a_admin", "teacher_a", True),
        ("county_a_admin", "research", True),
        ("county_a_admin", "teacher_b", False),
        ("county_a_admin", "county_b_admin", False),
        ("county_a_admin", "city_admin", False),
        ("city_admin", "teacher_a", True),
        ("city_admin", "teacher_b", True),
        ("city_admin", "province_admin", False),
        ("teacher_a", "teacher_a", True),
        ("teacher_a", "school_a_admin", False),
    ],
)
def test_get_person_scope(province, api_as, viewer, target, visible):
    person = getattr(province, target)
    response = api_as(getattr(province, viewer)).get(f"/people/{person.pk}")
    if visible:
        assert response.status_code == 200
        assert (response.json()["id"], response.json()["full_name"]) == (
            person.pk,
            person.full_name,
        )
    else:
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_get_person_fields(province, api_as):
    teacher = province.teacher_a
    teacher.id_card = valid_id_card(4321)
    teacher.title = "backbone"
    teacher.save(update_fields=["id_card", "title"])
    response = api_as(province.county_a_admin).get(f"/people/{teacher.pk}")
    grant = teacher.grants.get()
    assert response.json() == {
        "id": teacher.pk,
        "username": "teachera",
        "full_name": "王老师",
        "mobile": teacher.mobile,
        "id_card_masked": "**************" + teacher.id_card[-4:],
        "email": "",
        "title": "backbone",
        "title_label": "骨干教师",
        "unit": {"id": province.school_a.pk, "name": "东湖区实验小学", "code": "9901010001"},
        "is_active": True,
        "must_change_password": False,
        "roles": [
            {
                "id": grant.pk,
                "role": "teacher",
                "role_label": "教师",
                "unit": {
                    "id": province.school_a.pk,
                    "name": "东湖区实验小学",
                    "code": "9901010001",
                },
            }
        ],
    }
    assert teacher.id_card not in response.content.decode()


def test_mobile_masked_when_identity_not_visible(province, api_as, monkeypatch):
    monkeypatch.setattr(rules, "can_see_full_identity", lambda viewer, person: False)
    body = api_as(province.county_a_admin).get(f"/people/{province.teacher_a.pk}").json()
    mobile = province.teacher_a.mobile
    assert body["mobile"] == mobile[:3] + "****" + mobile[-4:]


def test_roles_on_out_of_scope_units_are_hidden(province, api_as):
    # research (county A) also advises county B: county A's admin must not see that grant
    province.research.grants.create(unit=province.county_b, role=Role.RESEARCH)
    body = api_as(province.county_a_admin).get(f"/people/{province.research.pk}").json()
    assert [r["unit"]["id"] for r in body["roles"]] == [province.county_a.pk]
    body = api_as(province.city_admin).get(f"/people/{province.research.pk}").json()
    assert [r["unit"]["id"] for r in body["roles"]] == [province.county_a.pk, province.county_b.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit_id": "county_a"}, {"countya", "research", "schoola", "teachera"}),
        ({"unit_id": "school_b"}, {"teacherb"}),
        ({"role": "teacher"}, {"teachera", "teacherb"}),
        ({"role": "unit_admin", "unit_id": "county_b"}, {"countyb"}),
        ({"q": "王"}, {"teachera"}),
        ({"q": "county"}, {"countya", "countyb"}),
        ({"title": "master"}, {"teacherb"}),
        ({"is_active": "false"}, {"expert"}),
    ],
)
def test_list_people_filters(province, api_as, query, expected):
    Person.objects.filter(pk=province.teacher_b.pk).update(title="master")
    Person.objects.filter(pk=province.expert.pk).update(is_active=False)
    params = {k: (getattr(province, v).pk if k == "unit_id" else v) for k, v in query.items()}
    assert usernames(api_as(province.city_admin).get("/people", **params)) == expected


def test_list_people_search_by_mobile(province, api_as):
    response = api_as(province.city_admin).get("/people", q=province.teacher_b.mobile)
    assert ids(response) == [province.teacher_b.pk]


def test_filter_out_of_scope_unit_is_empty(province, api_as):
    response = api_as(province.county_a_admin).get("/people", unit_id=province.county_b.pk)
    assert (response.json()["count"], ids(response)) == (0, [])


def new_person(province, **overrides) -> dict:
    return {
        "unit_id": province.school_a.pk,
        "full_name": "孙老师",
        "mobile": "13912345678",
        "id_card": valid_id_card(777),
        "email": "sun@example.com",
        "title": "backbone",
        "roles": ["teacher", "expert"],
        **overrides,
    }


def test_create_person(province, api_as):
    response = api_as(province.county_a_admin).post("/people", new_person(province))
    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get(mobile="13912345678")
    password = body.pop("initial_password")
    assert len(password) == 10 and person.check_password(password)
    grants = {g.role: g.pk for g in person.grants.all()}
    school = {"id": province.school_a.pk, "name": "东湖区实验小学", "code": "9901010001"}
    assert body == {
        "id": person.pk,
        "username": "13912345678",
        "full_name": "孙老师",
        "mobile": "13912345678",
        "id_card_masked": "**************" + valid_id_card(777)[-4:],
        "email": "sun@example.com",
        "title": "backbone",
        "title_label": "骨干教师",
        "unit": school,
        "is_active": True,
        "must_change_password": True,
        "roles": [
            {"id": grants["teacher"], "role": "teacher", "role_label": "教师", "unit": school},
            {"id": grants["expert"], "role": "expert", "role_label": "评审专家", "unit": school},
        ],
    }
    assert valid_id_card(777) not in response.content.decode()
    assert ExpertProfile.objects.filter(person=person).exists()
    actions = sorted(
        AuditEvent.objects.filter(actor=province.county_a_admin).values_list("action", flat=True)
    )
    assert actions == ["create", "grant", "grant"]
    # the password is shown once: reading the person back never returns it
    again = api_as(province.county_a_admin).get(f"/people/{person.pk}").json()
    assert "initial_password" not in again


def test_create_person_with_explicit_username(province, api_as):
    response = api_as(province.county_a_admin).post(
        "/people", new_person(province, username="sunls", mobile=None, id_card=None, roles=[])
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["username"], body["mobile"], body["id_card_masked"], body["roles"]) == (
        "sunls",
        "",
        "",
        [],
    )


@pytest.mark.parametrize(
    ("viewer", "unit"),
    [
        ("county_a_admin", "school_b"),
        ("teacher_a", "school_a"),
    ],
)
def test_create_person_out_of_scope_is_404(province, api_as, viewer, unit):
    before = Person.objects.count()
    response = api_as(getattr(province, viewer)).post(
        "/people", new_person(province, unit_id=getattr(province, unit).pk)
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Person.objects.count() == before


def test_invalid_id_card_is_422(province, api_as):
    good = valid_id_card(555)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = api_as(province.county_a_admin).post("/people", new_person(province, id_card=bad))
    assert response.status_code == 422
    assert response.json() == {
        "detail": {"id_card": ["身份证号校验位不正确（GB 11643），请核对每一位数字后重新填写。"]}
    }
    assert not Person.objects.filter(full_name="孙老师").exists()


def test_duplicate_mobile_is_422(province, api_as):
    taken = province.teacher_b.mobile  # in county B: uniqueness is platform-wide
    response = api_as(province.county_a_admin).post("/people", new_person(province, mobile=taken))
    assert response.status_code == 422
    assert response.json() == {
        "detail": {"mobile": [f"手机号 {taken} 已被其他账号使用；同一人请勿重复建号。"]}
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"id_card": "12345"},
            {
                "id_card": [
                    "身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X，请核对后重新填写。"
                ]
            },
        ),
        (
            {"mobile": "2345"},
            {"mobile": ["手机号应为 11 位数字并以 1 开头，例如 13800000000，请重新填写。"]},
        ),
        ({"full_name": "  "}, {"full_name": ["姓名不能为空，请填写真实姓名。"]}),
        (
            {"email": "not-an-email"},
            {"email": ["电子邮箱格式不正确，例如 name@example.com，请重新填写。"]},
        ),
        (
            {"roles": ["teacher", "king"]},
            {"roles.1": ["取值无效，可选值：teacher、unit_admin、expert、research、elearning。"]},
        ),
        ({"unit_id": "abc"}, {"unit_id": ["请填写数字。"]}),
    ],
)
def test_create_person_validation(province, api_as, body, errors):
    response = api_as(province.county_a_admin).post("/people", new_person(province, **body))
    assert response.status_code == 422
    assert response.json() == {"detail": errors}


def test_update_person(province, api_as):
    response = api_as(province.county_a_admin).patch(
        f"/people/{province.teacher_a.pk}",
        {"full_name": "王小明", "title": "master", "email": None, "is_platform_admin": True},
    )
    assert response.status_code == 200
    assert (response.json()["full_name"], response.json()["title"]) == ("王小明", "master")
    province.teacher_a.refresh_from_db()
    assert (province.teacher_a.full_name, province.teacher_a.is_platform_admin) == ("王小明", False)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert (event.before["full_name"], event.after["full_name"]) == ("王老师", "王小明")


def test_update_person_clears_mobile_with_null(province, api_as):
    response = api_as(province.school_a_admin).patch(
        f"/people/{province.teacher_a.pk}", {"mobile": None}
    )
    assert (response.status_code, response.json()["mobile"]) == (200, "")
    province.teacher_a.refresh_from_db()
    assert province.teacher_a.mobile is None


def test_update_person_duplicate_mobile(province, api_as):
    taken = province.teacher_a.mobile
    response = api_as(province.county_b_admin).patch(
        f"/people/{province.teacher_b.pk}", {"mobile": taken}
    )
    assert response.json() == {
        "detail": {"mobile": [f"手机号 {taken} 已被其他账号使用；同一人请勿重复建号。"]}
    }


@pytest.mark.parametrize(
    ("viewer", "target"),
    [
        ("county_a_admin", "teacher_b"),
        ("teacher_a", "school_a_admin"),
        ("school_a_admin", "county_a_admin"),
    ],
)
def test_update_person_out_of_scope_is_404(province, api_as, viewer, target):
    person = getattr(province, target)
    response = api_as(getattr(province, viewer)).patch(
        f"/people/{person.pk}", {"full_name": "改名"}
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    person.refresh_from_db()
    assert person.full_name != "改名"


def test_school_admin_cannot_take_over_a_city_expert_teacher(province, api_as):
    from tests.api.conftest import NOT_FOUND
    from youke.orgs.models import RoleGrant

    teacher = province.teacher_a
    RoleGrant.objects.create(person=teacher, unit=province.city, role="expert")
    teacher_grant = RoleGrant.objects.get(person=teacher, role="teacher")
    api = api_as(province.school_a_admin)
    # Viewing stays as before; managing is 404.
    assert api.get(f"/people/{teacher.pk}").status_code == 200
    patched = api.patch(f"/people/{teacher.pk}", {"full_name": "冒名", "email": "x@example.com"})
    granted = api.post(
        "/roles", {"person_id": teacher.pk, "unit_id": province.school_a.pk, "role": "research"}
    )
    revoked = api.delete(f"/roles/{teacher_grant.pk}")
    assert [r.status_code for r in (patched, granted, revoked)] == [404, 404, 404]
    assert patched.json() == granted.json() == revoked.json() == NOT_FOUND
    teacher.refresh_from_db()
    assert (teacher.full_name, teacher.email) == ("王老师", "")
    assert sorted(RoleGrant.objects.filter(person=teacher).values_list("role", flat=True)) == [
        "expert",
        "teacher",
    ]
    # The person may still edit their own e-mail; the city admin may manage them.
    assert (
        api_as(teacher).patch(f"/people/{teacher.pk}", {"email": "w@example.com"}).json()["email"]
        == "w@example.com"
    )
    assert (
        api_as(province.city_admin)
        .patch(f"/people/{teacher.pk}", {"full_name": "王老师二"})
        .json()["full_name"]
        == "王老师二"
    )
