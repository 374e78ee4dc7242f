"""Course catalog: everyone reads, only national admins (platform or ministry) edit."""

import pytest

from tests.api.conftest import NOT_FOUND, ids
from tests.factories import make_admin, make_catalog_path
from youke.catalog.models import CourseNode
from youke.core.enums import AuditAction
from youke.core.models import AuditEvent


@pytest.fixture
def chain(db):
    """小学 › 数学 › 人教版 › 三年级上册 › 第一单元 › 秒的认识, plus a second stage 初中."""
    nodes = make_catalog_path()
    junior = make_catalog_path(("初中",))[0]
    return nodes, junior


def node_ref(node):
    return {"id": node.pk, "code": node.code, "name": node.name, "level": node.level}


def test_list_roots_children_and_search(province, chain, api_as):
    nodes, junior = chain
    client = api_as(province.teacher_a)
    assert ids(client.get("/catalog/nodes")) == [nodes[0].pk, junior.pk]
    assert ids(client.get("/catalog/nodes", parent_id=nodes[1].pk)) == [nodes[2].pk]
    assert ids(client.get("/catalog/nodes", q="秒")) == [nodes[4].pk, nodes[5].pk]
    assert ids(client.get("/catalog/nodes", q=nodes[3].code)) == [nodes[3].pk]
    assert ids(client.get("/catalog/nodes", level="subject")) == [nodes[1].pk]
    item = client.get("/catalog/nodes", parent_id=nodes[0].pk).json()["items"][0]
    assert item == {
        "id": nodes[1].pk,
        "parent_id": nodes[0].pk,
        "code": nodes[1].code,
        "name": "数学",
        "level": "subject",
        "level_label": "学科",
        "is_active": True,
        "depth": 2,
        "children_count": 1,
    }


def test_get_node_with_ancestors(province, chain, api_as):
    nodes, _junior = chain
    response = api_as(province.teacher_b).get(f"/catalog/nodes/{nodes[4].pk}")
    body = response.json()
    assert (body["id"], body["name"], body["level"], body["parent_id"]) == (
        nodes[4].pk,
        "第一单元 时、分、秒",
        "unit",
        nodes[3].pk,
    )
    assert body["ancestors"] == [node_ref(n) for n in nodes[:4]]
    root = api_as(province.teacher_b).get(f"/catalog/nodes/{nodes[0].pk}").json()
    assert (root["ancestors"], root["parent_id"]) == ([], None)


def test_get_missing_node_is_404(province, api_as):
    response = api_as(province.teacher_a).get("/catalog/nodes/424242")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("editor", ["platform_admin", "ministry_admin"])
def test_create_and_update_node(province, chain, api_as, editor):
    nodes, _junior = chain
    person = (
        province.platform_admin
        if editor == "platform_admin"
        else make_admin(province.ministry, username="moe", full_name="部管理员")
    )
    client = api_as(person)
    response = client.post(
        "/catalog/nodes", {"parent_id": nodes[1].pk, "code": "PM-BSD", "name": "北师大版"}
    )
    assert response.status_code == 201
    node = CourseNode.objects.get(code="PM-BSD")
    body = response.json()
    assert (body["id"], body["level"], body["parent_id"], body["ancestors"]) == (
        node.pk,
        "edition",
        nodes[1].pk,
        [node_ref(nodes[0]), node_ref(nodes[1])],
    )

    response = client.patch(
        f"/catalog/nodes/{node.pk}", {"name": "北师大版（2024）", "is_active": False}
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["is_active"]) == ("北师大版（2024）", False)
    actions = list(
        AuditEvent.objects.filter(actor=person).order_by("id").values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE]


@pytest.mark.parametrize("viewer", ["province_admin", "county_a_admin", "teacher_a", "expert"])
def test_non_national_people_cannot_edit(province, chain, api_as, viewer):
    nodes, _junior = chain
    client = api_as(getattr(province, viewer))
    response = client.post(
        "/catalog/nodes", {"parent_id": nodes[0].pk, "code": "X1", "name": "英语"}
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    response = client.patch(f"/catalog/nodes/{nodes[1].pk}", {"name": "算术"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    nodes[1].refresh_from_db()
    assert nodes[1].name == "数学"
    assert not CourseNode.objects.filter(code="X1").exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"code": "有 空格"},
            {"code": ["节点编号只能由字母、数字和 - _ . 组成，最长 32 位，请重新填写。"]},
        ),
        ({"name": " "}, {"name": ["节点名称不能为空，请填写。"]}),
    ],
)
def test_create_node_validation(province, chain, api_as, body, errors):
    nodes, _junior = chain
    payload = {"parent_id": nodes[0].pk, "code": "OK-1", "name": "语文", **body}
    response = api_as(province.platform_admin).post("/catalog/nodes", payload)
    assert (response.status_code, response.json()) == (422, {"detail": errors})


def test_create_node_duplicate_code_and_below_period(province, chain, api_as):
    nodes, _junior = chain
    client = api_as(province.platform_admin)
    response = client.post(
        "/catalog/nodes", {"parent_id": nodes[0].pk, "code": nodes[1].code, "name": "语文"}
    )
    assert response.json() == {"detail": {"code": [f"节点编号 {nodes[1].code} 已存在，请核对。"]}}
    period = client.post(
        "/catalog/nodes", {"parent_id": nodes[5].pk, "code": "P1", "name": "第一课时"}
    )
    assert period.json()["level"] == "period"
    response = client.post(
        "/catalog/nodes", {"parent_id": period.json()["id"], "code": "P2", "name": "更下一级"}
    )
    assert response.json() == {"detail": {"parent": ["“课时”是最末一级，不能再添加下级节点。"]}}
