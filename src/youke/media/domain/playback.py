"""Where a person stopped watching a video, so the player resumes there."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.media.models import MediaAsset, PlaybackPosition


def parse_seconds(raw: str, asset: MediaAsset) -> Decimal:
    """A playing position within the video, or ValidationError naming the fix."""
    try:
        seconds = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("播放位置须是秒数（如 125.5）。")) from None
    if not seconds.is_finite() or seconds < 0:
        raise ValidationError(_("播放位置须是不小于 0 的秒数。"))
    if asset.duration_seconds is not None and seconds > asset.duration_seconds + 1:
        raise ValidationError(_("播放位置超出了视频时长，请刷新页面后重试。"))
    return seconds.quantize(Decimal("0.01"))


def save_position(person, asset: MediaAsset, seconds: Decimal) -> PlaybackPosition:
    position, _created = PlaybackPosition.objects.update_or_create(
        person=person, asset=asset, defaults={"seconds": seconds}
    )
    return position


def positions_for(person, asset_ids) -> dict[int, float]:
    rows = PlaybackPosition.objects.filter(person=person, asset_id__in=list(asset_ids))
    return {
        asset_id: float(seconds) for asset_id, seconds in rows.values_list("asset_id", "seconds")
    }
