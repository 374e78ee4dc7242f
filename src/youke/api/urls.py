from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from youke.api.auth import AUTH
from youke.api.common import install_error_handlers
from youke.api.docs import LocalSwagger
from youke.api.openapi import add_common_errors, plain_json
from youke.api.routers import (
    awards,
    campaigns,
    catalog,
    certificates,
    classroom_programmes,
    classroom_work,
    classrooms,
    collections,
    health,
    library,
    library_engagement,
    monitoring,
    originality,
    people,
    programmes,
    programmes_yearend,
    publicity,
    reviews,
    roles,
    selection,
    submissions,
    training,
    units,
)

# --- the tus endpoint in the schema ----------------------------------------------------------
# The tus views (youke.media.tus) are plain Django views, because their bodies are raw bytes
# streamed to disk; ninja never sees them, so their operations are added to the schema here.

TUS_METADATA_KEYS = {
    "purpose": "用途；申报材料为 material",
    "filename": "原始文件名（含扩展名，决定可接受的类型）",
    "filetype": "浏览器给出的 MIME 类型（仅供参考，服务器按内容识别）",
    "submission": "作品（申报）id",
    "requirement": "材料要求 id（GET /api/v1/campaigns/{id} 中 categories[].materials[].id）",
    "period": "课时编号，从 1 开始；非按课时的材料填 1",
}
SECURITY = [{"BearerToken": []}, {"ActiveSession": []}]
ERROR_TEXT = {
    400: (
        "请求头缺失或格式不正确（Upload-Length、Upload-Offset、Upload-Metadata、校验值）；"
        "创建时：文件为空（0 字节），或文件名只有扩展名（如 .pdf）"
    ),
    401: "未登录，或没有有效的接口令牌",
    403: "CSRF 校验失败，或该用途不允许此上传",
    404: "上传不存在或不属于调用者；创建时：元数据中的作品或材料不存在或不可修改",
    409: "Upload-Offset 与服务器已收到的字节数不符，或上传已完成",
    410: "上传已中止或已被清理",
    411: "缺少 Content-Length",
    412: "Tus-Resumable 不是 1.0.0",
    413: "文件大小超过该材料（或平台）的上限；上传开始前即拒绝",
    415: "文件类型不被该材料接受，或 PATCH 的 Content-Type 不是 application/offset+octet-stream",
    423: "同一上传正在另一个连接（如另一个标签页）中写入，请稍后从 HEAD 返回的位置继续",
    429: "调用者未完成的上传已达上限（个数或总大小，见配置 UPLOAD_MAX_UNFINISHED、UPLOAD_MAX_RESERVED_BYTES）；请完成或中止（DELETE）其他上传",
    460: "Upload-Checksum 与本次收到的内容不符，本次内容已丢弃",
}


def _header(name: str, description: str, *, required: bool = True, schema=None) -> dict:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


TUS_RESUMABLE = _header("Tus-Resumable", "协议版本，固定为 1.0.0", schema={"const": "1.0.0"})
UPLOAD_ID = {
    "name": "upload_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}


def _response_header(description: str, integer: bool = False) -> dict:
    return {
        "description": description,
        "schema": {"type": "integer"} if integer else {"type": "string"},
    }


def _responses(success: dict[int, dict], errors: tuple[int, ...]) -> dict[str, Any]:
    responses = {str(code): body for code, body in success.items()}
    for code in errors:
        responses[str(code)] = {
            "description": ERROR_TEXT[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
    return responses


def tus_paths(base: str) -> dict[str, dict]:
    """OpenAPI path items for the tus 1.0 endpoint mounted at ``base`` (…/uploads/)."""
    metadata_lines = "\n".join(f"- `{key}`：{text}" for key, text in TUS_METADATA_KEYS.items())
    offset = _response_header("服务器已收到的字节数", integer=True)
    create = {
        "operationId": "create_upload",
        "summary": "Create Upload",
        "description": (
            "创建一个可续传上传（tus 1.0 creation，可带首段内容 creation-with-upload）。"
            "在发送任何字节之前，服务器按元数据中的用途检查权限、文件类型和大小。"
            "申报材料上传完成后自动放入元数据指定的材料位置并开始检查。"
        ),
        "tags": ["uploads"],
        "parameters": [
            TUS_RESUMABLE,
            _header("Upload-Length", "文件总字节数", schema={"type": "integer", "minimum": 0}),
            _header(
                "Upload-Metadata",
                "逗号分隔的“键 Base64(值)”对。键：\n" + metadata_lines,
            ),
        ],
        "requestBody": {
            "required": False,
            "description": "可选：首段内容（Content-Type: application/offset+octet-stream）",
            "content": {
                "application/offset+octet-stream": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        },
        "responses": _responses(
            {
                201: {
                    "description": "已创建；Location 为该上传的地址",
                    "headers": {
                        "Location": _response_header("上传地址，/api/v1/uploads/{upload_id}"),
                        "Upload-Offset": _response_header("随创建请求一起收到的字节数", True),
                        "Tus-Resumable": _response_header("1.0.0"),
                    },
                }
            },
            (400, 401, 403, 404, 412, 413, 415, 429),
        ),
        "security": SECURITY,
        "x-tus-metadata": TUS_METADATA_KEYS,
    }
    head = {
        "operationId": "get_upload_offset",
        "summary": "Get Upload Offset",
        "description": "查询已收到的字节数，以便从该位置续传。",
        "tags": ["uploads"],
        "parameters": [UPLOAD_ID, TUS_RESUMABLE],
        "responses": _responses(
            {
                200: {
                    "description": "当前进度",
                    "headers": {
                        "Upload-Offset": offset,
                        "Upload-Length": _response_header("文件总字节数", integer=True),
                        "Upload-Metadata": _response_header("创建时的元数据"),
                        "Tus-Resumable": _response_header("1.0.0"),
                    },
                }
            },
            (401, 403, 404, 410, 412),
        ),
        "security": SECURITY,
    }
    patch = {
        "operationId": "append_upload",
        "summary": "Append Upload",
        "description": (
            "从 Upload-Offset 处追加内容。最后一段到达后，服务器计算 SHA-256、按内容识别类型、"
            "存入存储，并通知用途（申报材料：放入材料位置并开始检查）。"
        ),
        "tags": ["uploads"],
        "parameters": [
            UPLOAD_ID,
            TUS_RESUMABLE,
            _header(
                "Upload-Offset",
                "本段的起始位置，须等于服务器已收到的字节数",
                schema={"type": "integer", "minimum": 0},
            ),
            _header(
                "Upload-Checksum",
                "可选：本段内容的校验值，“算法 Base64(摘要)”，算法为 sha1、sha256 或 md5",
                required=False,
            ),
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/offset+octet-stream": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        },
        "responses": _responses(
            {
                204: {
                    "description": "已保存本段",
                    "headers": {
                        "Upload-Offset": offset,
                        "Tus-Resumable": _response_header("1.0.0"),
                    },
                }
            },
            (400, 401, 403, 404, 409, 410, 411, 412, 413, 415, 423, 460),
        ),
        "security": SECURITY,
    }
    delete = {
        "operationId": "terminate_upload",
        "summary": "Terminate Upload",
        "description": "中止未完成的上传并删除已收到的内容（已完成的上传不能中止）。",
        "tags": ["uploads"],
        "parameters": [UPLOAD_ID, TUS_RESUMABLE],
        "responses": _responses(
            {204: {"description": "已中止"}}, (401, 403, 404, 409, 410, 412, 423)
        ),
        "security": SECURITY,
    }
    status = {
        "operationId": "get_upload_status",
        "summary": "Get Upload Status",
        "description": "上传的状态（供页面和脚本查询）。",
        "tags": ["uploads"],
        "parameters": [UPLOAD_ID],
        "responses": _responses(
            {
                200: {
                    "description": "上传状态",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "string", "format": "uuid"},
                                    "purpose": {"type": "string"},
                                    "state": {
                                        "type": "string",
                                        "enum": ["uploading", "complete", "aborted"],
                                    },
                                    "state_label": {"type": "string"},
                                    "filename": {"type": "string"},
                                    "offset": {"type": "integer"},
                                    "length": {"type": "integer"},
                                    "sha256": {"type": "string"},
                                    "content_type": {"type": "string"},
                                },
                                "required": [
                                    "id",
                                    "purpose",
                                    "state",
                                    "state_label",
                                    "filename",
                                    "offset",
                                    "length",
                                    "sha256",
                                    "content_type",
                                ],
                            }
                        }
                    },
                }
            },
            (401, 404),
        ),
        "security": SECURITY,
    }
    return {
        base: {"post": create},
        base + "{upload_id}": {"head": head, "patch": patch, "delete": delete},
        base + "{upload_id}/status": {"get": status},
    }


class YoukeAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = add_common_errors(plain_json(schema))
        schema["paths"].update(tus_paths(path_prefix + "uploads/"))  # they list their own errors
        return schema


api = YoukeAPI(
    title="youke API",
    version="1",
    description=(
        "优课平台接口：单位、人员、角色、课程目录、遴选活动、申报与材料上传（tus 1.0）。"
        "所有列表按调用者的管理范围过滤。"
    ),
    auth=AUTH,
    urls_namespace="api",
    docs=LocalSwagger(),  # Swagger UI from our static files, no CDN
)
install_error_handlers(api)
api.add_router("", health.router)
api.add_router("", units.router)
api.add_router("", people.router)
api.add_router("", roles.router)
api.add_router("", catalog.router)
api.add_router("", campaigns.router)
api.add_router("", submissions.router)
api.add_router("", selection.router)
api.add_router("", reviews.router)
api.add_router("", publicity.router)
api.add_router("", awards.router)
api.add_router("", monitoring.router)
api.add_router("", training.router)
api.add_router("", library.router)
api.add_router("", library_engagement.router)
api.add_router("", classrooms.router)
api.add_router("", classroom_programmes.router)
api.add_router("", classroom_work.router)
api.add_router("", originality.router)
api.add_router("", programmes.router)
api.add_router("", programmes_yearend.router)
api.add_router("", collections.router)
api.add_router("", certificates.router)
