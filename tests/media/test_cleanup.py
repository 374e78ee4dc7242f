"""Abandoned uploads are aborted and their partial files removed; active ones are left alone."""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.media.conftest import upload_id
from youke.media.domain.uploads import cleanup_abandoned_uploads, partial_dir, partial_path
from youke.media.models import Upload


def age(upload: Upload, hours: float, *, file_too: bool = True) -> None:
    then = timezone.now() - timedelta(hours=hours)
    Upload.objects.filter(pk=upload.pk).update(updated_at=then)
    path = partial_path(upload.pk)
    if file_too and path.exists():
        os.utime(path, (then.timestamp(), then.timestamp()))


def started(tus, size: int = 100, sent: int = 10) -> Upload:
    url = tus.create_url(size)
    if sent:
        assert tus.patch(url, b"x" * sent, 0).status_code == 204
    return Upload.objects.get(pk=upload_id(url))


def test_cleanup_command_aborts_stale_uploads_only(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    stale = started(tus)
    fresh = started(tus)
    busy_file = started(tus)  # row is old, but bytes arrived recently (a long PATCH)
    finished = started(tus, size=10, sent=10)
    age(stale, 30)
    age(busy_file, 30, file_too=False)
    age(finished, 30)
    old_orphan = partial_dir() / str(uuid.uuid4())
    old_orphan.write_bytes(b"left over")
    long_ago = time.time() - 30 * 3600
    os.utime(old_orphan, (long_ago, long_ago))
    new_orphan = partial_dir() / str(uuid.uuid4())
    new_orphan.write_bytes(b"just now")
    (partial_dir() / "README").write_text("not ours")

    out = StringIO()
    call_command("cleanup_uploads", "--older-than-hours", "24", stdout=out)

    assert out.getvalue().strip() == "已中止 1 个上传，删除 1 个孤立临时文件，0 个正在上传已跳过。"
    states = dict(Upload.objects.values_list("pk", "state"))
    assert states == {
        stale.pk: "aborted",
        fresh.pk: "uploading",
        busy_file.pk: "uploading",
        finished.pk: "complete",
    }
    assert not partial_path(stale.pk).exists()
    assert partial_path(fresh.pk).exists()
    assert partial_path(busy_file.pk).exists()
    assert not old_orphan.exists()
    assert new_orphan.exists()
    assert (partial_dir() / "README").exists()
    stale.refresh_from_db()
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


def test_locked_upload_is_skipped(province, purpose, tus_as):
    upload = started(tus_as(province.teacher_a))
    age(upload, 100)
    with open(partial_path(upload.pk), "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = cleanup_abandoned_uploads(older_than=timedelta(hours=1))
    assert (result.aborted, result.busy) == (0, 1)
    assert Upload.objects.get().state == "uploading"


def test_stale_upload_without_partial_file_is_aborted(province, purpose, tus_as):
    upload = started(tus_as(province.teacher_a), sent=0)
    partial_path(upload.pk).unlink()
    age(upload, 100)
    assert cleanup_abandoned_uploads(older_than=timedelta(hours=1)).aborted == 1
    assert Upload.objects.get().state == "aborted"
