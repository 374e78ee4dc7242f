"""Template context for the lesson player and the document panel (``portal/_player.html``).

Used by every page where a lesson is judged: the teacher's package page, the admins' entry
page and the expert's scoring page. What may be shown comes from
``selection.domain.viewing``; this module only turns it into URLs for the browser.
"""

from __future__ import annotations

from django.urls import reverse

from youke.selection.domain.viewing import PackageMedia, package_media


def _chapter(item) -> dict:
    pk = item.material.pk
    return {
        "label": item.label,
        "hls": reverse("portal:material_hls", args=[pk, "master.m3u8"]) if item.hls else "",
        "mp4": reverse("portal:material_play", args=[pk]),
        "poster": reverse("portal:material_poster", args=[pk]) if item.poster else "",
        "position": reverse("portal:material_position", args=[pk]),
        "resume": item.resume,
        "duration": item.duration,
        "thumbs": [reverse("portal:material_thumbnail", args=[pk, i]) for i in item.thumbnails],
    }


def player_context(person, submission, mode: str, materials=None, links=None) -> dict:
    """``materials``: ``packages.package_materials(submission, person)`` and ``links``:
    ``packages.package_links(submission)`` if the page has them."""
    media: PackageMedia = package_media(person, submission, mode, materials, links)
    return {
        "media": media,
        "player_chapters": [_chapter(item) for item in media.playable],
    }


def material_chapters(person, submission, mode: str, material_id: int) -> list[dict]:
    """The player chapter of one material of a package (e.g. one side of a comparison)."""
    media: PackageMedia = package_media(person, submission, mode)
    return [_chapter(item) for item in media.playable if item.material.pk == material_id]
