"""A 三个课堂 replay in the shared player (``portal/_player.html``) and its file routes.

Views check who may watch first (a session's view permission, a lesson's scope); this module
turns the replay's media asset into player URLs and serves its files (rendition or original,
HLS playlists and segments, poster, thumbnails, the resume position).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from youke.classrooms.domain.replays import replay_asset
from youke.media import serving
from youke.media.domain import playback
from youke.media.enums import AssetState

# master.m3u8, <height>/index.m3u8, <height>/seg_00042.ts: nothing else is ever served.
from youke.portal.media_views import _HLS_PART


@dataclass
class ReplayMedia:
    """The shape ``portal/_player.html`` reads (``media.videos``)."""

    videos: list = field(default_factory=list)
    documents: list = field(default_factory=list)


def replay_context(person, upload, url_name: str, key: int) -> dict:
    """``url_name``: the prefix of the route names (``…_play``, ``…_hls`` …) taking ``key``.

    ``replay_state``: "" (no replay), "processing", "failed" or "ready".
    """
    if upload is None:
        return {"replay_state": "", "media": ReplayMedia(), "player_chapters": []}
    asset = replay_asset(upload)
    if asset is None or asset.state in (AssetState.QUEUED, AssetState.PROCESSING):
        return {"replay_state": "processing", "media": ReplayMedia(), "player_chapters": []}
    if asset.state == AssetState.FAILED:
        return {
            "replay_state": "failed",
            "replay_error": asset.error,
            "media": ReplayMedia(),
            "player_chapters": [],
        }
    signed_in = bool(person is not None and person.is_authenticated)
    resume = playback.positions_for(person, [asset.pk]).get(asset.pk, 0) if signed_in else 0
    chapter = {
        "label": upload.filename,
        "hls": reverse(f"{url_name}_hls", args=[key, "master.m3u8"]) if asset.hls_master else "",
        "mp4": reverse(f"{url_name}_play", args=[key]),
        "poster": reverse(f"{url_name}_poster", args=[key]) if asset.poster else "",
        "position": reverse(f"{url_name}_position", args=[key]) if signed_in else "",
        "resume": resume,
        "duration": float(asset.duration_seconds) if asset.duration_seconds else None,
        "thumbs": [
            reverse(f"{url_name}_thumbnail", args=[key, t.index]) for t in asset.thumbnails.all()
        ],
    }
    return {
        "replay_state": "ready",
        "media": ReplayMedia(videos=[upload]),
        "player_chapters": [chapter],
    }


def _ready(upload):
    asset = replay_asset(upload)
    if upload is None or asset is None or asset.state != AssetState.PASSED:
        raise Http404("replay")
    return asset


def play(request, upload):
    asset = _ready(upload)
    if asset.rendition:
        return serving.serve(request, asset.rendition.name, content_type="video/mp4")
    return serving.serve(request, upload.storage_name, content_type=upload.content_type or None)


def hls(request, upload, part: str):
    asset = _ready(upload)
    if not asset.hls_master or not _HLS_PART.match(part):
        raise Http404("hls")
    name = str(PurePosixPath(asset.hls_master).parent / part)
    if part.endswith(".m3u8"):
        return serving.serve_text(name)
    return serving.serve(request, name, content_type="video/mp2t")


def poster(request, upload):
    asset = _ready(upload)
    if not asset.poster:
        raise Http404("poster")
    return serving.serve(request, asset.poster.name, content_type="image/jpeg")


def thumbnail(request, upload, index: int):
    thumb = _ready(upload).thumbnails.filter(index=index).first()
    if thumb is None:
        raise Http404("thumbnail")
    return serving.serve(request, thumb.image.name, content_type="image/jpeg")


def position(request, upload):
    if not request.user.is_authenticated:
        raise Http404("position")
    asset = _ready(upload)
    try:
        seconds = playback.parse_seconds(request.POST.get("seconds", ""), asset)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    playback.save_position(request.user, asset, seconds)
    return JsonResponse({"seconds": float(seconds)})


@dataclass(frozen=True)
class FileViews:
    """The five file routes of a replay for the uploads ``find(request, **route kwargs)``
    returns (404 when the person may not watch), each behind ``guard`` (e.g. a log-in or
    staff check; identity for public pages)."""

    play: Callable
    hls: Callable
    poster: Callable
    thumbnail: Callable
    position: Callable


def file_views(find: Callable, guard: Callable = lambda view: view) -> FileViews:
    def play_view(request, **key):
        return play(request, find(request, **key))

    def hls_view(request, part: str, **key):
        return hls(request, find(request, **key), part)

    def poster_view(request, **key):
        return poster(request, find(request, **key))

    def thumbnail_view(request, index: int, **key):
        return thumbnail(request, find(request, **key), index)

    def position_view(request, **key):
        return position(request, find(request, **key))

    return FileViews(
        play=guard(require_safe(play_view)),
        hls=guard(require_safe(hls_view)),
        poster=guard(require_safe(poster_view)),
        thumbnail=guard(require_safe(thumbnail_view)),
        position=guard(require_POST(position_view)),
    )
