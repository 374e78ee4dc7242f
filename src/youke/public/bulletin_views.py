"""Public bulletins: published ones the issuing unit chose to make public, and their PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from youke.monitoring.domain.bulletin_files import page_tables
from youke.monitoring.domain.bulletins import public_bulletins


def bulletin_list(request):
    rows = public_bulletins().select_related("issuing_unit").order_by("-published_at", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "public/bulletin_list.html", {"page": page})


def _public(bulletin_id: int):
    bulletin = public_bulletins().select_related("issuing_unit").filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404("bulletin")
    return bulletin


def bulletin_detail(request, bulletin_id: int):
    bulletin = _public(bulletin_id)
    return render(
        request,
        "public/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "snapshot": bulletin.snapshot,
            "tables": page_tables(bulletin.snapshot),
        },
    )


def bulletin_pdf(request, bulletin_id: int):
    bulletin = _public(bulletin_id)
    if not bulletin.pdf:
        raise Http404("file")
    name = f"{bulletin.doc_number or bulletin.pk}.pdf"
    return FileResponse(bulletin.pdf.open("rb"), filename=name)
