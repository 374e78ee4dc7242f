"""A campaign's originality thresholds: its saved row, else the defaults of the model."""

from __future__ import annotations

from youke.originality.domain.alignment import Params
from youke.originality.models import OriginalitySettings


def settings_for(campaign_id: int) -> OriginalitySettings:
    found = OriginalitySettings.objects.filter(campaign_id=campaign_id).first()
    return found or OriginalitySettings(campaign_id=campaign_id)


def alignment_params(s: OriginalitySettings) -> Params:
    return Params(max_bits=s.match_bits, min_segment_seconds=float(s.min_segment_seconds))


def save_settings(actor, campaign, values: dict) -> OriginalitySettings:
    """Store a campaign's thresholds (the form has validated ranges); audited."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from youke.core.domain.audit import record
    from youke.core.enums import AuditAction

    if values["video_similar_share"] > values["video_copy_share"]:
        raise ValidationError(_("视频“部分相似比例”不能大于“疑似抄袭比例”，请调小前者。"))
    if values["document_similar_share"] > values["document_copy_share"]:
        raise ValidationError(_("文档“部分相似比例”不能大于“疑似抄袭比例”，请调小前者。"))
    row, _created = OriginalitySettings.objects.update_or_create(campaign=campaign, defaults=values)
    record(
        actor,
        AuditAction.UPDATE,
        campaign,
        after={f"originality_{k}": str(v) for k, v in values.items()},
    )
    return row
