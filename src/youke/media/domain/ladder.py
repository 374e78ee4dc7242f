"""The HLS ladder of a media asset, written through Django storage under one prefix.

``ensure_ladder`` is the background job's body: it computes only the rungs that are not yet
stored (a rung counts once its ``info.json`` is stored, which is uploaded last), reuses the
720p progressive rendition for the 720p rung by a stream copy, takes the upload itself as the
top rung when it is already what players need (``hls.copyable_as_rung``), encodes the rest in
one decode pass, and then (re)writes the master playlist from every stored rung. Video work never runs in a web request.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from youke.media.enums import AssetState
from youke.media.models import MediaAsset
from youke.media.processing import _pipeline, hls

logger = logging.getLogger(__name__)

REUSED_HEIGHT = 720  # the progressive rendition's height for sources of 720p and above


def ladder_prefix(asset: MediaAsset) -> str:
    return f"media/hls/{asset.upload_id}/"


@contextlib.contextmanager
def local_file(name: str) -> Iterator[Path]:
    """A local path for a stored file: the file itself on disk storage, else a temp copy."""
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:  # remote storage (S3) has no local path
        local = None
    if local is not None:
        # Outside the try: an error in the caller's block must not be mistaken for it.
        yield local
        return
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as handle:
        with default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, handle, 8 * 1024 * 1024)
        handle.flush()
        yield Path(handle.name)


def _replace(name: str, path: Path) -> None:
    """Store ``path`` under exactly ``name`` (storage would otherwise pick a new name)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(path, "rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:  # pragma: no cover - a storage that renames on its own
        raise RuntimeError(f"storage stored {name} as {saved}")


def store_rung(folder: Path, prefix: str) -> None:
    """Upload one finished rung folder; ``info.json`` goes last (it marks completeness)."""
    height = folder.name
    files = sorted(p for p in folder.iterdir() if p.name != hls.INFO)
    for path in files:
        _replace(f"{prefix}{height}/{path.name}", path)
    _replace(f"{prefix}{height}/{hls.INFO}", folder / hls.INFO)


def stored_rungs(prefix: str, heights: list[int]) -> dict[int, hls.Rung]:
    found = {}
    for height in heights:
        name = f"{prefix}{height}/{hls.INFO}"
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                found[height] = hls.Rung.from_json(handle.read().decode())
    return found


def write_master(prefix: str, rungs: dict[int, hls.Rung]) -> str:
    name = f"{prefix}{hls.MASTER}"
    text = hls.master_playlist((f"{h}/{hls.VARIANT}", rung) for h, rung in rungs.items())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / hls.MASTER
        path.write_text(text)
        _replace(name, path)
    return name


def build_ladder(
    source: Path,
    prefix: str,
    heights: list[int],
    *,
    rendition: Path | None = None,
    rendition_height: int | None = None,
    time_limit: float | None = None,
    preset: str = _pipeline.PRESET,
) -> tuple[str, list[int]]:
    """Encode and store the missing rungs of ``heights``; returns (master name, heights)."""
    done = stored_rungs(prefix, heights)
    missing = [h for h in heights if h not in done]
    with tempfile.TemporaryDirectory(prefix="youke-hls-") as tmp:
        folder = Path(tmp)
        if rendition is not None and REUSED_HEIGHT in missing and rendition_height == REUSED_HEIGHT:
            done[REUSED_HEIGHT] = hls.remux_rung(rendition, folder, REUSED_HEIGHT)
            store_rung(folder / str(REUSED_HEIGHT), prefix)
            missing.remove(REUSED_HEIGHT)
        top = max(heights)
        if top in missing and hls.copyable_as_rung(source, top):
            # An upload made to the spec (1080p H.264) is its own top rung: no encode.
            done[top] = hls.remux_rung(source, folder, top)
            store_rung(folder / str(top), prefix)
            missing.remove(top)
        if missing:
            for rung in hls.encode_rungs(
                source, folder, missing, time_limit=time_limit, preset=preset
            ):
                done[rung.height] = rung
        for height in missing:
            store_rung(folder / str(height), prefix)
    return write_master(prefix, done), sorted(done)


def ensure_ladder(asset_id: int, *, time_limit: float | None = None) -> MediaAsset | None:
    """Give a checked video its HLS ladder (idempotent: computes only what is missing)."""
    asset = MediaAsset.objects.select_related("upload").filter(pk=asset_id).first()
    if asset is None or asset.state not in (AssetState.PASSED, AssetState.WARNED):
        return None
    heights = hls.ladder_heights(asset.height)
    if not heights:
        return None
    if asset.hls_master and sorted(asset.hls_heights) == heights:
        return asset
    prefix = ladder_prefix(asset)
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(local_file(asset.upload.storage_name))
        rendition = rendition_height = None
        if asset.rendition:
            rendition = stack.enter_context(local_file(asset.rendition.name))
            rendition_height = min(asset.height, REUSED_HEIGHT)
        master, done = build_ladder(
            source,
            prefix,
            heights,
            rendition=rendition,
            rendition_height=rendition_height,
            time_limit=time_limit,
        )
    MediaAsset.objects.filter(pk=asset.pk).update(hls_master=master, hls_heights=done)
    asset.hls_master, asset.hls_heights = master, done
    logger.info("HLS ladder %s for asset %s", done, asset.pk)
    return asset
