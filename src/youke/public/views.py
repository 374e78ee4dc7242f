"""Publicity pages for everyone (no log-in); every rule lives in ``selection.domain``."""

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from youke.core.actor import client_ip
from youke.core.params import int_param
from youke.orgs.enums import ContactRole
from youke.orgs.models import Contact
from youke.public.forms import ObjectionForm
from youke.selection.domain import publicity as domain
from youke.selection.domain import publicity_exports
from youke.selection.domain import publicity_list as rows_domain
from youke.selection.models import Publicity

# Keys carry the list version, so a change never serves a stale page; the timeout only
# bounds what an unchanged old version keeps in the cache.
PAGE_CACHE_SECONDS = 24 * 3600
DOWNLOAD_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in exc.messages:
            form.add_error(None, problem)


def _publicity(publicity_id: int) -> Publicity:
    found = domain.public_publicities().filter(pk=publicity_id).first()
    if found is None:
        raise Http404("publicity")
    return found


def _contact(publicity: Publicity) -> Contact | None:
    """The publishing unit's contact person from its contact sheet (office phone, no mobile)."""
    return (
        Contact.objects.filter(unit_id=publicity.unit_id, role=ContactRole.CONTACT)
        .order_by("id")
        .first()
    )


def publicity_list(request):
    now = timezone.now()
    windows = list(domain.public_publicities(now)[:100])
    return render(
        request,
        "public/publicity_list.html",
        {
            "open_windows": [p for p in windows if p.is_open_at(now)],
            "past_windows": [p for p in windows if not p.is_open_at(now)],
        },
    )


def _page_number(raw: str | None) -> int:
    return min(int_param(raw, 1, minimum=1), 1_000_000)


def _last_modified(publicity: Publicity, now: datetime.datetime, export) -> datetime.datetime:
    """The latest of: a list change, the window opening or closing, the downloads finishing."""
    moments = [publicity.changed_at, publicity.starts_at]
    if now > publicity.ends_at:
        moments.append(publicity.ends_at)
    if export is not None and export.built_at:
        moments.append(export.built_at)
    return max(moments)


def _entries_fragment(publicity: Publicity, number: int, query: str, is_open: bool) -> str:
    """The search box, totals, rows and pager: identical for every visitor of one version."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    key = (
        f"youke:publicity:{publicity.pk}:v{publicity.version}:{int(is_open)}"
        f":{get_language()}:{number}:{digest}"
    )
    fragment = cache.get(key)
    if fragment is not None:
        return fragment
    found = rows_domain.page(publicity, number, query)
    detail = reverse("public:publicity_detail", args=[publicity.pk])
    # The objection form lives at <detail>entries/<id>/objection/ (urls.py); building the
    # link here spares 5,000 {% url %} tags on an unpaged list and 50 on a page.
    for row in found.rows:
        row["objection_url"] = f"{detail}entries/{row['id']}/objection/"

    def link(number: int) -> str:
        return detail + "?" + urlencode({"page": number, **({"q": query} if query else {})})

    fragment = render_to_string(
        "public/_publicity_entries.html",
        {
            "publicity": publicity,
            "page": found,
            "query": query,
            "is_open": is_open,
            "detail_url": detail,
            "previous_url": link(found.number - 1) if found.has_previous else "",
            "next_url": link(found.number + 1) if found.has_next else "",
            "first_url": link(1) if found.number > 2 else "",
            "last_url": link(found.pages) if found.number < found.pages - 1 else "",
        },
    )
    cache.set(key, fragment, PAGE_CACHE_SECONDS)
    return fragment


def publicity_detail(request, publicity_id: int):
    """The published list, paged and searchable, cached per list version.

    Visitors revalidate (``no-cache``) and get 304 while the version, the window phase, the
    downloads and who is asking are unchanged; the page carries a CSRF token, so it is
    ``private``.
    """
    publicity = _publicity(publicity_id)
    now = timezone.now()
    is_open = publicity.is_open_at(now)
    number = _page_number(request.GET.get("page"))
    query = rows_domain.normalise_query(request.GET.get("q"))
    export = publicity_exports.current_export(publicity)
    status = publicity_exports.export_status(export)
    etag = '"{}"'.format(
        hashlib.sha256(
            "|".join(
                map(
                    str,
                    (
                        publicity.pk,
                        publicity.version,
                        int(is_open),
                        status,
                        number,
                        query,
                        request.user.pk or 0,
                        get_language(),
                    ),
                )
            ).encode()
        ).hexdigest()[:32]
    )
    last_modified = _last_modified(publicity, now, export)
    if not len(messages.get_messages(request)):
        unchanged = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp())
        )
        if unchanged is not None:
            return _validators(unchanged, etag, last_modified)
    response = render(
        request,
        "public/publicity_detail.html",
        {
            "publicity": publicity,
            "entries_html": _entries_fragment(publicity, number, query, is_open),
            "is_open": is_open,
            "contact": _contact(publicity),
            "export_status": status,
        },
    )
    return _validators(response, etag, last_modified)


def _validators(response: HttpResponse, etag: str, last_modified: datetime.datetime):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, private=True, no_cache=True)
    return response


def publicity_download(request, publicity_id: int, kind: str):
    """The whole list of the current version as xlsx or PDF (built by a job, never here)."""
    if kind not in DOWNLOAD_TYPES:
        raise Http404("kind")
    publicity = _publicity(publicity_id)
    export = publicity_exports.current_export(publicity)
    if export is None or not export.is_ready:
        raise Http404("export")
    stored = export.xlsx if kind == "xlsx" else export.pdf
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{publicity.title}-v{export.version}.{kind}",
        content_type=DOWNLOAD_TYPES[kind],
    )


def objection_form(request, publicity_id: int, entry_id: int):
    publicity = _publicity(publicity_id)
    entry = domain.published_entries(publicity).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("entry")
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.file_objection(
                publicity,
                entry,
                name=data["name"],
                contact=data["contact"],
                reason=data["reason"],
                evidence=data["evidence"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("异议已提交。公示单位会逐条核实处理，并通过您留下的联系方式告知结果。")
            )
            return redirect("public:publicity_detail", publicity.pk)
    return render(
        request,
        "public/objection_form.html",
        {
            "publicity": publicity,
            "entry": entry,
            "form": form,
            "is_open": publicity.is_open_at(timezone.now()),
            "contact": _contact(publicity),
        },
    )
