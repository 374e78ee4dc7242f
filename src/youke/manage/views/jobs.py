"""Imports, exports and their background jobs: start, watch progress, get the report."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.catalog import rules as catalog_rules
from youke.catalog.domain.imports import NODE_COLUMNS
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.models import Job
from youke.core.tabular import write_xlsx
from youke.manage.forms import ImportForm
from youke.manage.views.common import admin_required, unit_by_code
from youke.orgs.access import access_unit
from youke.orgs.domain.imports import TEACHER_COLUMNS, UNIT_COLUMNS
from youke.orgs.enums import UnitKind

IMPORTS = {
    "units": ("orgs.import_units", UNIT_COLUMNS, _("单位导入模板")),
    "teachers": ("orgs.import_teachers", TEACHER_COLUMNS, _("教师导入模板")),
    "catalog": ("catalog.import_nodes", NODE_COLUMNS, _("课程目录导入模板")),
}
TEMPLATE_EXAMPLES = {
    "units": [
        [
            "9901010099",
            "东湖区示例小学",
            "学校",
            "990101",
            "城区",
            "东湖路 1 号",
            "张校长",
            "13900000001",
            "李老师",
            "13900000002",
            "0571-88888888",
        ]
    ],
    "teachers": [["王小明", "13900000003", "", "9901010099", "骨干教师", ""]],
    "catalog": [["01", "小学", "学段", ""], ["0102", "数学", "学科", "01"]],
}
EXPORTS = {
    "units": "orgs.export_units",
    "people": "orgs.export_people",
    "catalog_xlsx": "catalog.export_nodes",
    "catalog_csv": "catalog.export_nodes",
}


def visible_jobs(person):
    """People see the jobs they started; nobody else's (they may name other units)."""
    return Job.objects.filter(created_by=person)


def access_job(person, job_id: int) -> Job:
    job = visible_jobs(person).filter(pk=job_id).first()
    if job is None:
        raise Http404("job")
    return job


@admin_required
def import_list(request):
    return render(
        request,
        "manage/import_list.html",
        {
            "form": ImportForm(),
            "can_edit_catalog": catalog_rules.can_edit_catalog(request.user),
            "jobs": visible_jobs(request.user).select_related("unit")[:20],
            "max_rows": settings.IMPORT_MAX_ROWS,
        },
    )


@admin_required
def import_template(request, kind: str):
    if kind not in IMPORTS:
        raise Http404("kind")
    _job_kind, columns, title = IMPORTS[kind]
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="youke-{kind}-template.xlsx"'
    write_xlsx(response, [c.header for c in columns], TEMPLATE_EXAMPLES[kind], title=title)
    return response


@admin_required
@require_POST
def import_start(request, kind: str):
    if kind not in IMPORTS or (
        kind == "catalog" and not catalog_rules.can_edit_catalog(request.user)
    ):
        raise Http404("kind")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("manage:import_list")
    upload = form.cleaned_data["file"]
    if upload.size > settings.UPLOAD_MAX_IMPORT_BYTES:
        messages.error(
            request,
            _("文件超过 %(mb)s MB 的上限，请拆分后分别导入。")
            % {"mb": settings.UPLOAD_MAX_IMPORT_BYTES // (1024 * 1024)},
        )
        return redirect("manage:import_list")
    unit = None
    if kind == "teachers":
        code = form.cleaned_data.get("school_code", "")
        if code:
            unit = unit_by_code(request.user, code)
            if unit is None or unit.kind not in (UnitKind.SCHOOL, UnitKind.TEACHING_POINT):
                messages.error(
                    request, _("学校代码 %(c)s 不存在或不在您的管理范围内，请核对。") % {"c": code}
                )
                return redirect("manage:import_list")
    actor = Actor.from_request(request)
    job = jobs.create_job(
        actor, IMPORTS[kind][0], unit=unit, upload=upload, params={"ip": actor.ip}
    )
    return redirect("manage:job_detail", job.pk)


@admin_required
@require_POST
def export_start(request, kind: str):
    if kind not in EXPORTS or (
        kind.startswith("catalog") and not catalog_rules.can_view_catalog(request.user)
    ):
        raise Http404("kind")
    unit = None
    unit_id = request.POST.get("unit", "")
    if unit_id.isdigit():
        unit = access_unit(request.user, int(unit_id))
    params = {"format": "csv" if kind == "catalog_csv" else "xlsx"}
    job = jobs.create_job(Actor.from_request(request), EXPORTS[kind], unit=unit, params=params)
    return redirect("manage:job_detail", job.pk)


@admin_required
def job_detail(request, job_id: int):
    job = access_job(request.user, job_id)
    return render(request, "manage/job_detail.html", {"job": job, **_job_context(job)})


@admin_required
def job_progress(request, job_id: int):
    """The fragment htmx polls; it stops polling once the job has finished."""
    job = access_job(request.user, job_id)
    return render(request, "manage/_job_progress.html", {"job": job, **_job_context(job)})


def _job_context(job: Job) -> dict:
    errors = job.result.get("errors", []) if job.result else []
    return {"errors": errors[:200], "error_count": job.result.get("failed", 0) if job.result else 0}


@admin_required
def job_errors(request, job_id: int):
    job = access_job(request.user, job_id)
    errors = job.result.get("errors", []) if job.result else []
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="youke-import-{job.pk}-errors.xlsx"'
    write_xlsx(
        response,
        [_("行号"), _("列"), _("原因")],
        ([e["row"], e["column"], e["reason"]] for e in errors),
        title=_("错误报告"),
    )
    return response


@admin_required
def job_download(request, job_id: int):
    job = access_job(request.user, job_id)
    if not job.output_file:
        raise Http404("output")
    name = job.output_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=name)
