"""Server-side checks of an attached material: content type, then (videos) probe, spec,
poster and playback rendition. Runs as background jobs; the page polls the result.

The browser's pre-check is a courtesy; this is the gate (issue 3 item 8).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from youke.campaigns.enums import MaterialKind
from youke.campaigns.models import rules_for_stage
from youke.catalog.domain.nodes import stage_id_of
from youke.media.domain.ladder import local_file
from youke.media.enums import AssetState
from youke.media.models import MediaAsset, MediaThumbnail
from youke.media.processing import spec as video_spec
from youke.media.processing.errors import MediaError
from youke.media.processing.office import convert_to_pdf
from youke.media.processing.poster import extract_poster, extract_thumbnails
from youke.media.processing.probe import probe
from youke.media.processing.rendition import make_rendition
from youke.submissions.enums import CheckState
from youke.submissions.models import Material
from youke.submissions.signals import material_checked

logger = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the content must be for each extension a campaign may allow.
CONTENT_TYPES: dict[str, frozenset[str]] = {
    "mp4": frozenset({"video/mp4", "video/quicktime"}),
    "mov": frozenset({"video/quicktime", "video/mp4"}),
    "m4v": frozenset({"video/mp4", "video/quicktime"}),
    "pdf": frozenset({"application/pdf"}),
    "doc": frozenset({"application/msword"}),
    "docx": frozenset({DOCX}),
    "ppt": frozenset({"application/vnd.ms-powerpoint"}),
    "pptx": frozenset({PPTX}),
    "xls": frozenset({"application/vnd.ms-excel"}),
    "xlsx": frozenset({XLSX}),
}
# A job interrupted this often (worker killed, machine lost) ends failed, not in limbo.
MAX_ATTEMPTS = 3
OFFICE_TYPES = frozenset(
    {
        "application/msword",
        DOCX,
        "application/vnd.ms-powerpoint",
        PPTX,
    }
)
THUMBNAILS = 4
STATE_OF_ASSET = {
    AssetState.PASSED: CheckState.PASSED,
    AssetState.WARNED: CheckState.WARNED,
    AssetState.FAILED: CheckState.FAILED,
}


def queue_check(material_id: int) -> None:
    from youke.submissions.tasks import check_material

    check_material.delay(material_id)


FINAL_CHECK_STATES = frozenset({CheckState.PASSED, CheckState.WARNED, CheckState.FAILED})


def _set_state(material: Material, state: str) -> None:
    Material.objects.filter(pk=material.pk).update(check_state=state)
    if state in FINAL_CHECK_STATES:
        material_id = material.pk
        transaction.on_commit(
            lambda: material_checked.send(sender=Material, material_id=material_id, state=state),
            robust=True,
        )


def content_problem(material: Material) -> str:
    """A Chinese reason when the bytes are not what the file name says, else ''."""
    upload = material.upload
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    allowed = CONTENT_TYPES.get(extension)
    if allowed is None or upload.content_type in allowed:
        return ""
    return _(
        "文件“%(f)s”的实际内容（%(t)s）与扩展名 .%(e)s 不符，可能是改了扩展名的其他文件。"
        "请用原软件另存为 .%(e)s 后重新上传。"
    ) % {"f": upload.filename, "t": upload.content_type or _("未知"), "e": extension}


def run_check(material_id: int) -> None:
    material = (
        Material.objects.select_related("upload", "requirement__category__campaign")
        .filter(pk=material_id)
        .first()
    )
    if material is None:
        logger.info("material %s vanished before its check", material_id)
        return
    asset, _created = MediaAsset.objects.get_or_create(upload=material.upload)
    problem = content_problem(material)
    if problem:
        _finish(asset, material, AssetState.FAILED, error=problem)
        return
    if material.requirement.kind != MaterialKind.VIDEO:
        if material.upload.content_type in OFFICE_TYPES and not asset.preview:
            _save_office_preview(asset, material)
        _finish(asset, material, AssetState.PASSED)
        _queue_blind_copies(material)
        return
    if asset.state == AssetState.PROCESSING and asset.attempts >= MAX_ATTEMPTS:
        _finish(
            asset,
            material,
            AssetState.FAILED,
            error=_("视频处理多次中断，未能完成检查。请确认文件能在电脑上正常播放，然后重新上传。"),
        )
        return
    MediaAsset.objects.filter(pk=asset.pk).update(
        state=AssetState.PROCESSING, attempts=asset.attempts + 1
    )
    # In memory too: the check ends with asset.save(), which would write the old count back
    # and hide that a killed worker's attempt came before this one.
    asset.state, asset.attempts = AssetState.PROCESSING, asset.attempts + 1
    _set_state(material, CheckState.PROCESSING)
    _check_video(asset, material)


# Campaigns store bitrates in kbit/s (what admins type); the checker reads SI suffixes.
KBIT_RULES = frozenset({"min_video_bitrate", "max_video_bitrate", "min_audio_bitrate"})


def spec_rules(requirement, stage_id: int | None = None) -> list[video_spec.Rule]:
    """The requirement's rules for a package under stage ``stage_id`` (None: all stages)."""
    return [
        video_spec.Rule(
            rule=r.rule,
            value=f"{r.value}k" if r.rule in KBIT_RULES else r.value,
            severity=r.severity,
            floor=(f"{r.floor}k" if r.rule in KBIT_RULES else r.floor) if r.floor else None,
        )
        for r in rules_for_stage(requirement.video_rules.all(), stage_id)
    ]


def _check_video(asset: MediaAsset, material: Material) -> None:
    requirement = material.requirement
    limit = min(requirement.max_bytes, requirement.category.campaign.max_upload_bytes)
    with local_file(material.upload.storage_name) as path:
        try:
            result = probe(path)
        except MediaError as exc:
            _finish(asset, material, AssetState.FAILED, error=exc.message)
            return
        stage_id = stage_id_of(material.submission.node)
        results = video_spec.check(result, spec_rules(requirement, stage_id), max_bytes=limit)
        state = video_spec.overall_state(results)
        for name in (
            "container",
            "video_codec",
            "width",
            "height",
            "display_aspect_ratio",
            "video_bitrate",
            "audio_bitrate",
            "has_audio",
        ):
            setattr(asset, name, getattr(result, name) or ({"has_audio": False}.get(name)))
        asset.audio_codec = result.audio_codec or ""
        asset.frame_rate = Decimal(str(round(result.frame_rate, 3)))
        asset.duration_seconds = Decimal(str(round(result.duration_seconds, 3)))
        asset.checks = [r.to_dict() for r in results]
        if not asset.poster:
            _save_poster(asset, path)
        if not asset.thumbnails.exists():
            _save_thumbnails(asset, path)
    _finish(asset, material, state)
    if state != AssetState.FAILED and not (asset.rendition and asset.hls_master):
        from youke.submissions.tasks import render_material

        transaction.on_commit(lambda: render_material.delay(material.pk))
    if state != AssetState.FAILED:
        _queue_blind_copies(material)


def _queue_blind_copies(material: Material) -> None:
    """Blind-review copies are made for every checked material, in their own job, so a
    blind round never waits for them (see ``blind_copies``)."""
    from youke.submissions.domain import blind_copies  # it reads files through this module

    if blind_copies.missing(material, MediaAsset.objects.filter(upload=material.upload).first()):
        blind_copies.queue(material.pk)


def _save_poster(asset: MediaAsset, path: Path) -> None:
    try:
        with tempfile.TemporaryDirectory() as folder:
            out = extract_poster(path, Path(folder) / "poster.jpg")
            with open(out, "rb") as handle:
                asset.poster.save(f"{asset.upload_id}.jpg", File(handle), save=False)
    except MediaError as exc:  # a poster is a nicety; the checks already passed
        logger.warning("poster for %s failed: %s", asset.upload_id, exc.detail or exc.message)


def _save_thumbnails(asset: MediaAsset, path: Path) -> None:
    try:
        with tempfile.TemporaryDirectory() as folder:
            for index, out in enumerate(extract_thumbnails(path, folder, THUMBNAILS), start=1):
                thumb = MediaThumbnail(asset=asset, index=index)
                with open(out, "rb") as handle:
                    thumb.image.save(f"{asset.upload_id}-{index}.jpg", File(handle), save=False)
                thumb.save()
    except MediaError as exc:
        logger.warning("thumbnails for %s failed: %s", asset.upload_id, exc.detail or exc.message)


def _save_office_preview(asset: MediaAsset, material: Material) -> None:
    """Best effort: a PDF rendering for the page when LibreOffice is installed."""
    with local_file(material.upload.storage_name) as path, tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("document" + Path(material.upload.filename).suffix.lower())
        shutil.copyfile(path, source)
        pdf = convert_to_pdf(source, Path(tmp))
        if pdf is not None:
            with open(pdf, "rb") as handle:
                asset.preview.save(f"{asset.upload_id}.pdf", File(handle), save=False)


def _finish(asset: MediaAsset, material: Material, state: str, *, error: str = "") -> None:
    asset.state = state
    asset.error = error
    asset.save()
    _set_state(material, STATE_OF_ASSET[state])


def run_rendition(material_id: int) -> None:
    material = Material.objects.select_related("upload").filter(pk=material_id).first()
    if material is None:
        return
    asset = MediaAsset.objects.filter(upload=material.upload).first()
    if asset is None or asset.state == AssetState.FAILED:
        return
    if not asset.rendition:
        with (
            local_file(material.upload.storage_name) as path,
            tempfile.TemporaryDirectory() as tmp,
        ):
            out = Path(tmp) / "rendition.mp4"
            make_rendition(path, out, max_height=720)
            with open(out, "rb") as handle:
                asset.rendition.save(f"{asset.upload_id}.mp4", File(handle), save=False)
        MediaAsset.objects.filter(pk=asset.pk).update(rendition=asset.rendition.name)
    if not asset.hls_master:
        # A separate job: the fallback MP4 is playable while the ladder is being cut, and
        # the ladder reuses the rendition for its 720p rung.
        from youke.media.tasks import build_hls

        transaction.on_commit(lambda: build_hls.delay(asset.pk))
