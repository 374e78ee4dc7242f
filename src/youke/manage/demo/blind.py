"""Blind copies for the demo's blind review rounds, made once per shared demo file.

Demo materials share a few stored files (``files.py``), so the copies are made once per
file and every asset pointing at it gets the same copy, exactly as the media job would
store them. The demo videos are 2-second miniatures: the demo campaign cuts 0.5 s instead
of a real 5 s opening title.
"""

from __future__ import annotations

import hashlib
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage

from youke.media.models import MediaAsset
from youke.media.processing.blind import make_blind_rendition
from youke.media.processing.documents import SanitiseError, sanitise
from youke.media.processing.errors import MediaError
from youke.submissions.domain import blind_copies
from youke.submissions.domain.checks import local_file
from youke.submissions.models import Material

DEMO_CUT_SECONDS = Decimal("0.5")
STORAGE_DIR = "demo/blind"


def _copy(material: Material, cut: Decimal) -> tuple[str, list[dict]] | None:
    upload = material.upload
    digest = hashlib.sha256(f"{upload.storage_name}:{cut}".encode()).hexdigest()[:12]
    suffix = ".mp4" if blind_copies.is_video(material) else Path(upload.filename).suffix.lower()
    with local_file(upload.storage_name) as path, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"copy{suffix}"
        try:
            if blind_copies.is_video(material):
                make_blind_rendition(path, out, cut_seconds=float(cut), max_height=720)
                stripped = []
            else:
                removed = sanitise(path, out, upload.content_type, [])
                stripped = [
                    {"field": blind_copies.field_label(r.field), "value": r.value} for r in removed
                ]
        except (MediaError, SanitiseError):
            return None
        with open(out, "rb") as handle:
            name = default_storage.save(f"{STORAGE_DIR}/{digest}{suffix}", File(handle))
    return name, stripped


def make_demo_blind_copies(submission_ids) -> int:
    """Fill the blind copies of these packages' materials; returns how many assets got one."""
    materials = Material.objects.filter(submission_id__in=list(submission_ids)).select_related(
        "upload__asset", "requirement", "submission__campaign"
    )
    made: dict[tuple[str, Decimal], tuple[str, list[dict]] | None] = {}
    changed = []
    for material in materials:
        asset = getattr(material.upload, "asset", None)
        if not blind_copies.missing(material, asset):
            continue
        cut = material.submission.campaign.blind_cut_seconds
        key = (material.upload.storage_name, cut)
        if key not in made:
            made[key] = _copy(material, cut)
        if made[key] is None:
            continue
        name, stripped = made[key]
        if blind_copies.is_video(material):
            asset.blind_rendition.name, asset.blind_cut_seconds = name, cut
        else:
            asset.sanitised.name, asset.stripped_metadata = name, stripped
        changed.append(asset)
    MediaAsset.objects.bulk_update(
        changed, ["blind_rendition", "blind_cut_seconds", "sanitised", "stripped_metadata"]
    )
    return len(changed)
