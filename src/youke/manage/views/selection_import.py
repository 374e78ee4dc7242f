"""Quotas by xlsx import: the template (pre-filled with the subordinate units) and the upload."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.tabular import write_xlsx
from youke.manage.forms import ImportForm
from youke.manage.views.common import admin_required
from youke.manage.views.selection import _campaign_and_unit, _level
from youke.orgs.enums import CHILD_KINDS
from youke.orgs.models import Unit
from youke.selection.domain.quota_import import JOB_KIND, NAME_HEADER, QUOTA_COLUMNS
from youke.selection.models import Quota


def _page(request, data):
    campaign, unit, _campaigns = _campaign_and_unit(request, data)
    if campaign is None or unit is None:
        raise Http404("quota page")
    level = _level(campaign, data, CHILD_KINDS.get(unit.kind, frozenset()))
    if level is None:
        raise Http404("level")
    return campaign, unit, level


@admin_required
def quota_template(request):
    _campaign, unit, level = _page(request, request.GET)
    children = Unit.objects.filter(
        path__under=unit.path, depth=unit.depth + 1, kind=level.unit_kind, is_active=True
    ).order_by("path")
    current = dict(
        Quota.objects.filter(level=level, unit__in=children, category__isnull=True).values_list(
            "unit_id", "allowed"
        )
    )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="youke-quotas-template.xlsx"'
    write_xlsx(
        response,
        [*(c.header for c in QUOTA_COLUMNS), NAME_HEADER],
        ([c.code, "", current.get(c.pk, ""), c.name] for c in children),
        title=_("名额导入模板"),
    )
    return response


@admin_required
@require_POST
def quota_import(request):
    campaign, unit, level = _page(request, request.POST)
    back = (
        reverse("manage_selection:quotas")
        + "?"
        + urlencode({"campaign": campaign.pk, "unit": unit.pk, "level": level.pk})
    )
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(back)
    upload = form.cleaned_data["file"]
    if upload.size > settings.UPLOAD_MAX_IMPORT_BYTES:
        messages.error(
            request,
            _("文件超过 %(mb)s MB 的上限，请拆分后分别导入。")
            % {"mb": settings.UPLOAD_MAX_IMPORT_BYTES // (1024 * 1024)},
        )
        return redirect(back)
    actor = Actor.from_request(request)
    job = jobs.create_job(
        actor,
        JOB_KIND,
        unit=unit,
        upload=upload,
        params={"ip": actor.ip, "campaign": campaign.pk, "level": level.pk},
    )
    return redirect("manage:job_detail", job.pk)
