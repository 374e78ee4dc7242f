"""Resumable uploads: create, append bytes, finish into storage, abort, clean up.

Bytes arrive in ``DATA_DIR/uploads/partial/<id>``. The partial file's size is the truth
about how much has arrived (a dropped connection or a killed server keeps every byte that
reached the disk); ``Upload.offset`` mirrors it. Appends hold an exclusive ``flock`` on the
partial file, so two tabs (or two retries) can never interleave bytes. When the last byte
arrives, the file is hashed, sniffed and moved into Django's default storage, and the
purpose's ``on_complete`` runs after commit.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.domain import purposes
from youke.media.domain.purposes import UploadRefused
from youke.media.domain.sniff import sniff_file
from youke.media.enums import UPLOAD_TRANSITIONS, UploadState
from youke.media.models import Upload
from youke.media.validators import (
    clean_filename,
    extension_only,
    human_size,
    over_limit_sizes,
)
from youke.orgs.domain.units import PermissionDenied

logger = logging.getLogger(__name__)

PIECE = 1024 * 1024  # bytes read from the request (and the disk) at a time
DEFAULT_MAX_BYTES = 2 * 1024**3
DEFAULT_ABANDON_HOURS = 48
DEFAULT_MAX_UNFINISHED = 5
DEFAULT_MAX_RESERVED_BYTES = 3 * 1024**3
CHECKSUM_ALGORITHMS = ("sha1", "sha256", "md5")


class UploadError(Exception):
    """A refused upload operation; ``status`` is the HTTP status the tus view answers."""

    def __init__(self, message: str, *, status: int, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.offset = offset

    def __str__(self) -> str:
        return self.message


class IllegalUploadTransition(Exception):
    """A state change the upload table does not allow."""


def max_upload_bytes() -> int:
    """The platform ceiling (Tus-Max-Size); each purpose sets its own lower limit."""
    return int(settings.CONFIG.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def abandon_after() -> timedelta:
    return timedelta(hours=int(settings.CONFIG.get("UPLOAD_ABANDON_HOURS", DEFAULT_ABANDON_HOURS)))


def partial_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "partial"


def partial_path(upload_id: uuid.UUID | str) -> Path:
    return partial_dir() / str(uuid.UUID(str(upload_id)))


def current_offset(upload: Upload) -> int:
    """Bytes received so far: the partial file's size while uploading, else the stored offset."""
    if upload.state != UploadState.UPLOADING:
        return upload.offset
    try:
        return partial_path(upload.pk).stat().st_size
    except FileNotFoundError:
        # Moved into storage a moment ago (finishing) or cleaned up: the row knows.
        return upload.offset


# --- state ---------------------------------------------------------------------------------


def set_upload_state(
    upload: Upload,
    new_state: str,
    *,
    actor: Actor,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Upload:
    """The one writer of ``Upload.state``; a completed upload notifies its purpose after commit."""
    changes = changes or {}
    with transaction.atomic():
        locked = (
            Upload.objects.select_for_update(of=("self",))
            .select_related("owner__unit")
            .get(pk=upload.pk)
        )
        if new_state not in UPLOAD_TRANSITIONS[locked.state]:
            raise IllegalUploadTransition(f"{locked.state} -> {new_state}")
        before = {"state": locked.state, "offset": locked.offset}
        locked.state = new_state
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=["state", *changes, "updated_at"])
        after = {"state": new_state, "offset": locked.offset}
        if new_state == UploadState.COMPLETE:
            after |= {"sha256": locked.sha256, "content_type": locked.content_type}
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=locked.owner.unit,
            before=before,
            after=after,
            reason=reason,
        )
        if new_state == UploadState.COMPLETE:
            transaction.on_commit(lambda: _notify_purpose(locked.pk), robust=True)
    return locked


def _notify_purpose(upload_id: uuid.UUID) -> None:
    upload = Upload.objects.select_related("owner").get(pk=upload_id)
    purpose = purposes.find_purpose(upload.purpose)
    if purpose is None:
        logger.warning("upload %s finished for unregistered purpose %s", upload.pk, upload.purpose)
        return
    purpose.on_complete(upload)


# --- creation ------------------------------------------------------------------------------


def create_upload(actor: Actor, *, length: int, metadata: dict[str, str]) -> Upload:
    """Start an upload after its purpose has allowed it; refused before any byte is sent.

    The purpose sees the cleaned file name (the one that will be stored), so what it
    accepts now is what it will be asked to claim later.
    """
    person = actor.person
    ceiling = max_upload_bytes()
    if length > ceiling:
        size, limit = over_limit_sizes(length, ceiling)
        raise UploadRefused(
            _("文件大小为 %(size)s，超过平台上限 %(limit)s。请压缩后再上传。")
            % {"size": size, "limit": limit},
            status=413,
        )
    purpose = purposes.get_purpose(metadata.get("purpose", ""))
    raw_name = metadata.get("filename", "")
    if bare_extension := extension_only(raw_name):
        raise UploadRefused(
            _(
                "文件名“%(name)s”只有扩展名，没有名称。请把文件改名（例如“教学设计%(name)s”）"
                "后重新选择上传。"
            )
            % {"name": bare_extension},
            status=400,
        )
    filename = clean_filename(raw_name)
    if not filename:
        raise UploadRefused(
            _("上传请求缺少文件名（filename），请重新选择文件后再上传。"), status=400
        )
    if length == 0:
        raise UploadRefused(
            _("文件“%(name)s”是空的（0 字节），请检查文件内容后重新选择。") % {"name": filename},
            status=400,
        )
    metadata = {**metadata, "filename": filename}
    allowed = purpose.authorize(person, metadata, length)
    if length > allowed:
        size, limit = over_limit_sizes(length, allowed)
        raise UploadRefused(
            _("文件大小为 %(size)s，超过该材料允许的 %(limit)s。请压缩或重新导出后再上传。")
            % {"size": size, "limit": limit},
            status=413,
        )
    partial_dir().mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        _check_unfinished_allowance(person, length)
        upload = Upload.objects.create(
            owner=person,
            purpose=purpose.name,
            filename=filename,
            length=length,
            metadata=metadata,
        )
        record(
            actor,
            AuditAction.CREATE,
            upload,
            unit=person.unit,
            after={"purpose": purpose.name, "filename": filename, "length": length},
        )
        # Created inside the transaction: no row without its file, no file without its row.
        fd = os.open(partial_path(upload.pk), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    return upload


def max_unfinished_uploads() -> int:
    return int(settings.CONFIG.get("UPLOAD_MAX_UNFINISHED", DEFAULT_MAX_UNFINISHED))


def max_reserved_bytes() -> int:
    return int(settings.CONFIG.get("UPLOAD_MAX_RESERVED_BYTES", DEFAULT_MAX_RESERVED_BYTES))


def _check_unfinished_allowance(person, length: int) -> None:
    """Bound what one person can hold open: a count and a total declared size.

    Without it one account could open hundreds of 1 GB uploads in seconds and reserve the
    disk for bytes that never come. The person's row is locked so that parallel creations
    count each other (SQLite's IMMEDIATE transactions serialise them anyway).
    """
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()
    totals = Upload.objects.filter(owner=person, state=UploadState.UPLOADING).aggregate(
        count=Count("pk"), reserved=Sum("length")
    )
    count, reserved = totals["count"], totals["reserved"] or 0
    how = _(
        "请在申报页面重新选择同一文件完成上传（会从中断处继续），"
        "或在“我的上传”中取消不再需要的上传，然后再试。"
    )
    limit = max_unfinished_uploads()
    if count >= limit:
        raise UploadRefused(
            _("您已有 %(count)s 个未完成的上传，最多同时保留 %(limit)s 个。")
            % {"count": count, "limit": limit}
            + how,
            status=429,
        )
    budget = max_reserved_bytes()
    if reserved + length > budget:
        raise UploadRefused(
            _(
                "未完成的上传最多共 %(limit)s：您已有 %(count)s 个未完成的上传共 %(reserved)s，"
                "加上本文件 %(size)s 将超出。"
            )
            % {
                "limit": human_size(budget),
                "count": count,
                "reserved": human_size(reserved),
                "size": human_size(length),
            }
            + how,
            status=429,
        )


# --- appending -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    digest: bytes


@dataclass
class WriteResult:
    upload: Upload
    offset: int
    interrupted: bool = False


@contextlib.contextmanager
def _locked_partial(upload: Upload) -> Iterator[IO[bytes]]:
    """The partial file, opened for appending under an exclusive lock, or 410/423."""
    try:
        handle = open(partial_path(upload.pk), "r+b", buffering=0)  # noqa: SIM115
    except FileNotFoundError as exc:
        raise gone() from exc
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise UploadError(
                _(
                    "该文件正在另一个窗口或另一台设备上上传。请关闭重复的页面，"
                    "稍候片刻上传会自动继续。"
                ),
                status=423,
            ) from exc
        yield handle


def gone() -> UploadError:
    return UploadError(
        _("该上传已中止或已被清理，已收到的内容不再保留。请重新选择文件上传。"), status=410
    )


def _refuse_unless_uploading(upload: Upload) -> None:
    if upload.state == UploadState.ABORTED:
        raise gone()
    if upload.state == UploadState.COMPLETE:
        raise UploadError(_("该文件已上传完成，无需继续上传。"), status=409, offset=upload.offset)


def write_chunk(
    actor: Actor,
    upload: Upload,
    *,
    offset: int,
    stream: IO[bytes],
    content_length: int | None,
    checksum: Checksum | None = None,
) -> WriteResult:
    """Append the body of one PATCH at ``offset``; finish the upload at its last byte.

    Reads ``stream`` 1 MiB at a time, so memory stays flat whatever the chunk size. If the
    stream breaks, the bytes that reached the disk stay and the result says so.
    """
    _refuse_unless_uploading(upload)
    with _locked_partial(upload) as handle:
        # Another request may have finished or aborted it while this one waited for the lock.
        upload.refresh_from_db(fields=["state", "offset", "updated_at"])
        _refuse_unless_uploading(upload)
        fd = handle.fileno()
        start = os.fstat(fd).st_size
        if offset != start:
            raise UploadError(
                _(
                    "上传位置不一致：服务器已收到 %(have)s 字节，本次从第 %(sent)s 字节开始。"
                    "请刷新页面，上传会从服务器记录的位置继续。"
                )
                % {"have": start, "sent": offset},
                status=409,
                offset=start,
            )
        remaining = upload.length - start
        if content_length is not None and content_length > remaining:
            raise UploadError(
                _("本次发送的内容超出了创建上传时声明的文件大小，请重新选择文件上传。"),
                status=413,
                offset=start,
            )
        wanted = remaining if content_length is None else content_length
        hasher = hashlib.new(checksum.algorithm) if checksum else None
        received, interrupted = _copy(stream, fd, start, wanted, hasher)
        if checksum and (interrupted or hasher.digest() != checksum.digest):
            # An unverifiable piece is dropped whole; the client sends it again.
            os.ftruncate(fd, start)
            os.fsync(fd)
            raise UploadError(
                _("本段内容校验失败（%(algorithm)s 不一致），已丢弃，请重新发送这一段。")
                % {"algorithm": checksum.algorithm},
                status=460,
                offset=start,
            )
        os.fsync(fd)
        size = os.fstat(fd).st_size
        Upload.objects.filter(pk=upload.pk, state=UploadState.UPLOADING).update(
            offset=size, updated_at=timezone.now()
        )
        upload.offset = size
        if interrupted:
            logger.info("upload %s: connection dropped after %s bytes", upload.pk, received)
        elif size == upload.length:
            upload = _finish(actor, upload, handle)
    return WriteResult(upload=upload, offset=size, interrupted=interrupted)


def _copy(stream: IO[bytes], fd: int, start: int, wanted: int, hasher) -> tuple[int, bool]:
    """Copy up to ``wanted`` bytes from the request to the file; True if the stream broke."""
    os.lseek(fd, start, os.SEEK_SET)
    received = 0
    while received < wanted:
        try:
            piece = stream.read(min(PIECE, wanted - received))
        except Exception as exc:  # any failure of the client side: keep what already arrived
            logger.info("upload body stream failed after %s bytes: %r", received, exc)
            return received, True
        if not piece:
            break
        view = memoryview(piece)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if hasher is not None:
            hasher.update(piece)
        received += len(piece)
    return received, received < wanted


# --- finishing -----------------------------------------------------------------------------


class _PartialFile(File):
    """The finished partial file; ``temporary_file_path`` lets FileSystemStorage move it.

    On the same disk the move is a rename (instant for 1 GB); other storages (S3) read it
    in chunks, never whole.
    """

    def __init__(self, path: Path, name: str) -> None:
        super().__init__(open(path, "rb"), name=name)  # noqa: SIM115
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


def _file_sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while piece := handle.read(PIECE):
        digest.update(piece)
    return digest.hexdigest()


def _finish(actor: Actor, upload: Upload, handle: IO[bytes]) -> Upload:
    """Hash, sniff and move the complete partial file into storage (caller holds the lock)."""
    path = partial_path(upload.pk)
    sha256 = _file_sha256(handle)
    content_type = sniff_file(path)
    now = timezone.now()
    name = f"uploads/{now:%Y}/{now:%m}/{upload.pk}/{upload.filename}"
    content = _PartialFile(path, upload.filename)
    try:
        stored = default_storage.save(name, content)
    finally:
        content.close()
    try:
        upload = set_upload_state(
            upload,
            UploadState.COMPLETE,
            actor=actor,
            changes={
                "offset": upload.length,
                "sha256": sha256,
                "content_type": content_type,
                "storage_name": stored,
                "completed_at": now,
            },
        )
    except Exception:
        _restore_partial(path, stored)
        raise
    path.unlink(missing_ok=True)  # storages that copied rather than moved
    return upload


def _restore_partial(path: Path, stored: str) -> None:
    """Put the bytes back where a retry expects them if the row could not be completed."""
    if not path.exists():
        with default_storage.open(stored, "rb") as source, open(path, "wb") as target:
            while piece := source.read(PIECE):
                target.write(piece)
    default_storage.delete(stored)


# --- termination and clean-up ----------------------------------------------------------------


def abort_upload(actor: Actor, upload: Upload, *, reason: str = "") -> Upload:
    """Termination (tus DELETE) and the abandoned-upload sweep: drop the partial bytes."""
    _refuse_unless_uploading(upload)
    path = partial_path(upload.pk)
    if not path.exists():
        return set_upload_state(upload, UploadState.ABORTED, actor=actor, reason=reason)
    with _locked_partial(upload):
        upload = set_upload_state(upload, UploadState.ABORTED, actor=actor, reason=reason)
        path.unlink(missing_ok=True)
    return upload


def cancel_upload(actor: Actor, upload: Upload) -> Upload:
    """The owner cancels an unfinished upload from a page ("我的上传"); refusals as messages."""
    if upload.owner_id != actor.person.pk:
        raise PermissionDenied("upload")
    if upload.state == UploadState.COMPLETE:
        raise ValidationError(
            _("“%(name)s”已上传完成，不能取消。如不再需要，请在申报材料中移除该文件。")
            % {"name": upload.filename}
        )
    try:
        return abort_upload(actor, upload, reason=_("上传人取消上传"))
    except UploadError as exc:
        raise ValidationError(exc.message) from exc
    except IllegalUploadTransition as exc:
        raise ValidationError(_("该上传的状态已变化，请刷新页面后查看。")) from exc


@dataclass(frozen=True)
class CleanupResult:
    aborted: int
    orphans: int
    busy: int


def cleanup_abandoned_uploads(
    *, older_than: timedelta | None = None, actor: Actor | None = None
) -> CleanupResult:
    """Abort uploads idle for ``older_than`` and delete partial files without an upload."""
    actor = actor or Actor.system()
    cutoff = timezone.now() - (older_than if older_than is not None else abandon_after())
    cutoff_ts = cutoff.timestamp()
    reason = _("超过 %(hours)s 小时未继续上传，系统自动清理。") % {
        "hours": int((timezone.now() - cutoff).total_seconds() // 3600)
    }
    aborted = busy = 0
    stale = Upload.objects.filter(state=UploadState.UPLOADING, updated_at__lt=cutoff)
    for upload in stale.iterator(chunk_size=500):
        path = partial_path(upload.pk)
        with contextlib.suppress(FileNotFoundError):
            # Bytes written by a long-running PATCH count as activity.
            if path.stat().st_mtime >= cutoff_ts:
                continue
        try:
            abort_upload(actor, upload, reason=reason)
        except UploadError:
            busy += 1  # someone is uploading right now
            continue
        except IllegalUploadTransition:
            continue  # finished meanwhile
        aborted += 1
    return CleanupResult(aborted=aborted, orphans=_remove_orphans(cutoff_ts), busy=busy)


def _remove_orphans(cutoff_ts: float) -> int:
    """Partial files whose upload is gone or no longer uploading (e.g. a crash mid-finish)."""
    folder = partial_dir()
    if not folder.is_dir():
        return 0
    candidates: dict[uuid.UUID, Path] = {}
    for entry in folder.iterdir():
        try:
            upload_id = uuid.UUID(entry.name)
        except ValueError:
            continue
        with contextlib.suppress(FileNotFoundError):
            if entry.is_file() and entry.stat().st_mtime < cutoff_ts:
                candidates[upload_id] = entry
    live = set(
        Upload.objects.filter(pk__in=list(candidates), state=UploadState.UPLOADING).values_list(
            "pk", flat=True
        )
    )
    removed = 0
    for upload_id, entry in candidates.items():
        if upload_id not in live:
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
