"""我的学时 and 荣誉档案: the teacher's own ledger with sources, and their honours record
(page and PDF). Everything is read through ``training``; a teacher sees only their own."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from youke.training import rules
from youke.training.domain.honours import honours_record, write_pdf
from youke.training.domain.totals import year_totals


@login_required
def my_hours(request):
    credits = rules.own_credits(request.user)
    return render(
        request,
        "portal/my_hours.html",
        {
            "years": year_totals(credits),
            "credits": credits.select_related("campaign").order_by("-year", "-id"),
        },
    )


@login_required
def my_honours(request):
    return render(request, "portal/my_honours.html", {"record": honours_record(request.user)})


def honours_pdf_response(teacher) -> HttpResponse:
    buffer = io.BytesIO()
    write_pdf(buffer, honours_record(teacher))
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="honours-{teacher.pk}.pdf"'
    return response


@login_required
def my_honours_pdf(request):
    return honours_pdf_response(request.user)
