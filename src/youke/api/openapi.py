"""The OpenAPI schema says every answer an operation really gives.

django-ninja documents what each operation declares (its 200/201/204 and the 404/422 of
its own checks); the answers that come from the plumbing every operation shares are added
here in one place, in the API's JSON error shape: 401 from authentication, 403 from the
CSRF check of session callers, 400/413/415 from the request parser and the request guard,
422 from the request schema. The tus operations (``api.urls.tus_paths``) list their own.

The schema is also made plain JSON (lazy translations become text), so the dictionary a
test or tool loads is the same document ``/api/v1/openapi.json`` serves.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _lazy

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
VALIDATION_ERROR = {"$ref": "#/components/schemas/ValidationErrorOut"}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}

DESCRIPTIONS = {
    400: _lazy("请求内容无法解析（如 JSON 格式错误），或参数含有无法保存的字符（如 NUL）"),
    401: _lazy("未登录，或没有有效的接口令牌"),
    403: _lazy("以浏览器会话调用写操作时 CSRF 校验失败（接口令牌调用不需要 CSRF）"),
    404: _lazy("对象不存在，或不在调用者的管理范围内（两者不加区分）"),
    413: _lazy("请求内容超过上限（文件请用 /api/v1/uploads/ 分段上传）"),
    415: _lazy("请求内容类型不受支持（JSON 接口请用 application/json）"),
    422: _lazy("参数或请求内容不符合要求；detail 按字段列出原因（中文）"),
}


def plain_json(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as the JSON document clients read (no lazy-translation objects)."""
    return json.loads(json.dumps(schema, cls=DjangoJSONEncoder, ensure_ascii=False))


def _error(code: int, body: dict) -> dict[str, Any]:
    return {
        "description": str(DESCRIPTIONS[code]),  # in the request's language
        "content": {"application/json": {"schema": body}},
    }


def common_errors(method: str, operation: dict[str, Any]) -> dict[int, dict]:
    """The shared error answers one operation can give, by what the operation takes."""
    errors: dict[int, dict] = {400: ERROR}  # the request guard reads every query string
    if operation.get("security"):
        errors[401] = ERROR
        if method in UNSAFE_METHODS:
            errors[403] = ERROR
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        errors[404] = ERROR
    if operation.get("parameters") or "requestBody" in operation:
        errors[422] = VALIDATION_ERROR
    if "requestBody" in operation:
        errors[413] = ERROR
        errors[415] = ERROR
    return errors


def add_common_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error answers to every operation that does not document its own."""
    for path_item in schema["paths"].values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code, body in common_errors(method, operation).items():
                responses.setdefault(str(code), _error(code, body))
            operation["responses"] = dict(sorted(responses.items()))
    return schema
