"""Issuing certificates in batch, with never-repeating serials.

A teacher template issues from a level's awards: one certificate per (award, recipient),
the submitting teacher and, when the template says 合作者同获证书, each co-author. A unit
template issues one certificate per commendation of its level by its unit. Both run the same
pipeline (rows, serials, signed payloads, then PDFs). Idempotent: a second run issues only
what is missing and renders only PDFs not yet rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.certificates import rules
from youke.certificates.domain import keys as keyring
from youke.certificates.domain import payload as signed
from youke.certificates.domain import pdf, rendering
from youke.certificates.domain.templates import layout_of
from youke.certificates.enums import RecipientKind
from youke.certificates.models import (
    Certificate,
    CertificateTemplate,
    Commendation,
    SerialCounter,
)
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.core.models import Job
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person
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
    """The template's unit's standing awards at its level whose teacher has no certificate."""
    issued = Certificate.objects.filter(
        award=OuterRef("pk"), recipient=OuterRef("entry__submission__teacher")
    )
    return _standing_awards(template).exclude(Exists(issued))


def _standing_awards(template: CertificateTemplate) -> QuerySet[Award]:
    return (
        Award.objects.filter(
            level=template.level,
            entry__unit=template.unit,
            revoked_at__isnull=True,
        )
        .select_related(*AWARD_DETAILS)
        .order_by("id")
    )


def coauthor_awards_to_issue(template: CertificateTemplate) -> QuerySet[Award]:
    """One row per (standing award, co-author without a certificate), ``coauthor`` the
    person's id; none unless the template gives co-authors certificates."""
    if not template.include_coauthors:
        return Award.objects.none()
    awards = _standing_awards(template).annotate(coauthor=F("entry__submission__coauthors__person"))
    issued = Certificate.objects.filter(award=OuterRef("pk"), recipient=OuterRef("coauthor"))
    return awards.filter(coauthor__isnull=False).exclude(Exists(issued)).order_by("id", "coauthor")


def commendations_to_issue(template: CertificateTemplate) -> QuerySet[Commendation]:
    """The commendations of the template's level by its unit that have no certificate."""
    return (
        Commendation.objects.filter(
            level=template.level, issuer=template.unit, certificates__isnull=True
        )
        .select_related("unit")
        .order_by("id")
    )


def missing_count(template: CertificateTemplate) -> int:
    if template.recipient_kind == RecipientKind.UNIT:
        return commendations_to_issue(template).count()
    return awards_to_issue(template).count() + coauthor_awards_to_issue(template).count()


@dataclass(frozen=True)
class Item:
    """What one certificate is for: an award and a person, or a commendation."""

    award: Award | None = None
    recipient: Person | None = None
    commendation: Commendation | None = None

    @classmethod
    def of(cls, certificate: Certificate) -> Item:
        return cls(certificate.award, certificate.recipient, certificate.commendation)


def _next_items(template: CertificateTemplate) -> list[Item]:
    if template.recipient_kind == RecipientKind.UNIT:
        return [Item(commendation=c) for c in commendations_to_issue(template)[:CHUNK]]
    items = [Item(a, a.entry.submission.teacher) for a in awards_to_issue(template)[:CHUNK]]
    if not items:
        rows = list(coauthor_awards_to_issue(template)[:CHUNK])
        people = Person.objects.select_related("unit").in_bulk({a.coauthor for a in rows})
        items = [Item(award, people[award.coauthor]) for award in rows]
    return items


def fields_and_context(template: CertificateTemplate, item: Item, date: str):
    if item.commendation is not None:
        commendation = item.commendation
        fields = {
            "n": commendation.unit.name,
            "a": commendation.title,
            "l": template.level.name,
            "d": date,
        }
        context = {
            "单位": commendation.unit.name,
            "称号": commendation.title,
            "级别": template.level.name,
            "活动": template.campaign.name,
            "日期": date,
        }
        return fields, context
    award, person = item.award, item.recipient
    submission = award.entry.submission
    # A co-author is named with their own school.
    school = submission.unit if person.pk == submission.teacher_id else person.unit
    fields = {
        "n": person.full_name,
        "i": person.masked_id_card,
        "a": award.grade.name,
        "l": template.level.name,
        "d": date,
    }
    context = {
        "教师": person.full_name,
        "学校": school.name,
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
ITEM_DETAILS = ("recipient__unit", "commendation__unit", *(f"award__{n}" for n in AWARD_DETAILS))


def context_of(certificate: Certificate) -> dict[str, str]:
    loaded = Certificate.objects.select_related(*ITEM_DETAILS).get(pk=certificate.pk)
    return fields_and_context(certificate.template, Item.of(loaded), certificate.fields["d"])[1]


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
            items = _next_items(template)
            if not items:
                break
            serials = allocate_serials(code, year, len(items))
            date = timezone.localdate().isoformat()
            rows = []
            for item, serial in zip(items, serials, strict=True):
                fields, _context = fields_and_context(template, item, date)
                fields["s"] = serial
                text = signed.sign(fields, kid)
                fields["k"] = kid
                rows.append(
                    Certificate(
                        template=template,
                        award=item.award,
                        recipient=item.recipient,
                        commendation=item.commendation,
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
                    "template__campaign", "template__level", *ITEM_DETAILS
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
    date = certificate.fields["d"]
    return fields_and_context(certificate.template, Item.of(certificate), date)[1]


@jobs.register(JOB_KIND)
def run_issue_job(job: Job, progress: jobs.JobProgress) -> dict:
    template = CertificateTemplate.objects.filter(pk=job.params.get("template")).first()
    if template is None:
        raise jobs.JobError(_("证书模板已被删除，未签发。"))
    actor = Actor(job.created_by, job.params.get("ip"))
    missing = missing_count(template)
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
