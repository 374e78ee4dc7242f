"""The publication licence (campaign data) and the teacher's consent to it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.library.models import LibrarySettings, PublicationConsent

DEFAULT_LICENCE_TITLE = gettext_lazy("优课资源库公开发布许可")
DEFAULT_LICENCE_TEXT = gettext_lazy(
    "本人同意将本作品（含课堂实录视频、教学设计、学习任务单、课件、作业练习等材料）在获奖后"
    "发布到优课资源库，供广大师生免费观看、学习和非商业性使用；使用者须注明作者与出处，"
    "不得修改后再发布，不得用于任何商业用途。本人保证作品为原创，已获得作品中出现的学生"
    "及其监护人的同意，引用他人资源已注明出处。作品获奖前本人可随时撤回本许可；获奖后"
    "如需下架，请联系发布单位。"
)


def licence_for(campaign) -> tuple[str, str]:
    settings_row = LibrarySettings.objects.filter(campaign=campaign).first()
    if settings_row is not None:
        return settings_row.licence_title, settings_row.licence_text
    return str(DEFAULT_LICENCE_TITLE), str(DEFAULT_LICENCE_TEXT)


def downloads_open(campaign_id: int | None) -> bool:
    if campaign_id is None:
        return False
    return LibrarySettings.objects.filter(campaign_id=campaign_id, downloads_open=True).exists()


def save_settings(
    actor: Actor,
    campaign,
    *,
    licence_title: str,
    licence_text: str,
    downloads_open: bool,
    comments_premoderated: bool = True,
):
    from youke.orgs import rules as org_rules

    if not org_rules.covers(actor.person, campaign.owner_unit):
        raise PermissionDenied("campaign")
    title = (licence_title or "").strip()
    text = (licence_text or "").strip()
    if not title or not text:
        raise ValidationError(_("请填写许可名称和许可条款；留空时教师无法同意发布。"))
    row, _created = LibrarySettings.objects.update_or_create(
        campaign=campaign,
        defaults={
            "licence_title": title[:100],
            "licence_text": text[:4000],
            "downloads_open": downloads_open,
            "comments_premoderated": comments_premoderated,
            "updated_by": actor.person,
        },
    )
    record(
        actor,
        AuditAction.UPDATE,
        row,
        unit=campaign.owner_unit,
        after={
            "licence_title": row.licence_title,
            "downloads_open": row.downloads_open,
            "comments_premoderated": row.comments_premoderated,
        },
    )
    return row


def current_consent(submission) -> PublicationConsent | None:
    consent = PublicationConsent.objects.filter(submission=submission).first()
    return consent if consent is not None and consent.is_active else None


def has_active_award(submission) -> bool:
    from youke.selection.models import Award

    return Award.objects.filter(entry__submission=submission, revoked_at__isnull=True).exists()


def accept(actor: Actor, submission, *, show_author: bool = True) -> PublicationConsent:
    """The teacher accepts the campaign's current licence for this package."""
    if submission.teacher_id != actor.person.pk:
        raise PermissionDenied("submission")
    title, text = licence_for(submission.campaign)
    with transaction.atomic():
        consent, _created = PublicationConsent.objects.select_for_update().update_or_create(
            submission=submission,
            defaults={
                "teacher": actor.person,
                "licence_title": title,
                "licence_text": text,
                "show_author": show_author,
                "accepted_at": timezone.now(),
                "withdrawn_at": None,
            },
        )
        record(
            actor,
            AuditAction.CREATE,
            consent,
            unit=submission.unit,
            after={"licence_title": title, "show_author": show_author},
        )
    return consent


def withdraw(actor: Actor, submission) -> PublicationConsent:
    """Only before an award: an awarded lesson's consent stays (the admins unpublish)."""
    if submission.teacher_id != actor.person.pk:
        raise PermissionDenied("submission")
    with transaction.atomic():
        consent = (
            PublicationConsent.objects.select_for_update().filter(submission=submission).first()
        )
        if consent is None or not consent.is_active:
            raise ValidationError(_("您尚未同意发布许可，无需撤回。"))
        if has_active_award(submission):
            raise ValidationError(
                _("作品已获奖，发布许可不能再撤回；如需下架，请联系发布该作品的单位。")
            )
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        record(
            actor,
            AuditAction.UPDATE,
            consent,
            unit=submission.unit,
            after={"withdrawn_at": consent.withdrawn_at.isoformat()},
        )
    return consent
