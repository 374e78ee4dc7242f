"""The 师训 xlsx as a background job with progress (a province's export is long work)."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.domain import jobs
from youke.core.models import Job
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.training import rules
from youke.training.domain import totals
from youke.training.models import UnitYearTotal

JOB_KIND = "training.export_hours"


def start_export(actor, unit, year: int | None) -> Job:
    """Queue the export of ``unit``'s subtree (one year or all); the unit must be the actor's."""
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("unit")
    return jobs.create_job(actor, JOB_KIND, unit=unit, params={"year": year})


@jobs.register(JOB_KIND)
def export_hours(job: Job, progress: jobs.JobProgress) -> dict:
    person, unit, year = job.created_by, job.unit, job.params.get("year")
    if person is None or unit is None or not org_rules.covers(person, unit):
        raise jobs.JobError(
            _("该单位已不在您的管理范围内，无法导出：请选择您管理的单位后重新导出。")
        )
    sums = UnitYearTotal.objects.filter(unit__path__under=unit.path)
    if year is not None:
        sums = sums.filter(year=year)
    progress.set_total(sums.aggregate(n=Sum("lines"))["n"] or 0)
    credits = rules.credits_visible_to(person)
    with tempfile.TemporaryFile() as handle:
        teachers = totals.write_export(handle, credits, unit, year, on_line=progress.advance)
        handle.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.output_file.save(f"training-hours-{unit.code}-{stamp}.xlsx", File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(output_file=job.output_file.name)
    return {
        "rows": teachers,
        "message": _("导出完成，共 %(n)s 行（每位教师每年度一行）。") % {"n": teachers},
    }
