"""Exports of units and people as xlsx jobs, scoped by the same predicates as the pages."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from youke.core.domain import jobs
from youke.core.models import Job
from youke.core.tabular import write_xlsx
from youke.orgs import rules
from youke.orgs.domain.imports import TEACHER_COLUMNS, UNIT_COLUMNS
from youke.orgs.enums import ContactRole
from youke.orgs.models import Contact, RoleGrant, Unit


def save_output(job: Job, headers: list[str], rows, basename: str, title: str) -> None:
    """Stream rows into a temporary xlsx, then hand it to the storage backend."""
    with tempfile.TemporaryFile() as handle:
        write_xlsx(handle, headers, rows, title=title)
        handle.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.output_file.save(f"{basename}-{stamp}.xlsx", File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(output_file=job.output_file.name)


def _scope(job: Job):
    person = job.created_by
    units = rules.units_visible_to(person)
    if job.unit_id:
        units = units.filter(path__under=job.unit.path)
    return person, units


@jobs.register("orgs.export_units")
def export_units(job: Job, progress: jobs.JobProgress) -> dict:
    _person, units = _scope(job)
    units = units.order_by("path").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("role"))
    )
    progress.set_total(units.count())
    # Path order puts every parent before its children, so codes seen so far suffice;
    # only parents outside the exported scope are looked up.
    codes: dict[str, str] = {}

    def parent_code(unit: Unit) -> str:
        parent_path = unit.path[: -Unit.steplen]
        if parent_path and parent_path not in codes:
            codes[parent_path] = (
                Unit.objects.filter(path=parent_path).values_list("code", flat=True).first() or ""
            )
        return codes.get(parent_path, "")

    def rows():
        for index, unit in enumerate(units.iterator(chunk_size=2000), start=1):
            codes[unit.path] = unit.code
            contacts = {c.role: c for c in unit.contacts.all()}
            leader = contacts.get(ContactRole.LEADER)
            contact = contacts.get(ContactRole.CONTACT)
            progress.advance(index)
            yield [
                unit.code,
                unit.name,
                unit.get_kind_display(),
                parent_code(unit),
                unit.get_area_type_display(),
                unit.address,
                leader.name if leader else "",
                leader.mobile if leader else "",
                contact.name if contact else "",
                contact.mobile if contact else "",
                contact.office_phone if contact else "",
                unit.get_stage_display(),
            ]

    save_output(job, [c.header for c in UNIT_COLUMNS], rows(), "units", _("单位"))
    return {
        "rows": progress.job.done,
        "message": _("导出完成，共 %(n)s 个单位。") % {"n": progress.job.done},
    }


PEOPLE_EXTRA_HEADERS = ["单位名称", "角色", "状态"]


@jobs.register("orgs.export_people")
def export_people(job: Job, progress: jobs.JobProgress) -> dict:
    person = job.created_by
    people = rules.people_visible_to(person)
    if job.unit_id:
        people = people.filter(unit__path__under=job.unit.path)
    people = (
        people.select_related("unit")
        .prefetch_related(Prefetch("grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("unit__path", "full_name", "pk")
    )
    progress.set_total(people.count())

    def rows():
        for index, p in enumerate(people.iterator(chunk_size=2000), start=1):
            progress.advance(index)
            roles = "、".join(sorted({str(g.get_role_display()) for g in p.grants.all()}))
            yield [
                p.full_name,
                p.mobile or "",
                p.masked_id_card,
                p.unit.code,
                p.get_title_display() if p.title else "",
                p.email,
                p.unit.name,
                roles,
                pgettext("account status", "启用")
                if p.is_active
                else pgettext("account status", "已停用"),
            ]

    headers = [c.header for c in TEACHER_COLUMNS] + PEOPLE_EXTRA_HEADERS
    save_output(job, headers, rows(), "people", _("人员"))
    return {
        "rows": progress.job.done,
        "message": _("导出完成，共 %(n)s 人。") % {"n": progress.job.done},
    }
