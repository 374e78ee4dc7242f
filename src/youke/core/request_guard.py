"""The last line against input no database can store, and JSON errors under ``/api/``.

Fields validate their own input (API schemas, forms); this middleware only catches what
slips past them: a NUL character (or a lone surrogate) in any query-string or form
parameter is refused with 400 before a view runs, because PostgreSQL would fail on it
with a 500 wherever it reaches a query, while SQLite would silently store it.

Under ``/api/`` every refusal keeps the API's JSON error shape ``{"detail": "…"}``, also
for what Django itself answers with an HTML page: an unknown address (404), a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), too many fields, a broken multipart body (400), a
server error (500).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from youke.core.text import text_problem

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_status_message(status: int) -> str:
    messages = {
        400: _("请求内容无法解析，请检查格式后重试。"),
        401: _("请先登录（已登录的请先修改初始密码），或提供有效的接口令牌。"),
        403: _("没有权限执行此操作，请刷新页面后重试。"),
        404: _("未找到该接口或对象，或您无权访问。请检查地址。"),
        405: _("此地址不支持该请求方法，请查看接口文档（/api/v1/docs）。"),
        413: _("请求内容过大，请缩小后重试；文件请用上传接口（/api/v1/uploads/）分段上传。"),
        415: _("不支持的请求内容类型，请使用 application/json。"),
    }
    if status >= 500:
        return _("服务器出错，请稍后重试；如果问题持续，请联系平台管理员。")
    return messages.get(status, _("请求无法处理，请检查后重试。"))


def refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """JSON under /api/, plain text elsewhere (no template: the page may be what broke)."""
    if is_api(request):
        return JsonResponse(
            {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _first_problem(params) -> tuple[str, str] | None:
    for key, values in params.lists():
        for text in (key, *values):
            if isinstance(text, str) and (problem := text_problem(text)):
                return key, problem
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if refusal := self._check_parameters(request):
            return refusal
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and not _is_json(response):
            response = refuse(
                request, api_status_message(response.status_code), response.status_code
            )
        return response

    def _check_parameters(self, request: HttpRequest) -> HttpResponse | None:
        found = _first_problem(request.GET)
        if found is None and request.content_type in FORM_TYPES and request.method == "POST":
            try:
                found = _first_problem(request.POST)
            except RequestDataTooBig:
                return refuse(request, api_status_message(413), 413)
            except (TooManyFieldsSent, MultiPartParserError):
                return refuse(request, api_status_message(400), 400)
        if found is None:
            return None
        key, problem = found
        # the parameter's name is shown without the character that broke it
        name = "".join(char for char in key if not text_problem(char))[:64]
        return refuse(request, _("参数“%(name)s”%(problem)s") % {"name": name, "problem": problem})


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
