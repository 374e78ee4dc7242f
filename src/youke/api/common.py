"""Shared plumbing for the API routers: errors, pagination, viewer and object access.

Errors follow one contract: validation problems are 422 ``{"detail": {"field": ["…"]}}``
with Simplified Chinese messages; "not allowed" and "not found" are both 404 so an id
outside the caller's scope leaks nothing (never 403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.db.models.query import ModelIterable
from django.http import Http404, RawPostDataException
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination, paginate

from youke.catalog import rules as catalog_rules
from youke.core.actor import Actor
from youke.core.request_guard import api_status_message
from youke.orgs.domain.units import PermissionDenied

if TYPE_CHECKING:
    from ninja import NinjaAPI

    from youke.catalog.models import CourseNode
    from youke.orgs.models import Person

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    """Page numbers past the last page answer an empty page with the true count.

    Without the check, ``?page=9223372036854775807`` becomes an OFFSET no database accepts
    (an overflow, i.e. a 500), and it is reachable anonymously on public lists.

    A page of model rows is found by id first: the database sorts and skips over ids only
    (no ``select_related`` columns), then the page's rows are loaded by primary key. Joining
    every related row before the LIMIT made the entry list take 0.4 s of SQL at 100,000
    submissions.
    """

    def paginate_queryset(self, queryset, pagination, request, **params):
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count = self._items_count(queryset)
        if offset >= count:
            return {self.items_attribute: [], "count": count}
        return {self.items_attribute: _page(queryset, offset, page_size), "count": count}


def _page(queryset, offset: int, size: int):
    by_ids = (
        isinstance(queryset, QuerySet)
        and queryset._iterable_class is ModelIterable
        and not queryset.query.combinator
    )
    if not by_ids:
        return queryset[offset : offset + size]
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + size])
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    return [by_id[pk] for pk in ids if pk in by_id]


def paginated(view):
    """Page-number pagination shared by every list (50 per page, at most 200)."""
    return paginate(Pagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(view)


def viewer(request) -> Person:
    """The authenticated person (bearer token or session)."""
    return request.auth


def actor(request) -> Actor:
    return Actor.from_request(request)


# --- object access -------------------------------------------------------------------------


def access_catalog_node(person: Person, node_id: int) -> CourseNode:
    """Catalog twin of ``youke.orgs.access``: missing and not-visible are both 404."""
    node = catalog_rules.nodes_visible_to(person).filter(pk=node_id).first()
    if node is None:
        raise Http404("node")
    return node


def with_parent_pk(queryset: QuerySet) -> QuerySet:
    """Annotate ``parent_pk`` on a treebeard MP_Node queryset in the same SQL query.

    Materialized paths have no parent column; get_parent() per row would be one query
    per item, so the parent is found by its path (the row's path minus one step).
    """
    model = queryset.model
    parent_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * model.steplen)
    parents = model.objects.filter(path=parent_path).values("pk")[:1]
    return queryset.annotate(parent_pk=Subquery(parents))


def parent_pk_of(node) -> int | None:
    """Parent id from the ``with_parent_pk`` annotation, else (single objects) one query."""
    if hasattr(node, "parent_pk"):
        return node.parent_pk
    parent = node.get_parent(update=True)  # a moved node may hold a stale cached parent
    return parent.pk if parent else None


# --- request bodies --------------------------------------------------------------------------


def changes(payload, *, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields a PATCH body actually sent; JSON null clears optional text fields."""
    fields = payload.model_dump(exclude_unset=True, mode="json")
    errors = {}
    for name, value in list(fields.items()):
        if value is None:
            if name in required:
                errors[name] = [_("此项不能为空，请填写。")]
            else:
                fields[name] = ""
    if errors:
        raise DjangoValidationError(errors)
    return fields


# --- error handlers --------------------------------------------------------------------------


def not_found_message() -> str:
    return _("未找到该对象，或您无权访问。")


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def _pydantic_message(error: dict) -> str:
    """A Chinese message for a request-schema error (pydantic's own are English)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("此项为必填项，请填写。")
    if kind in ("enum", "literal_error"):
        # pydantic lists choices as "'a', 'b' or 'c'"; list them the Chinese way
        expected = str(ctx.get("expected", "")).replace("' or '", "', '")
        choices = "、".join(part.strip(" '") for part in expected.split(","))
        return _("取值无效，可选值：%(expected)s。") % {"expected": choices}
    if kind.startswith(("int_", "float_")):
        return _("请填写数字。")
    if kind.startswith("bool_"):
        return _("请填写 true 或 false。")
    if kind == "string_too_long":
        return _("内容过长，最多 %(max)s 个字符，请缩短后重新填写。") % {
            "max": ctx.get("max_length", "")
        }
    if kind == "string_too_short":
        return _("此项不能为空，请填写。")
    if kind == "greater_than_equal":
        return _("数值不能小于 %(min)s。") % {"min": ctx.get("ge", "")}
    if kind == "less_than_equal":
        return _("数值不能大于 %(max)s，请检查后重新填写。") % {"max": ctx.get("le", "")}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "string_unicode":
        return _("含有无法保存的字符（不成对的代理字符），请删除后重新填写。")
    if kind in ("list_type", "string_type", "model_attributes_type", "dict_type"):
        return _("格式不正确，请检查数据类型。")
    if kind == "json_invalid":
        return _("请求内容不是有效的 JSON。")
    return _("内容格式不正确，请检查后重新填写。")


def _field_of(loc: tuple | list) -> str:
    # loc is ("body", <param name>, field, …) or ("query" | "path", field, …)
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


def install_error_handlers(api: NinjaAPI) -> None:
    def domain_validation(request, exc: DjangoValidationError):
        return api.create_response(request, {"detail": validation_detail(exc)}, status=422)

    def schema_validation(request, exc: NinjaValidationError):
        detail: dict[str, list[str]] = {}
        for error in exc.errors:
            detail.setdefault(_field_of(error.get("loc", ())), []).append(_pydantic_message(error))
        return api.create_response(request, {"detail": detail}, status=422)

    def not_found(request, exc):
        return api.create_response(request, {"detail": not_found_message()}, status=404)

    def unauthenticated(request, exc):
        return api.create_response(
            request,
            {"detail": _("请先登录（已登录的请先修改初始密码），或提供有效的接口令牌。")},
            status=401,
        )

    def http_error(request, exc: HttpError):
        # ninja raises these itself with English text; the 403 is its CSRF check only.
        messages = {
            400: _("请求内容无法解析，请检查格式后重试。"),
            403: _("CSRF 校验失败，请刷新页面后重试。"),
            429: _("请求过于频繁，请稍后再试。"),
        }
        message = messages.get(exc.status_code, str(exc))
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def too_big(request, exc):
        return api.create_response(request, {"detail": api_status_message(413)}, status=413)

    def form_body_for_json(request, exc):
        # a form body sent to a JSON operation: the request guard has read it already
        return api.create_response(request, {"detail": api_status_message(415)}, status=415)

    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(RawPostDataException, form_body_for_json)
    api.add_exception_handler(DjangoValidationError, domain_validation)
    api.add_exception_handler(NinjaValidationError, schema_validation)
    api.add_exception_handler(PermissionDenied, not_found)
    api.add_exception_handler(DjangoPermissionDenied, not_found)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)


def guarded(call):
    """Run ``call()``; a refusal by scope is a 404, like an object that does not exist."""
    try:
        return call()
    except PermissionDenied as exc:
        raise Http404("not yours") from exc
