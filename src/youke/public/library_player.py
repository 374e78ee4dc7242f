"""URLs for the shared player (portal/_player.html) and the documents of a library lesson."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from youke.library.enums import FileKind
from youke.media.domain import playback

PDF = "application/pdf"


@dataclass
class LessonMedia:
    """The same shape ``portal/_player.html`` reads (``media.videos``)."""

    videos: list = field(default_factory=list)
    documents: list = field(default_factory=list)


def lesson_media(lesson, person) -> dict:
    files = list(lesson.files.select_related("upload", "upload__asset"))
    assets = [getattr(f.upload, "asset", None) for f in files]
    prefetch_related_objects([a for a in assets if a is not None], "thumbnails")
    signed_in = bool(person and person.is_authenticated)
    resume = {}
    if signed_in:
        resume = playback.positions_for(person, [a.pk for a in assets if a is not None])
    media = LessonMedia()
    chapters = []
    view_url = reverse("library:lesson_view", args=[lesson.pk])
    for item in files:
        asset = getattr(item.upload, "asset", None)
        if item.kind == FileKind.VIDEO:
            media.videos.append(item)
            pk = item.pk
            chapters.append(
                {
                    "label": item.label,
                    "hls": reverse("library:file_hls", args=[pk, "master.m3u8"])
                    if asset is not None and asset.hls_master
                    else "",
                    "mp4": reverse("library:file_play", args=[pk]),
                    "poster": reverse("library:file_poster", args=[pk])
                    if asset is not None and asset.poster
                    else "",
                    "position": reverse("library:file_position", args=[pk]) if signed_in else "",
                    "view": view_url,
                    "resume": resume.get(asset.pk, 0) if asset is not None else 0,
                    "duration": float(asset.duration_seconds)
                    if asset is not None and asset.duration_seconds
                    else None,
                    "thumbs": [
                        reverse("library:file_thumbnail", args=[pk, t.index])
                        for t in (asset.thumbnails.all() if asset is not None else [])
                    ],
                }
            )
        else:
            inline, reason = "", ""
            if item.upload.content_type == PDF:
                inline = "file"
            elif asset is not None and asset.preview:
                inline = "preview"
            else:
                reason = _("该文件类型（%(ext)s）没有在线预览，请下载后查看。") % {
                    "ext": PurePosixPath(item.upload.filename).suffix.lower() or _("无扩展名")
                }
            media.documents.append({"file": item, "inline": inline, "no_preview_reason": reason})
    return {"media": media, "player_chapters": chapters}
