"""Helpers shared by the admin pages: scope guard, domain-error mapping, pagination."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from youke.core.models import Job
from youke.orgs import rules
from youke.orgs.models import Unit

PAGE_SIZE = 50


def admin_required(view):
    """Admin pages exist only for unit admins; everyone else gets 404, not a hint."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not rules.is_unit_admin(request.user):
            raise Http404("not an admin")
        return view(request, *args, **kwargs)

    return wrapper


def apply_errors(form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field_map.get(field, field)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def paginate(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def paginate_ids(request, ordered: QuerySet, rows: QuerySet, *, count: int | None = None) -> Page:
    """A page of ``ordered`` whose rows are loaded by id, keeping the order.

    ``ordered`` is the filtered list with its sort key and no joins it does not filter or sort
    on: the database pages over ids only (LIMIT/OFFSET on a narrow query), then ``rows``
    (the model's queryset with its ``select_related`` and annotations) loads those 50 rows by
    primary key, instead of joining every row of the list before the LIMIT. ``count``, when
    the view has already counted the list (e.g. as the sum of its per-state counts), spares
    the paginator its own COUNT. A page number past the end gives the last page.
    """
    paginator = Paginator(ordered.values_list("pk", flat=True), PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: the known figure replaces the COUNT query
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    by_id = {row.pk: row for row in rows.filter(pk__in=ids)} if ids else {}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


def unit_by_code(viewer, code: str) -> Unit | None:
    """A unit in the viewer's scope, by code; None when missing or out of scope."""
    return rules.units_visible_to(viewer).filter(code=code.strip()).first()


def scope_roots(viewer) -> list[Unit]:
    if viewer.is_platform_admin:
        return list(Unit.objects.filter(depth=1).order_by("path"))
    paths = rules.admin_paths(viewer) or []
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def start_job(request, start: Callable[[], Job], back: HttpResponse) -> HttpResponse:
    """Start a background job and show its progress page; a refusal goes back with its reasons.

    ``start`` is the domain function that queues the job; out of scope answers 404.
    """
    try:
        job = start()
    except PermissionDenied as exc:
        raise Http404("job") from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return back
    return redirect("manage:job_detail", job.pk)
