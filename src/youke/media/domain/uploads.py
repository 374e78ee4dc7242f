"""Resumable uploads: create, append bytes, finish into storage, abort, clean up.

Bytes arrive as part objects in storage (``domain.parts``), each recorded in the same
transaction as the upload's new ``offset``, which is the truth about how much has arrived.
A request keeps at most ``UPLOAD_PART_BYTES`` in a local temporary file before it becomes a
part, so a dropped connection keeps what arrived and a killed web process loses at most one
part, which the client sends again. A writing request holds the upload's lease, so two tabs,
two retries or two machines never interleave bytes. When the last byte arrives, the parts
are joined into one stored file, hashed and sniffed, and the purpose's ``on_complete`` runs
after commit. No process keeps anything another needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.domain import parts, purposes
from youke.media.domain.purposes import UploadRefused
from youke.media.domain.sniff import needs_whole_file, sniff_handle, sniff_head
from youke.media.enums import UPLOAD_TRANSITIONS, UploadState
from youke.media.models import Upload, UploadPart
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
DEFAULT_PART_BYTES = 8 * 1024 * 1024
DEFAULT_LEASE_SECONDS = 60
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


def part_bytes() -> int:
    return max(PIECE, int(settings.CONFIG.get("UPLOAD_PART_BYTES", DEFAULT_PART_BYTES)))


def lease_seconds() -> int:
    return max(1, int(settings.CONFIG.get("UPLOAD_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


def current_offset(upload: Upload) -> int:
    """Bytes received so far: recorded with each part, so the row is the truth."""
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
    get_user_model().objects.select_for_update(no_key=True).filter(pk=person.pk).first()
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


class _Lease:
    """This request's hold on an upload; renewed while bytes arrive, released at the end."""

    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.token = uuid.uuid4()
        self.renewed = time.monotonic()

    def _mine(self):
        return Upload.objects.filter(
            pk=self.upload.pk, lease_token=self.token, state=UploadState.UPLOADING
        )

    def take(self) -> bool:
        now = timezone.now()
        free = Q(lease_token__isnull=True) | Q(lease_until__lt=now)
        taken = (
            Upload.objects.filter(free, pk=self.upload.pk, state=UploadState.UPLOADING).update(
                lease_token=self.token, lease_until=now + timedelta(seconds=lease_seconds())
            )
            == 1
        )
        self.renewed = time.monotonic()
        return taken

    def renew_if_due(self) -> None:
        """Keep the lease while a slow connection trickles bytes in."""
        if time.monotonic() - self.renewed >= lease_seconds() / 3:
            self.advance(None)

    def advance(self, offset: int | None) -> None:
        """Renew the lease (and move the offset); a lost lease stops this request."""
        now = timezone.now()
        changes: dict[str, Any] = {
            "lease_until": now + timedelta(seconds=lease_seconds()),
            "updated_at": now,
        }
        if offset is not None:
            changes["offset"] = offset
        if not self._mine().update(**changes):
            raise _lease_lost()
        self.renewed = time.monotonic()

    def release(self) -> None:
        Upload.objects.filter(pk=self.upload.pk, lease_token=self.token).update(
            lease_token=None, lease_until=None
        )


def _busy() -> UploadError:
    return UploadError(
        _("该文件正在另一个窗口或另一台设备上上传。请关闭重复的页面，稍候片刻上传会自动继续。"),
        status=423,
    )


def _lease_lost() -> UploadError:
    return UploadError(
        _("该上传已被中止或已在别处继续，本次发送的内容未保存。请刷新页面查看上传状态。"),
        status=409,
    )


@contextlib.contextmanager
def _leased(upload: Upload) -> Iterator[_Lease]:
    """Hold the upload for this request, or answer 423 (another request holds it) / 410."""
    lease = _Lease(upload)
    if not lease.take():
        upload.refresh_from_db(fields=["state", "offset", "updated_at"])
        _refuse_unless_uploading(upload)
        raise _busy()
    try:
        # Another request may have written, finished or aborted it before this one took it.
        upload.refresh_from_db(fields=["state", "offset", "updated_at"])
        yield lease
    finally:
        lease.release()


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

    Reads ``stream`` 1 MiB at a time and stores a part every ``UPLOAD_PART_BYTES``, so memory
    stays flat whatever the chunk size. If the stream breaks, the bytes that arrived are
    stored and the result says so. A body with a checksum is stored whole or not at all.
    """
    _refuse_unless_uploading(upload)
    with _leased(upload) as lease:
        _refuse_unless_uploading(upload)
        start = upload.offset
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
        receiver = _Receiver(upload, lease, start, whole=checksum is not None)
        hasher = hashlib.new(checksum.algorithm) if checksum else None
        received, interrupted = receiver.copy(stream, wanted, hasher)
        if checksum and (interrupted or hasher.digest() != checksum.digest):
            # An unverifiable piece is dropped whole; the client sends it again.
            receiver.discard()
            raise UploadError(
                _("本段内容校验失败（%(algorithm)s 不一致），已丢弃，请重新发送这一段。")
                % {"algorithm": checksum.algorithm},
                status=460,
                offset=start,
            )
        size = receiver.flush()
        upload.offset = size
        if interrupted:
            logger.info("upload %s: connection dropped after %s bytes", upload.pk, received)
        elif size == upload.length:
            upload = _finish(actor, upload)
    return WriteResult(upload=upload, offset=size, interrupted=interrupted)


class _Receiver:
    """Bytes of one request, spooled to a temporary file and stored as parts."""

    def __init__(self, upload: Upload, lease: _Lease, start: int, *, whole: bool) -> None:
        self.upload = upload
        self.lease = lease
        self.offset = start  # the upload's recorded offset: everything before is stored
        self.whole = whole
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by flush/discard

    def copy(self, stream: IO[bytes], wanted: int, hasher) -> tuple[int, bool]:
        """Copy up to ``wanted`` bytes from the request; True if the stream broke."""
        received = 0
        limit = part_bytes()
        while received < wanted:
            try:
                piece = stream.read(min(PIECE, wanted - received))
            except Exception as exc:  # any failure of the client side: keep what arrived
                logger.info("upload body stream failed after %s bytes: %r", received, exc)
                return received, True
            if not piece:
                break
            self.spool.write(piece)
            if hasher is not None:
                hasher.update(piece)
            received += len(piece)
            if not self.whole and self.spool.tell() >= limit:
                self._store()
            else:
                self.lease.renew_if_due()
        return received, received < wanted

    def _store(self) -> None:
        size = self.spool.tell()
        if not size:
            return
        name = parts.store_part(self.upload.pk, self.offset, self.spool)
        try:
            with transaction.atomic():
                UploadPart.objects.create(
                    upload=self.upload, offset=self.offset, size=size, storage_name=name
                )
                self.lease.advance(self.offset + size)
        except Exception:
            parts.delete_objects([name])
            raise
        self.offset += size
        self.spool.seek(0)
        self.spool.truncate()

    def flush(self) -> int:
        """Store what is left; the upload's new offset."""
        try:
            self._store()
        finally:
            self.spool.close()
        return self.offset

    def discard(self) -> None:
        self.spool.close()


# --- finishing -----------------------------------------------------------------------------


def _finish(actor: Actor, upload: Upload) -> Upload:
    """Join the parts into one stored file, hash and sniff it (the caller holds the lease)."""
    now = timezone.now()
    name = f"uploads/{now:%Y}/{now:%m}/{upload.pk}/{upload.filename}"
    joined = parts.JoinedParts(parts.contiguous_parts(upload))
    try:
        stored = default_storage.save(name, File(joined, name=upload.filename))
    finally:
        joined.close()
    try:
        content_type = _sniff_stored(stored, joined.head)
        upload = set_upload_state(
            upload,
            UploadState.COMPLETE,
            actor=actor,
            changes={
                "offset": upload.length,
                "sha256": joined.sha256.hexdigest(),
                "content_type": content_type,
                "storage_name": stored,
                "completed_at": now,
            },
        )
    except Exception:
        # The parts stay, so the last PATCH can be sent again.
        default_storage.delete(stored)
        raise
    parts.delete_parts(upload)
    return upload


def _sniff_stored(stored: str, head: bytes) -> str:
    """Most types show in the first bytes; office files need their directory read."""
    if not needs_whole_file(head):
        return sniff_head(head)
    with default_storage.open(stored, "rb") as handle:
        return sniff_handle(handle)


# --- termination and clean-up ----------------------------------------------------------------


def abort_upload(actor: Actor, upload: Upload, *, reason: str = "") -> Upload:
    """Termination (tus DELETE) and the abandoned-upload sweep: drop the stored parts."""
    _refuse_unless_uploading(upload)
    with _leased(upload):
        _refuse_unless_uploading(upload)
        upload = set_upload_state(upload, UploadState.ABORTED, actor=actor, reason=reason)
        parts.delete_parts(upload)
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
    """Abort uploads idle for ``older_than`` and delete parts without an unfinished upload."""
    actor = actor or Actor.system()
    now = timezone.now()
    cutoff = now - (older_than if older_than is not None else abandon_after())
    reason = _("超过 %(hours)s 小时未继续上传，系统自动清理。") % {
        "hours": int((now - cutoff).total_seconds() // 3600)
    }
    aborted = busy = 0
    stale = Upload.objects.filter(state=UploadState.UPLOADING, updated_at__lt=cutoff)
    for upload in stale.iterator(chunk_size=500):
        try:
            abort_upload(actor, upload, reason=reason)
        except UploadError:
            busy += 1  # someone is uploading right now (bytes arriving renew the lease)
            continue
        except IllegalUploadTransition:
            continue  # finished meanwhile
        aborted += 1
    return CleanupResult(aborted=aborted, orphans=_remove_orphans(cutoff), busy=busy)


def _remove_orphans(cutoff) -> int:
    """Parts whose upload is gone or no longer uploading (e.g. a crash mid-finish)."""
    removed = 0
    leftover = UploadPart.objects.exclude(upload__state=UploadState.UPLOADING).filter(
        created_at__lt=cutoff
    )
    for upload_id in set(leftover.values_list("upload_id", flat=True)):
        names = list(leftover.filter(upload_id=upload_id).values_list("storage_name", flat=True))
        leftover.filter(upload_id=upload_id).delete()
        parts.delete_objects(names)
        removed += 1
    # Objects stored by a process that died before recording them.
    live = set(Upload.objects.filter(state=UploadState.UPLOADING).values_list("pk", flat=True))
    for folder in parts.orphan_part_folders(live, cutoff):
        removed += 1 if parts.delete_folder(folder) else 0
    return removed
