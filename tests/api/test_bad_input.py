"""Bad input never reaches the database: every API write × every bad value → 422 naming the field.

The table is read from the OpenAPI schema, so a new operation or field is covered the day it
is added: every string a client can send must carry a length limit, every integer a range,
and each is sent too long, with NUL, with a lone surrogate, beyond 64 bits. Runs on SQLite
and on PostgreSQL (``DATABASE_URL``), which is the one that used to answer 500.
"""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.test import Client

from youke.api.urls import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS = SCHEMA["components"]["schemas"]
WRITE_METHODS = ("post", "put", "patch")
TOO_BIG = 2**64  # beyond every integer column, 32- or 64-bit
SURROGATE = "\ud800"


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = COMPONENTS[node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:  # "X | None"
        options = [resolve(option) for option in node["anyOf"] if option.get("type") != "null"]
        return options[0] if options else node
    if "allOf" in node and len(node["allOf"]) == 1:
        return resolve(node["allOf"][0])
    return node


def leaves(node: dict, path: tuple = ()):
    """(path, schema) for every string and integer a body can hold, through objects and lists.

    ``path`` holds property names and 0 for list items, as pydantic reports the location.
    """
    node = resolve(node)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        for name, child in node.get("properties", {}).items():
            yield from leaves(child, (*path, name))
    elif kind == "array":
        yield from leaves(node["items"], (*path, 0))
    elif kind in ("string", "integer") and "enum" not in node and "format" not in node:
        yield path, node


def body_with(path: tuple, value) -> object:
    """The smallest JSON body that puts ``value`` at ``path``."""
    for step in reversed(path):
        value = [value] if step == 0 else {step: value}
    return value


def bad_values(node: dict) -> list[tuple[str, object]]:
    if node["type"] == "integer":
        return [("beyond 64 bits", TOO_BIG), ("beyond the maximum", node["maximum"] + 1)]
    return [
        ("too long", "长" * (node["maxLength"] + 1)),
        ("NUL", "a\x00b"),
        ("lone surrogate", f"a{SURROGATE}b"),
    ]


def write_operations():
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method in WRITE_METHODS and "application/json" in content:
                yield pytest.param(
                    method, path, content["application/json"]["schema"], id=f"{method} {path}"
                )


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def admin_client(province):
    client = Client()
    client.force_login(province.platform_admin)
    return client


def test_every_string_and_integer_a_client_sends_is_bounded():
    unbounded = []
    for param in write_operations():
        method, path, schema = param.values
        for field, node in leaves(schema):
            bound = "maxLength" if node["type"] == "string" else "maximum"
            if bound not in node:
                unbounded.append(f"{method} {path} {field}")
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                node = resolve(parameter.get("schema", {}))
                if (
                    parameter["in"] == "query"
                    and node.get("type") == "string"
                    and "enum" not in node
                    and "format" not in node  # dates and times: the parser bounds them
                    and "maxLength" not in node
                ):
                    unbounded.append(f"{method} {path} ?{parameter['name']}")
    assert unbounded == []


@pytest.mark.parametrize(("method", "path", "schema"), list(write_operations()))
def test_each_bad_value_is_refused_naming_its_field(admin_client, method, path, schema):
    before = row_counts()
    wrong = []
    for field, node in leaves(schema):
        name = ".".join(str(step) for step in field)
        for label, value in bad_values(node):
            body = json.dumps(body_with(field, value))  # escapes the surrogate as \ud800
            response = getattr(admin_client, method)(
                concrete(path), body, content_type="application/json"
            )
            detail = response.json().get("detail") if response.status_code == 422 else None
            if not isinstance(detail, dict) or name not in detail:
                wrong.append((name, label, response.status_code, response.content[:200]))
                continue
            message = " ".join(detail[name])
            limit = node.get("maxLength") if label == "too long" else node.get("maximum")
            if label in ("too long", "beyond the maximum") and f"{limit}" not in message:
                wrong.append((name, label, "limit not named", message))
    assert wrong == []
    assert row_counts() == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("东湖" * 51, "内容过长，最多 100 个字符，请缩短后重新填写。"),
        ("东湖\x00小学", "不能包含空字符（\\x00），请删除后重新填写。"),
        (f"东湖{SURROGATE}小学", "含有无法保存的字符（不成对的代理字符），请删除后重新填写。"),
    ],
)
def test_unit_name_messages_name_the_problem_and_the_fix(admin_client, province, value, message):
    body = json.dumps(
        {"parent_id": province.county_a.pk, "name": value, "code": "9901019999", "kind": "school"}
    )

    response = admin_client.post("/api/v1/units", body, content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {"detail": {"name": [message]}}


def test_integer_beyond_64_bits_names_the_range(admin_client):
    response = admin_client.post(
        "/api/v1/selection/quotas",
        json.dumps({"campaign": 1, "level": 1, "unit": 1, "allowed": TOO_BIG}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": {"allowed": ["数值不能大于 2147483647，请检查后重新填写。"]}
    }


# --- what the server refuses before a field is read ---------------------------------------------


def test_refused_requests_keep_the_json_error_shape(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    cases = {
        "malformed JSON": admin_client.post(
            "/api/v1/units", "{name:", content_type="application/json"
        ),
        "too large": admin_client.post(
            "/api/v1/units", json.dumps({"name": "x" * 2000}), content_type="application/json"
        ),
        "form body": admin_client.post("/api/v1/units", {"name": "东湖小学"}),
        "NUL in query": admin_client.get("/api/v1/units?q=a%00b"),
        "unknown address": admin_client.get("/api/v1/no-such-thing"),
    }

    answers = {label: (r.status_code, r["Content-Type"], r.json()) for label, r in cases.items()}

    json_type = "application/json"
    assert {
        label: (status, kind.split(";")[0]) for label, (status, kind, _) in answers.items()
    } == {
        "malformed JSON": (400, json_type),
        "too large": (413, json_type),
        "form body": (415, json_type),
        "NUL in query": (400, json_type),
        "unknown address": (404, json_type),
    }
    assert answers["NUL in query"][2] == {
        "detail": "参数“q”不能包含空字符（\\x00），请删除后重新填写。"
    }
    assert answers["too large"][2] == {
        "detail": "请求内容过大，请缩小后重试；文件请用上传接口（/api/v1/uploads/）分段上传。"
    }


def test_nul_in_a_page_query_or_form_is_refused_in_plain_text(admin_client, province):
    listed = admin_client.get("/manage/units/?q=%E4%B8%9C%00")
    posted = admin_client.post(
        f"/manage/units/{province.county_a.pk}/edit/", {"name": "东湖\x00区", "code": "990101"}
    )

    assert (listed.status_code, listed.content.decode()) == (
        400,
        "参数“q”不能包含空字符（\\x00），请删除后重新填写。",
    )
    assert (posted.status_code, posted.content.decode()) == (
        400,
        "参数“name”不能包含空字符（\\x00），请删除后重新填写。",
    )
    province.county_a.refresh_from_db()
    assert province.county_a.name == "东湖区"


def test_objection_form_fields_are_bounded(db):
    # the public (anonymous) form endpoint: fields are checked before the window is looked up
    response = Client().post(
        "/api/v1/publicity/1/objections",
        {"entry": 1, "name": "张" * 51, "contact": "13800000000", "reason": "理由"},
    )
    nul = Client().post(
        "/api/v1/publicity/1/objections",
        {"entry": 1, "name": "张三", "contact": "138\x00", "reason": "理由"},
    )

    assert response.status_code == 422
    assert response.json() == {"detail": {"name": ["内容过长，最多 50 个字符，请缩短后重新填写。"]}}
    assert (nul.status_code, nul.json()) == (
        400,
        {"detail": "参数“contact”不能包含空字符（\\x00），请删除后重新填写。"},
    )
