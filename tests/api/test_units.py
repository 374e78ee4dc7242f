"""Units: scope tables, filters, writes through the domain, 404 and 422 contracts."""

import pytest

from tests.api.conftest import NOT_FOUND, ids
from youke.core.enums import AuditAction
from youke.core.models import AuditEvent
from youke.orgs.models import Unit


def names(province, *attrs):
    return [getattr(province, a).pk for a in attrs]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("county_a_admin", ["county_a", "school_a", "point_a"]),
        ("county_b_admin", ["county_b", "school_b"]),
        ("city_admin", ["city", "county_a", "school_a", "point_a", "county_b", "school_b"]),
        ("school_a_admin", ["school_a", "point_a"]),
        ("teacher_a", ["school_a"]),
        ("expert", ["city"]),
        (
            "platform_admin",
            [
                "ministry",
                "province",
                "city",
                "county_a",
                "school_a",
                "point_a",
                "county_b",
                "school_b",
            ],
        ),
    ],
)
def test_list_units_scope(province, api_as, viewer, expected):
    response = api_as(getattr(province, viewer)).get("/units")
    assert response.status_code == 200
    assert ids(response) == names(province, *expected)
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("viewer", "target", "visible"),
    [
        ("county_a_admin", "county_a", True),
        ("county_a_admin", "point_a", True),
        ("county_a_admin", "county_b", False),
        ("county_a_admin", "school_b", False),
        ("county_a_admin", "city", False),
        ("city_admin", "county_a", True),
        ("city_admin", "county_b", True),
        ("city_admin", "province", False),
        ("teacher_a", "school_a", True),
        ("teacher_a", "point_a", False),
    ],
)
def test_get_unit_scope(province, api_as, viewer, target, visible):
    unit = getattr(province, target)
    response = api_as(getattr(province, viewer)).get(f"/units/{unit.pk}")
    if visible:
        assert response.status_code == 200
        assert (response.json()["id"], response.json()["name"]) == (unit.pk, unit.name)
    else:
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_get_unit_missing_is_same_404(province, api_as):
    response = api_as(province.city_admin).get("/units/999999")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_get_unit_fields(province, api_as):
    body = api_as(province.city_admin).get(f"/units/{province.county_b.pk}").json()
    assert body == {
        "id": province.county_b.pk,
        "parent_id": province.city.pk,
        "name": "西岭县",
        "code": "990102",
        "kind": "county",
        "kind_label": "县(区)",
        "area_type": "county",
        "stage": "",
        "address": "",
        "is_active": True,
        "depth": 4,
        "children_count": 1,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"parent_id": "city"}, ["county_a", "county_b"]),
        ({"under": "county_a"}, ["county_a", "school_a", "point_a"]),
        ({"under": "city", "kind": "school"}, ["school_a", "school_b"]),
        ({"area_type": "county"}, ["county_b", "school_b"]),
        ({"q": "西岭"}, ["county_b", "school_b"]),
        ({"q": "99010100"}, ["school_a", "point_a"]),
        ({"parent_id": "province"}, ["city"]),
    ],
)
def test_list_units_filters(province, api_as, query, expected):
    params = {
        k: (getattr(province, v).pk if k in ("parent_id", "under") else v) for k, v in query.items()
    }
    response = api_as(province.city_admin).get("/units", **params)
    assert ids(response) == names(province, *expected)


def test_filters_never_widen_scope(province, api_as):
    # county A's admin asking for the city's subtree still sees county A only
    client = api_as(province.county_a_admin)
    assert ids(client.get("/units", under=province.city.pk)) == names(
        province, "county_a", "school_a", "point_a"
    )
    assert ids(client.get("/units", parent_id=province.county_b.pk)) == []
    assert ids(client.get("/units", parent_id=999999)) == []


def test_list_units_is_active_filter(province, api_as):
    Unit.objects.filter(pk=province.point_a.pk).update(is_active=False)
    client = api_as(province.county_a_admin)
    assert ids(client.get("/units", is_active="false")) == [province.point_a.pk]
    assert ids(client.get("/units", is_active="true")) == names(province, "county_a", "school_a")


def test_list_units_pagination(province, api_as):
    client = api_as(province.city_admin)
    page = client.get("/units", page=2, page_size=4).json()
    assert page["count"] == 6
    assert [u["name"] for u in page["items"]] == ["西岭县", "西岭县第一中学"]
    assert client.get("/units", page_size=500).status_code == 200  # capped at 200, not refused


def test_create_unit(province, api_as):
    response = api_as(province.county_a_admin).post(
        "/units",
        {
            "parent_id": province.county_a.pk,
            "name": "东湖区第二小学",
            "code": "9901010003",
            "kind": "school",
            "area_type": "urban",
            "stage": "primary",
            "address": "湖滨路 8 号",
        },
    )
    assert response.status_code == 201
    body = response.json()
    unit = Unit.objects.get(code="9901010003")
    assert body == {
        "id": unit.pk,
        "parent_id": province.county_a.pk,
        "name": "东湖区第二小学",
        "code": "9901010003",
        "kind": "school",
        "kind_label": "学校",
        "area_type": "urban",
        "stage": "primary",
        "address": "湖滨路 8 号",
        "is_active": True,
        "depth": 5,
        "children_count": 0,
    }
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(unit.pk))
    assert (event.actor, event.unit) == (province.county_a_admin, unit)


@pytest.mark.parametrize(
    ("viewer", "parent"),
    [
        ("county_a_admin", "county_b"),  # not visible at all
        ("county_a_admin", "city"),  # above the admin's subtree
        ("teacher_a", "school_a"),  # visible (own unit) but not administered
    ],
)
def test_create_unit_out_of_scope_is_404(province, api_as, viewer, parent):
    before = Unit.objects.count()
    response = api_as(getattr(province, viewer)).post(
        "/units",
        {
            "parent_id": getattr(province, parent).pk,
            "name": "新学校",
            "code": "9901029999",
            "kind": "school",
            "area_type": "county",
        },
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Unit.objects.count() == before


def test_create_root_unit_needs_platform_admin(province, api_as):
    body = {"name": "另一个部", "code": "200000", "kind": "ministry"}
    assert api_as(province.province_admin).post("/units", body).status_code == 404
    response = api_as(province.platform_admin).post("/units", body)
    assert response.status_code == 201
    assert (response.json()["parent_id"], response.json()["depth"]) == (None, 1)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"kind": "teaching_point", "code": "9901019999"},
            {"kind": ["东湖区（县(区)）下只能建立：学校。请修改单位类型或上级单位。"]},
        ),
        (
            {"code": "12345"},
            {"code": ["学校和教学点的代码应为 10 位数字的学校标识码，请重新填写。"]},
        ),
        ({"code": "9901010001"}, {"code": ["代码 9901010001 已被其他单位使用，请核对代码。"]}),
        (
            {"area_type": None},
            {"area_type": ["县(区)、学校和教学点须注明城区或县区（用于参与率目标）。"]},
        ),
        ({"area_type": "suburb"}, {"area_type": ["取值无效，可选值：urban、county。"]}),
        (
            {"kind": "castle"},
            {
                "kind": [
                    "取值无效，可选值：ministry、province、city、county、school、teaching_point。"
                ]
            },
        ),
        ({"name": None}, {"name": ["格式不正确，请检查数据类型。"]}),
    ],
)
def test_create_unit_validation(province, api_as, body, errors):
    payload = {
        "parent_id": province.county_a.pk,
        "name": "东湖区第三小学",
        "code": "9901010004",
        "kind": "school",
        "area_type": "urban",
        **body,
    }
    response = api_as(province.county_a_admin).post("/units", payload)
    assert response.status_code == 422
    assert response.json() == {"detail": errors}


def test_create_unit_missing_fields(province, api_as):
    response = api_as(province.county_a_admin).post("/units", {"parent_id": province.county_a.pk})
    assert response.status_code == 422
    assert response.json() == {
        "detail": {
            "name": ["此项为必填项，请填写。"],
            "code": ["此项为必填项，请填写。"],
            "kind": ["此项为必填项，请填写。"],
        }
    }


def test_update_unit(province, api_as):
    client = api_as(province.county_a_admin)
    response = client.patch(
        f"/units/{province.school_a.pk}", {"name": "东湖区实验小学（本部）", "kind": "county"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["kind"]) == ("东湖区实验小学（本部）", "school")
    assert response.json()["parent_id"] == province.county_a.pk
    province.school_a.refresh_from_db()
    assert province.school_a.name == "东湖区实验小学（本部）"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.before["name"] == "东湖区实验小学"
    assert event.after["name"] == "东湖区实验小学（本部）"
    staged = client.patch(f"/units/{province.school_a.pk}", {"stage": "junior"})
    assert staged.json()["stage"] == "junior"
    # A county has no stage: the domain names the problem.
    refused = client.patch(f"/units/{province.county_a.pk}", {"stage": "junior"})
    assert refused.status_code == 422 and "stage" in refused.text


def test_update_unit_null_required_field(province, api_as):
    response = api_as(province.county_a_admin).patch(
        f"/units/{province.school_a.pk}", {"code": None}
    )
    assert (response.status_code, response.json()) == (
        422,
        {"detail": {"code": ["此项不能为空，请填写。"]}},
    )


@pytest.mark.parametrize(
    ("viewer", "target"),
    [
        ("county_a_admin", "school_b"),
        ("county_b_admin", "school_a"),
        ("teacher_a", "school_a"),  # own unit: visible, not editable
    ],
)
def test_update_unit_out_of_scope_is_404(province, api_as, viewer, target):
    unit = getattr(province, target)
    response = api_as(getattr(province, viewer)).patch(f"/units/{unit.pk}", {"name": "改名"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    unit.refresh_from_db()
    assert unit.name != "改名"


def test_move_unit(province, api_as):
    response = api_as(province.city_admin).post(
        f"/units/{province.school_a.pk}/move",
        {"parent_id": province.county_b.pk, "reason": "撤并"},
    )
    assert response.status_code == 200
    assert response.json()["parent_id"] == province.county_b.pk
    point = api_as(province.county_b_admin).get(f"/units/{province.point_a.pk}").json()
    assert point["parent_id"] == province.school_a.pk
    # county A's admin lost the moved subtree
    assert ids(api_as(province.county_a_admin).get("/units")) == [province.county_a.pk]
    event = AuditEvent.objects.get(action=AuditAction.MOVE)
    assert (event.reason, event.after["parent"]) == ("撤并", province.county_b.pk)


def test_move_unit_under_own_descendant_is_422(province, api_as):
    response = api_as(province.city_admin).post(
        f"/units/{province.county_a.pk}/move", {"parent_id": province.point_a.pk}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": {
            "parent": [
                "不能把单位移动到它自己或它的下级单位之下，这会形成循环。请选择其他上级单位。"
            ]
        }
    }
    province.county_a.refresh_from_db()
    assert province.county_a.get_parent() == province.city


@pytest.mark.parametrize(
    ("viewer", "unit", "parent"),
    [
        ("county_a_admin", "school_a", "county_b"),  # new parent out of scope
        ("county_a_admin", "county_a", "city"),  # needs an admin above county A
        ("school_a_admin", "school_a", "county_a"),
    ],
)
def test_move_unit_out_of_scope_is_404(province, api_as, viewer, unit, parent):
    moved = getattr(province, unit)
    response = api_as(getattr(province, viewer)).post(
        f"/units/{moved.pk}/move", {"parent_id": getattr(province, parent).pk}
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not AuditEvent.objects.filter(action=AuditAction.MOVE).exists()
