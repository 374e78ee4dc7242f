"""Abandoned uploads are aborted and their stored parts removed; active ones are left alone."""

from __future__ import annotations

import io
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.media.conftest import stored_part_names, upload_id
from youke.media.domain import parts
from youke.media.domain.uploads import _Lease, cleanup_abandoned_uploads
from youke.media.models import Upload, UploadPart


def age(upload: Upload, hours: float) -> None:
    then = timezone.now() - timedelta(hours=hours)
    Upload.objects.filter(pk=upload.pk).update(updated_at=then)
    UploadPart.objects.filter(upload=upload).update(created_at=then)


def started(tus, size: int = 100, sent: int = 10) -> Upload:
    url = tus.create_url(size)
    if sent:
        assert tus.patch(url, b"x" * sent, 0).status_code == 204
    return Upload.objects.get(pk=upload_id(url))


def test_cleanup_command_aborts_stale_uploads_only(province, purpose, tus_as, monkeypatch):
    tus = tus_as(province.teacher_a)
    stale = started(tus)
    fresh = started(tus)
    busy = started(tus)  # row is old, but a request is writing it right now (holds the lease)
    finished = started(tus, size=10, sent=10)
    age(stale, 30)
    age(busy, 30)
    age(finished, 30)
    lease = _Lease(busy)
    assert lease.take()
    import uuid

    old_orphan = uuid.uuid4()  # a process died after storing a part of an upload now gone
    parts.store_part(old_orphan, 0, io.BytesIO(b"left over"))
    new_orphan = uuid.uuid4()
    parts.store_part(new_orphan, 0, io.BytesIO(b"just now"))
    real_time = parts.default_storage.get_modified_time

    def modified(name):
        if str(old_orphan) in name:
            return timezone.now() - timedelta(hours=30)
        return real_time(name)

    monkeypatch.setattr(parts.default_storage, "get_modified_time", modified)

    out = StringIO()
    call_command("cleanup_uploads", "--older-than-hours", "24", stdout=out)

    assert out.getvalue().strip() == "已中止 1 个上传，删除 1 个孤立临时文件，1 个正在上传已跳过。"
    states = dict(Upload.objects.values_list("pk", "state"))
    assert states == {
        stale.pk: "aborted",
        fresh.pk: "uploading",
        busy.pk: "uploading",
        finished.pk: "complete",
    }
    assert stored_part_names(stale) == []
    assert stored_part_names(fresh) and stored_part_names(busy)
    assert stored_part_names(old_orphan) == []
    assert stored_part_names(new_orphan)
    from youke.core.models import AuditEvent

    event = AuditEvent.objects.get(object_id=str(stale.pk), action="update")
    assert (event.actor, event.actor_name, event.reason) == (
        None,
        "system",
        "超过 24 小时未继续上传，系统自动清理。",
    )


def test_default_age_comes_from_config(province, purpose, tus_as, settings):
    tus = tus_as(province.teacher_a)
    upload = started(tus)
    age(upload, 3)
    call_command("cleanup_uploads", stdout=StringIO())  # default 48 hours
    assert Upload.objects.get().state == "uploading"

    settings.CONFIG = {**settings.CONFIG, "UPLOAD_ABANDON_HOURS": 2}
    call_command("cleanup_uploads", stdout=StringIO())
    assert Upload.objects.get().state == "aborted"


def test_leased_upload_is_skipped_until_its_lease_expires(province, purpose, tus_as, settings):
    upload = started(tus_as(province.teacher_a))
    age(upload, 100)
    assert _Lease(upload).take()  # a request (or a process that died) holds it
    result = cleanup_abandoned_uploads(older_than=timedelta(hours=1))
    assert (result.aborted, result.busy) == (0, 1)
    assert Upload.objects.get().state == "uploading"

    Upload.objects.filter(pk=upload.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert cleanup_abandoned_uploads(older_than=timedelta(hours=1)).aborted == 1


def test_stale_upload_without_any_bytes_is_aborted(province, purpose, tus_as):
    upload = started(tus_as(province.teacher_a), sent=0)
    age(upload, 100)
    assert cleanup_abandoned_uploads(older_than=timedelta(hours=1)).aborted == 1
    assert Upload.objects.get().state == "aborted"
