"""The bytes of unfinished uploads, kept as part objects in Django's default storage.

No web process keeps anything another needs: a part is written to storage (a local folder
or an S3 bucket) and recorded with the upload's new offset in one transaction, so any
process can resume an upload and the last part is joined into the stored file by whichever
process receives the last byte. Parts live under ``uploads/parts/<upload id>/``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.core.files import File
from django.core.files.storage import default_storage

from youke.media.models import Upload, UploadPart

logger = logging.getLogger(__name__)

PARTS_FOLDER = "uploads/parts"
PIECE = 1024 * 1024


def part_folder(upload_id: uuid.UUID | str) -> str:
    return f"{PARTS_FOLDER}/{uuid.UUID(str(upload_id))}"


def store_part(upload_id: uuid.UUID, offset: int, content: io.BufferedIOBase) -> str:
    """Write one part's bytes to storage; the caller records it (or deletes it on failure)."""
    content.seek(0)
    name = f"{part_folder(upload_id)}/{offset:013d}"
    return default_storage.save(name, File(content, name=name))


def delete_objects(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # a missing object is already what we want; log anything else
            logger.warning("could not delete upload part %s", name, exc_info=True)


def delete_parts(upload: Upload) -> None:
    """Drop an upload's parts: rows first (the truth), then their objects."""
    names = list(UploadPart.objects.filter(upload=upload).values_list("storage_name", flat=True))
    UploadPart.objects.filter(upload=upload).delete()
    delete_objects(names)


def contiguous_parts(upload: Upload) -> list[UploadPart]:
    """The parts in order; a gap or an overlap means the offset bookkeeping broke."""
    parts = list(UploadPart.objects.filter(upload=upload).order_by("offset"))
    position = 0
    for part in parts:
        if part.offset != position:
            raise RuntimeError(f"upload {upload.pk}: part at {part.offset}, expected {position}")
        position += part.size
    return parts


class JoinedParts(io.RawIOBase):
    """The parts read one after another as one stream, hashed (SHA-256) on the way.

    Not seekable: storages then read it front to back (FileSystemStorage in chunks, S3 as
    a multipart upload), so a 2 GB file never sits in memory.
    """

    def __init__(self, parts: list[UploadPart]) -> None:
        super().__init__()
        self._names = [part.storage_name for part in parts]
        self._current = None
        self.sha256 = hashlib.sha256()
        self.head = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self._current is None:
                if not self._names:
                    return 0
                self._current = default_storage.open(self._names.pop(0), "rb")
            data = self._current.read(len(buffer))
            if data:
                buffer[: len(data)] = data
                self.sha256.update(data)
                if len(self.head) < 8192:
                    self.head += data[: 8192 - len(self.head)]
                return len(data)
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()


def received_bytes(upload: Upload) -> bytes:
    """Every byte received so far, joined (for tests and small files only)."""
    with JoinedParts(contiguous_parts(upload)) as joined:
        return joined.read()


def orphan_part_folders(live: set[uuid.UUID], older_than: datetime) -> list[str]:
    """Part folders in storage whose upload is not in ``live`` and untouched since then."""
    try:
        folders, _files = default_storage.listdir(PARTS_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return []
    stale = []
    for folder in folders:
        try:
            upload_id = uuid.UUID(folder)
        except ValueError:
            continue
        if upload_id in live:
            continue
        path = f"{PARTS_FOLDER}/{folder}"
        _dirs, names = default_storage.listdir(path)
        times = [default_storage.get_modified_time(f"{path}/{name}") for name in names]
        if all(moment < older_than for moment in times):
            stale.append(path)
    return stale


def delete_folder(path: str) -> int:
    _dirs, names = default_storage.listdir(path)
    delete_objects(f"{path}/{name}" for name in names)
    return len(names)
