"""Helpers for the favourites, history, comments and reports tests."""

from __future__ import annotations

from decimal import Decimal

from youke.library.models import LibraryFile
from youke.media.models import MediaAsset, Upload


def video(lesson, owner, seconds: int, label: str = "第1课时") -> LibraryFile:
    """A period video of ``seconds`` s (probe values only: the history needs the duration)."""
    upload = Upload.objects.create(
        owner=owner, purpose="material", filename=f"{label}.mp4", length=10
    )
    MediaAsset.objects.create(upload=upload, duration_seconds=Decimal(seconds))
    return LibraryFile.objects.create(lesson=lesson, kind="video", label=label, upload=upload)
