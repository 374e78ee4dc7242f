"""The tus 1.0 server: core protocol plus creation, creation-with-upload, termination, checksum.

Plain Django views rather than django-ninja: tus bodies are raw bytes streamed straight to
disk, never parsed. Authentication is the API's (bearer token or session, with CSRF for
sessions); every upload is visible only to its owner, anyone else gets 404. Each response
carries ``Tus-Resumable``; each error has a Chinese ``detail`` naming the problem and the fix.

Endpoints (mounted at ``/api/v1/uploads/``):

- ``OPTIONS /``            capabilities (Tus-Version, Tus-Extension, Tus-Max-Size)
- ``POST /``               create (Upload-Length, Upload-Metadata: filename, filetype, purpose…)
- ``HEAD /<id>``           Upload-Offset and Upload-Length, to resume
- ``PATCH /<id>``          append bytes at Upload-Offset
- ``DELETE /<id>``         terminate an unfinished upload
- ``GET /<id>/status``     JSON for pages and scripts
"""

from __future__ import annotations

import base64
import binascii
import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import HttpError

from youke.api.auth import ActiveSession, BearerToken
from youke.core.actor import Actor, client_ip
from youke.media.access import access_upload
from youke.media.domain import uploads
from youke.media.domain.purposes import UploadRefused
from youke.media.domain.uploads import (
    CHECKSUM_ALGORITHMS,
    Checksum,
    IllegalUploadTransition,
    UploadError,
)
from youke.media.enums import UploadState
from youke.media.models import Upload

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,creation-with-upload,termination,checksum"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
METADATA_MAX_CHARS = 8192
OVERRIDABLE = {"PATCH", "DELETE", "HEAD"}
_INTEGER = re.compile(r"\d{1,19}")
_METADATA_KEY = re.compile(r"[!-+\--~]+")  # printable ASCII without space and comma

_bearer = BearerToken()
_session = ActiveSession()


# --- responses -----------------------------------------------------------------------------


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _empty(status: int = 204, headers: dict[str, object] | None = None) -> HttpResponse:
    response = HttpResponse(status=status)
    for name, value in (headers or {}).items():
        response[name] = str(value)
    return _tus(response)


def _error(status: int, message: str, headers: dict[str, object] | None = None) -> HttpResponse:
    response = JsonResponse(
        {"detail": str(message)}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = str(value)
    return _tus(response)


def _not_found() -> HttpResponse:
    return _error(404, _("未找到该上传，或您无权访问。请重新选择文件上传。"))


def _options() -> HttpResponse:
    return _empty(
        204,
        {
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Max-Size": uploads.max_upload_bytes(),
            "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
        },
    )


# --- request plumbing -----------------------------------------------------------------------


def _method(request: HttpRequest) -> str:
    """The tus method, honouring X-HTTP-Method-Override for proxies that block PATCH."""
    override = request.headers.get("X-HTTP-Method-Override", "").upper()
    if request.method == "POST" and override in OVERRIDABLE:
        return override
    return request.method or ""


def _authenticate(request: HttpRequest):
    """The person behind a bearer token or a session, or an error response."""
    person = _bearer(request)
    if person is not None:
        return person
    if request.user.is_authenticated:
        try:
            person = _session(request)  # checks CSRF on unsafe methods
        except HttpError:
            return _error(403, _("CSRF 校验失败，请刷新页面后重试。"))
        if person is not None:
            return person
    return _error(401, _("请先登录（已登录的请先修改初始密码），或提供有效的接口令牌。"))


def _version_mismatch(request: HttpRequest) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _error(
            412,
            _("上传客户端的协议版本不受支持（需要 tus 1.0.0）。请刷新页面后重试。"),
            {"Tus-Version": TUS_VERSION},
        )
    return None


def _header_integer(request: HttpRequest, name: str) -> int | None:
    raw = request.headers.get(name, "").strip()
    return int(raw) if _INTEGER.fullmatch(raw) else None


def parse_metadata(raw: str) -> dict[str, str]:
    """Decode ``Upload-Metadata`` (``key base64,key base64``); ValueError when malformed."""
    metadata: dict[str, str] = {}
    if not raw.strip():
        return metadata
    if len(raw) > METADATA_MAX_CHARS:
        raise ValueError("metadata too long")
    for pair in raw.split(","):
        key, _sep, value = pair.strip().partition(" ")
        if not _METADATA_KEY.fullmatch(key) or key in metadata:
            raise ValueError(f"bad key {key!r}")
        try:
            metadata[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ValueError(f"bad value for {key!r}") from exc
    return metadata


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in metadata.items()
    )


def _checksum(request: HttpRequest) -> Checksum | None | HttpResponse:
    raw = request.headers.get("Upload-Checksum", "").strip()
    if not raw:
        return None
    algorithm, _sep, encoded = raw.partition(" ")
    algorithm = algorithm.lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        return _error(
            400,
            _("不支持的校验算法 %(algorithm)s，可用：%(choices)s。")
            % {"algorithm": algorithm[:16], "choices": "、".join(CHECKSUM_ALGORITHMS)},
        )
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        return _error(400, _("Upload-Checksum 的校验值不是有效的 Base64，请检查上传客户端。"))
    return Checksum(algorithm=algorithm, digest=digest)


def _content_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH", "")
    return int(raw) if _INTEGER.fullmatch(str(raw).strip()) else None


# --- views ---------------------------------------------------------------------------------


@csrf_exempt
def collection(request: HttpRequest) -> HttpResponse:
    method = _method(request)
    if method == "OPTIONS":
        return _options()
    if method != "POST":
        return _error(405, _("此地址只接受创建上传（POST）。"), {"Allow": "OPTIONS, POST"})
    if response := _version_mismatch(request):
        return response
    person = _authenticate(request)
    if isinstance(person, HttpResponse):
        return person
    return _create(request, person)


@csrf_exempt
def resource(request: HttpRequest, upload_id) -> HttpResponse:
    method = _method(request)
    if method == "OPTIONS":
        return _options()
    if method not in ("HEAD", "PATCH", "DELETE"):
        return _error(
            405,
            _("此地址只接受续传查询（HEAD）、上传（PATCH）和中止（DELETE）。"),
            {"Allow": "OPTIONS, HEAD, PATCH, DELETE"},
        )
    if response := _version_mismatch(request):
        return response
    person = _authenticate(request)
    if isinstance(person, HttpResponse):
        return person
    try:
        upload = access_upload(person, upload_id)
    except Http404:
        return _not_found()
    actor = Actor(person=person, ip=client_ip(request))
    if method == "HEAD":
        return _head(upload)
    if method == "PATCH":
        return _patch(request, actor, upload)
    return _delete(actor, upload)


def status(request: HttpRequest, upload_id) -> HttpResponse:
    if request.method != "GET":
        return _error(405, _("此地址只接受查询（GET）。"), {"Allow": "GET"})
    person = _authenticate(request)
    if isinstance(person, HttpResponse):
        return person
    try:
        upload = access_upload(person, upload_id)
    except Http404:
        return _not_found()
    return _tus(JsonResponse(status_payload(upload), json_dumps_params={"ensure_ascii": False}))


def status_payload(upload: Upload) -> dict:
    return {
        "id": str(upload.pk),
        "purpose": upload.purpose,
        "state": upload.state,
        "state_label": str(upload.get_state_display()),
        "filename": upload.filename,
        "offset": uploads.current_offset(upload),
        "length": upload.length,
        "sha256": upload.sha256,
        "content_type": upload.content_type,
    }


# --- methods -------------------------------------------------------------------------------


def _create(request: HttpRequest, person) -> HttpResponse:
    if request.headers.get("Upload-Defer-Length"):
        return _error(400, _("不支持延迟声明文件大小，请在创建上传时提供 Upload-Length。"))
    length = _header_integer(request, "Upload-Length")
    if length is None:
        return _error(
            400, _("缺少或无效的 Upload-Length（文件大小，字节数）。请重新选择文件上传。")
        )
    try:
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _error(400, _("Upload-Metadata 格式不正确（应为“键 Base64值”，逗号分隔）。"))
    actor = Actor(person=person, ip=client_ip(request))
    try:
        upload = uploads.create_upload(actor, length=length, metadata=metadata)
    except UploadRefused as exc:
        return _error(exc.status, exc.message)
    location = reverse("media:resource", args=[upload.pk])
    headers: dict[str, object] = {"Location": location}
    body_length = _content_length(request)
    if body_length and request.content_type == OFFSET_CONTENT_TYPE:
        # creation-with-upload: the first chunk rides on the POST
        try:
            result = uploads.write_chunk(
                actor, upload, offset=0, stream=request, content_length=body_length
            )
        except UploadError as exc:
            return _error(exc.status, exc.message, headers)
        headers["Upload-Offset"] = result.offset
    return _empty(201, headers)


def _head(upload: Upload) -> HttpResponse:
    if upload.state == UploadState.ABORTED:
        return _error(410, uploads.gone().message)
    headers: dict[str, object] = {
        "Upload-Offset": uploads.current_offset(upload),
        "Upload-Length": upload.length,
    }
    if upload.metadata:
        headers["Upload-Metadata"] = encode_metadata(upload.metadata)
    return _empty(200, headers)


def _patch(request: HttpRequest, actor: Actor, upload: Upload) -> HttpResponse:
    if request.content_type != OFFSET_CONTENT_TYPE:
        return _error(
            415, _("上传内容类型应为 application/offset+octet-stream，请使用页面上的上传组件。")
        )
    offset = _header_integer(request, "Upload-Offset")
    if offset is None:
        return _error(400, _("缺少或无效的 Upload-Offset（本次上传的起始位置）。"))
    length = _content_length(request)
    if length is None:
        # Django cannot read chunked bodies; tus clients always send a length.
        return _error(411, _("缺少 Content-Length（本次发送的字节数），请使用页面上的上传组件。"))
    checksum = _checksum(request)
    if isinstance(checksum, HttpResponse):
        return checksum
    try:
        result = uploads.write_chunk(
            actor, upload, offset=offset, stream=request, content_length=length, checksum=checksum
        )
    except UploadError as exc:
        return _error(exc.status, exc.message)
    if result.interrupted:
        return _error(
            400,
            _("连接中断：服务器已保存 %(offset)s 字节。请保持页面打开，上传会从该位置自动继续。")
            % {"offset": result.offset},
            {"Upload-Offset": result.offset},
        )
    return _empty(204, {"Upload-Offset": result.offset})


def _delete(actor: Actor, upload: Upload) -> HttpResponse:
    if upload.state == UploadState.COMPLETE:
        return _error(409, _("该文件已上传完成，不能中止。如不再需要，请在申报材料中移除该文件。"))
    try:
        uploads.abort_upload(actor, upload, reason=_("上传人取消上传"))
    except UploadError as exc:
        return _error(exc.status, exc.message)
    except IllegalUploadTransition:
        return _error(409, _("该上传的状态已变化，请刷新页面后查看。"))
    return _empty(204)
