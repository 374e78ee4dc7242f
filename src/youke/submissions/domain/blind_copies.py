"""Blind-review copies of a material, made by a background job after its check.

Experts of a blind round are served only these copies (``blind_file``): videos as
``MediaAsset.blind_rendition`` (the opening title cut off — its length is the campaign's
``blind_cut_seconds`` — and every tag dropped), documents as ``MediaAsset.sanitised``
(author properties removed, listed in ``stripped_metadata``). Originals stay untouched.

The job is idempotent: it computes only what is missing, and redoes a video copy whose cut
no longer matches the campaign setting. ``queue_missing`` is called when a blind round opens
or gets assignments, for materials checked before the round existed.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from youke.campaigns.enums import MaterialKind
from youke.media.enums import AssetState
from youke.media.models import MediaAsset
from youke.media.processing.documents import (
    DOCX,
    PDF,
    PPTX,
    SANITISABLE,
    SanitiseError,
    body_text,
    sanitise,
)
from youke.media.processing.errors import MediaError
from youke.orgs.models import Unit
from youke.submissions.domain.checks import local_file
from youke.submissions.models import CoAuthor, Material, Submission

logger = logging.getLogger(__name__)

BLIND_MAX_HEIGHT = 720
TEXT_TYPES = frozenset({DOCX, PPTX, PDF})
BLIND_TIME_LIMIT = 4 * 3600 - 120

FIELD_LABELS = {
    "creator": _("作者"),
    "lastModifiedBy": _("最后修改者"),
    "title": _("标题"),
    "subject": _("主题"),
    "description": _("备注"),
    "keywords": _("关键词"),
    "category": _("类别"),
    "Company": _("单位"),
    "Manager": _("经理"),
    "Author": _("作者"),
    "Title": _("标题"),
    "Subject": _("主题"),
    "Keywords": _("关键词"),
    "Creator": _("创建程序"),
    "Producer": _("生成程序"),
    "xmp:dc:creator": _("作者（XMP）"),
}


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def identity_names(submission: Submission) -> list[str]:
    """Who a blind reviewer must not learn: the teacher, co-authors and their schools."""
    names = [submission.teacher.full_name]
    names += list(
        CoAuthor.objects.filter(submission=submission).values_list("person__full_name", flat=True)
    )
    unit_path = submission.unit.path
    prefixes = [unit_path[:i] for i in range(4, len(unit_path) + 1, 4)]
    names += list(
        Unit.objects.filter(path__in=prefixes, kind__in=["school", "teaching_point"]).values_list(
            "name", flat=True
        )
    )
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def is_video(material: Material) -> bool:
    return material.requirement.kind == MaterialKind.VIDEO


def can_copy(material: Material) -> bool:
    """Whether a blind copy can be made at all: videos, docx/pptx/xlsx and PDF. Old binary
    Office files (.doc, .ppt) cannot be cleaned here, so a blind round serves them never."""
    return is_video(material) or material.upload.content_type in SANITISABLE


def blind_file(material: Material, asset: MediaAsset | None):
    """The only file a blind reviewer may get for ``material``; None while it is missing."""
    if asset is None:
        return None
    copy = asset.blind_rendition if is_video(material) else asset.sanitised
    return copy or None


def _cut_of(material: Material) -> Decimal:
    return material.submission.campaign.blind_cut_seconds


def missing(material: Material, asset: MediaAsset | None) -> bool:
    """Whether the job still has something to make for this material."""
    if asset is None or asset.state in (AssetState.QUEUED, AssetState.PROCESSING):
        return False  # the check has not finished; it queues this job itself
    if asset.state == AssetState.FAILED:
        return False
    if is_video(material):
        return not asset.blind_rendition or asset.blind_cut_seconds != _cut_of(material)
    return material.upload.content_type in SANITISABLE and not asset.sanitised


def make_blind_copies(material_id: int) -> None:
    """The job: make whatever blind copy ``material`` is missing."""
    material = (
        Material.objects.select_related(
            "upload",
            "requirement",
            "submission__campaign",
            "submission__teacher",
            "submission__unit",
        )
        .filter(pk=material_id)
        .first()
    )
    if material is None:
        logger.info("material %s vanished before its blind copy", material_id)
        return
    asset = MediaAsset.objects.filter(upload=material.upload).first()
    if not missing(material, asset):
        return
    if is_video(material):
        _blind_video(material, asset)
    else:
        _sanitised_document(material, asset)


def _blind_video(material: Material, asset: MediaAsset) -> None:
    from youke.media.processing.blind import make_blind_rendition  # PyAV, imported on use

    cut = _cut_of(material)
    with local_file(material.upload.storage_name) as path, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "blind.mp4"
        try:
            make_blind_rendition(
                path,
                out,
                cut_seconds=float(cut),
                max_height=BLIND_MAX_HEIGHT,
                time_limit=BLIND_TIME_LIMIT,
            )
        except MediaError as exc:
            # A clip no longer than its cut has nothing to show without the title: serve none.
            logger.warning(
                "blind copy of %s failed: %s", asset.upload_id, exc.detail or exc.message
            )
            return
        old = asset.blind_rendition.name if asset.blind_rendition else ""
        with open(out, "rb") as handle:
            asset.blind_rendition.save(f"{asset.upload_id}.mp4", File(handle), save=False)
    MediaAsset.objects.filter(pk=asset.pk).update(
        blind_rendition=asset.blind_rendition.name, blind_cut_seconds=cut
    )
    if old and old != asset.blind_rendition.name:
        asset.blind_rendition.storage.delete(old)


def _sanitised_document(material: Material, asset: MediaAsset) -> None:
    upload = material.upload
    names = identity_names(material.submission)
    suffix = Path(upload.filename).suffix.lower()
    with local_file(upload.storage_name) as path, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"sanitised{suffix}"
        document_text(upload, path)  # warm the cache the organiser's warnings read
        try:
            removed = sanitise(path, out, upload.content_type, names)
        except SanitiseError as exc:
            logger.warning("sanitising %s failed: %s", upload.pk, exc)
            return
        with open(out, "rb") as handle:
            asset.sanitised.save(f"{asset.upload_id}{suffix}", File(handle), save=False)
    stripped = [{"field": field_label(r.field), "value": r.value} for r in removed]
    MediaAsset.objects.filter(pk=asset.pk).update(
        sanitised=asset.sanitised.name, stripped_metadata=stripped
    )


TEXT_CACHE_SECONDS = 30 * 24 * 3600


def document_text(upload, path: Path | None = None) -> str:
    """The body text of a docx/pptx/PDF upload, bounded, cached by content hash (the same
    bytes always give the same text, so the cache never goes stale)."""
    if upload.content_type not in TEXT_TYPES:
        return ""
    key = f"blind:text:{upload.sha256 or upload.pk}"
    text = cache.get(key)
    if text is None:
        if path is not None:
            text = body_text(path, upload.content_type)
        else:
            with local_file(upload.storage_name) as local:
                text = body_text(local, upload.content_type)
        cache.set(key, text, TEXT_CACHE_SECONDS)
    return text


def queue(material_id: int) -> None:
    """Queue the job after the surrounding transaction commits."""
    from youke.submissions.tasks import make_blind_copies as task

    transaction.on_commit(lambda: task.delay(material_id))


def queue_missing(submission_ids: Iterable[int]) -> int:
    """Queue the job for every material of these packages whose blind copy is missing."""
    materials = Material.objects.filter(submission_id__in=list(submission_ids)).select_related(
        "upload__asset", "requirement", "submission__campaign"
    )
    queued = 0
    for material in materials:
        if missing(material, getattr(material.upload, "asset", None)):
            queue(material.pk)
            queued += 1
    return queued
