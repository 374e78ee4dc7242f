"""The player's and the document panel's file routes, for everyone who may see a package.

Every route loads the material through ``selection.domain.viewing.access_material`` (404 for
missing and not-yours alike); experts of blind rounds reach only the blind copies. Bytes are
served by ``media.serving`` (ranges locally, presigned redirects on S3).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST, require_safe

from youke.campaigns.enums import MaterialKind
from youke.media import serving
from youke.media.domain import playback
from youke.selection.domain.review import neutral_name
from youke.selection.domain.viewing import access_material
from youke.submissions.domain import blind_copies

# master.m3u8, <height>/index.m3u8, <height>/seg_00042.ts: nothing else is ever served.
_HLS_PART = re.compile(r"^(master\.m3u8|\d{3,4}/index\.m3u8|\d{3,4}/seg_\d{5}\.ts)$")


def _video(access):
    if access.material.requirement.kind != MaterialKind.VIDEO or access.asset is None:
        raise Http404("video")


@login_required
@require_safe
def play(request, material_id: int):
    """The progressive MP4: the rendition (or, until it exists, the original); blind
    experts get the blind rendition and nothing else."""
    access = access_material(request.user, material_id)
    _video(access)
    asset = access.asset
    if access.blind:
        copy = blind_copies.blind_file(access.material, asset)
        if copy is None:
            raise Http404("blind rendition")
        return serving.serve(request, copy.name, content_type="video/mp4")
    if asset.rendition:
        return serving.serve(request, asset.rendition.name, content_type="video/mp4")
    upload = access.material.upload
    return serving.serve(request, upload.storage_name, content_type=upload.content_type or None)


@login_required
@require_safe
def hls(request, material_id: int, part: str):
    access = access_material(request.user, material_id)
    _video(access)
    if access.blind or not access.asset.hls_master or not _HLS_PART.match(part):
        raise Http404("hls")
    name = str(PurePosixPath(access.asset.hls_master).parent / part)
    if part.endswith(".m3u8"):
        return serving.serve_text(name)
    return serving.serve(request, name, content_type="video/mp2t")


@login_required
@require_safe
def document(request, material_id: int):
    """The file itself: inline for PDFs (inside our pages), a download with ``?download=1``.
    Blind experts get the sanitised copy under a neutral name."""
    access = access_material(request.user, material_id)
    material = access.material
    download = request.GET.get("download") == "1"
    if access.blind:
        copy = blind_copies.blind_file(material, access.asset)
        if copy is None:
            raise Http404("sanitised")
        name = copy.name
        stem = neutral_name(material).rsplit(".", 1)[0]
        filename = stem + PurePosixPath(name).suffix.lower()
    elif material.requirement.kind == MaterialKind.VIDEO and not download:
        raise Http404("use the player")
    else:
        name = material.upload.storage_name
        filename = material.upload.filename
    return serving.serve(request, name, filename=filename, framed=not download, attachment=download)


@login_required
@require_safe
def preview(request, material_id: int):
    """LibreOffice's PDF of an office document (never for blind experts: it carries the
    original's content and metadata)."""
    access = access_material(request.user, material_id)
    if access.blind or access.asset is None or not access.asset.preview:
        raise Http404("preview")
    return serving.serve(
        request, access.asset.preview.name, content_type="application/pdf", framed=True
    )


@login_required
@require_safe
def poster(request, material_id: int):
    access = access_material(request.user, material_id)
    _video(access)
    if access.blind or not access.asset.poster:
        raise Http404("poster")
    return serving.serve(request, access.asset.poster.name, content_type="image/jpeg")


@login_required
@require_safe
def thumbnail(request, material_id: int, index: int):
    access = access_material(request.user, material_id)
    _video(access)
    thumb = None if access.blind else access.asset.thumbnails.filter(index=index).first()
    if thumb is None:
        raise Http404("thumbnail")
    return serving.serve(request, thumb.image.name, content_type="image/jpeg")


@login_required
@require_POST
def position(request, material_id: int):
    """Where this person stopped: the player posts it every ~10 s and on pause."""
    access = access_material(request.user, material_id)
    _video(access)
    try:
        seconds = playback.parse_seconds(request.POST.get("seconds", ""), access.asset)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    playback.save_position(request.user, access.asset, seconds)
    return JsonResponse({"seconds": float(seconds)})
