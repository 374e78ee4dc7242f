"""Issuing certificates in batch from a level's awards, with never-repeating serials.

Idempotent: one certificate per (award, recipient); a second run issues only what is
missing and renders only PDFs not yet rendered. Recipients are the submitting teachers:
no campaign setting says co-authors get certificates, so they do not (yet).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.certificates import rules
from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.domain import pdf, rendering
from youke.certificates.domain.templates import layout_of
from youke.certificates.models import Certificate, CertificateTemplate, SerialCounter
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.core.models import Job
from youke.orgs.domain.units import PermissionDenied
from youke.selection.models import Award

JOB_KIND = "certificates.issue"
CHUNK = 500


def serial_prefix(template: CertificateTemplate) -> str:
    first = template.authorities.select_related("unit").first()
    return (first.unit if first else template.unit).code


def allocate_serials(code: str, year: int, count: int) -> list[str]:
    """``count`` fresh serials; the counter row's lock makes concurrent batches queue."""
    with transaction.atomic():
        SerialCounter.objects.get_or_create(authority_code=code, year=year)
        counter = SerialCounter.objects.select_for_update().get(authority_code=code, year=year)
        start = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return [f"{code}-{year}-{n:06d}" for n in range(start, start + count)]


def awards_to_issue(template: CertificateTemplate) -> QuerySet[Award]:
    """The template's unit's standing awards at its level that have no certificate yet."""
    issued = Certificate.objects.filter(
        award=OuterRef("pk"), recipient=OuterRef("entry__submission__teacher")
    )
    return (
        Award.objects.filter(
            level=template.level,
            entry__unit=template.unit,
            revoked_at__isnull=True,
        )
        .exclude(Exists(issued))
        .select_related(*AWARD_DETAILS)
        .order_by("id")
    )


def fields_and_context(template: CertificateTemplate, award: Award, date: str):
    submission = award.entry.submission
    teacher = submission.teacher
    fields = {
        "n": teacher.full_name,
        "i": teacher.masked_id_card,
        "a": award.grade.name,
        "l": template.level.name,
        "d": date,
    }
    context = {
        "教师": teacher.full_name,
        "学校": submission.unit.name,
        "课题": submission.title,
        "课程节点": submission.node.name,
        "类别": submission.category.name,
        "奖项": award.grade.name,
        "级别": template.level.name,
        "活动": template.campaign.name,
        "日期": date,
    }
    return fields, context


AWARD_DETAILS = (
    "grade",
    "entry__submission__teacher",
    "entry__submission__unit",
    "entry__submission__node",
    "entry__submission__category",
)


def context_of(certificate: Certificate) -> dict[str, str]:
    award = Award.objects.select_related(*AWARD_DETAILS).get(pk=certificate.award_id)
    return fields_and_context(certificate.template, award, certificate.fields["d"])[1]


def _check_ready(template: CertificateTemplate) -> None:
    keyring.current_kid()  # KeysMissing names the command that fixes it
    if not template.authorities.exists():
        raise ValidationError(_("证书模板还没有发证机构：请先添加至少一个发证机构及其印章。"))


def request_issue(actor: Actor, template: CertificateTemplate) -> Job:
    if actor.person is None or not rules.can_manage_template(actor.person, template):
        raise PermissionDenied("template")
    try:
        _check_ready(template)
    except keyring.KeysMissing as exc:
        raise ValidationError(str(exc)) from exc
    return jobs.create_job(
        actor, JOB_KIND, unit=template.unit, params={"template": template.pk, "ip": actor.ip}
    )


def issue_missing(actor: Actor, template: CertificateTemplate, progress=None) -> int:
    """Create the missing certificates (rows, serials, signed payloads); returns how many."""
    _check_ready(template)
    code = serial_prefix(template)
    year = template.campaign.year
    kid = keyring.current_kid()
    created = 0
    while True:
        with transaction.atomic():
            # One batch per template at a time: the template row serialises them, so two
            # runs never both create the same award's certificate.
            CertificateTemplate.objects.select_for_update().get(pk=template.pk)
            awards = list(awards_to_issue(template)[:CHUNK])
            if not awards:
                break
            serials = allocate_serials(code, year, len(awards))
            date = timezone.localdate().isoformat()
            rows = []
            for award, serial in zip(awards, serials, strict=True):
                fields, _context = fields_and_context(template, award, date)
                fields["s"] = serial
                text = signed.sign(fields, kid)
                fields["k"] = kid
                rows.append(
                    Certificate(
                        template=template,
                        award=award,
                        recipient=award.entry.submission.teacher,
                        unit=template.unit,
                        serial=serial,
                        fields=fields,
                        payload=text,
                        kid=kid,
                        issued_by=actor.person,
                    )
                )
            Certificate.objects.bulk_create(rows)
        created += len(rows)
        if progress is not None:
            progress.advance(created, _("已签发 %(n)d 张") % {"n": created})
    return created


def render_pdf(certificate: Certificate, layout: pdf.Layout | None = None) -> Certificate:
    layout = layout or layout_of(certificate.template)
    data = pdf.render(layout, certificate.fields, context_of(certificate), certificate.payload)
    _store_pdf(certificate, data)
    return certificate


def _store_pdf(certificate: Certificate, data: bytes) -> None:
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(data), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)


def render_missing(template: CertificateTemplate, progress=None, done: int = 0) -> int:
    """Render every certificate of the template that has no PDF yet, a chunk at a time,
    spread over ``rendering.processes_for`` processes; each is signed with the key
    generation its payload was signed with."""
    pending = Certificate.objects.filter(template=template, pdf="")
    layout = None
    rendered = 0
    for kid in sorted(set(pending.values_list("kid", flat=True))):
        layout = layout or layout_of(template)
        of_kid = pending.filter(kid=kid)
        processes = rendering.processes_for(of_kid.count())
        with rendering.renderer(pdf.kit_for(layout, kid), processes) as render:
            while chunk := list(
                of_kid.select_related(
                    "template__campaign",
                    "template__level",
                    *(f"award__{name}" for name in AWARD_DETAILS),
                ).order_by("id")[:CHUNK]
            ):
                items = [(c.fields, _context_loaded(c), c.payload) for c in chunk]
                for certificate, data in zip(chunk, render(items), strict=True):
                    _store_pdf(certificate, data)
                    rendered += 1
                    if progress is not None:
                        message = _("已生成 %(n)d 份 PDF") % {"n": rendered}
                        progress.advance(done + rendered, message)
    return rendered


def _context_loaded(certificate: Certificate) -> dict[str, str]:
    return fields_and_context(certificate.template, certificate.award, certificate.fields["d"])[1]


@jobs.register(JOB_KIND)
def run_issue_job(job: Job, progress: jobs.JobProgress) -> dict:
    template = CertificateTemplate.objects.filter(pk=job.params.get("template")).first()
    if template is None:
        raise jobs.JobError(_("证书模板已被删除，未签发。"))
    actor = Actor(job.created_by, job.params.get("ip"))
    missing = awards_to_issue(template).count()
    unrendered = Certificate.objects.filter(template=template, pdf="").count()
    progress.set_total(2 * missing + unrendered)
    try:
        created = issue_missing(actor, template, progress)
    except (keyring.KeysMissing, ValidationError) as exc:
        raise jobs.JobError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    rendered = render_missing(template, progress, done=created)
    record(
        actor,
        AuditAction.CREATE,
        template,
        unit=template.unit,
        after={"certificates_issued": created, "pdfs_rendered": rendered},
        reason=_("批量签发证书"),
    )
    return {
        "issued": created,
        "rendered": rendered,
        "message": _("新签发 %(n)d 张证书，生成 %(p)d 份 PDF。") % {"n": created, "p": rendered},
    }
