"""Resuming after a dropped connection or a killed server: no byte that reached the disk is lost."""

from __future__ import annotations

import hashlib
import io
import os

from tests.media.conftest import OFFSET_STREAM, received, stored_part_names, upload_id
from youke.media.domain import parts
from youke.media.models import Upload


class BreakingStream(io.RawIOBase):
    """A request body that delivers ``good`` bytes, then fails like a reset connection."""

    def __init__(self, data: bytes, good: int, error: Exception | None = None):
        self.data = data
        self.good = good
        self.position = 0
        self.error = error

    def read(self, size: int = -1) -> bytes:
        if self.position >= self.good:
            if self.error is None:
                return b""  # the client simply went quiet and closed
            raise self.error
        end = min(self.good, self.position + (size if size >= 0 else len(self.data)))
        piece = self.data[self.position : end]
        self.position = end
        return piece


def patch_stream(tus, url: str, stream, offset: int, length: int):
    return tus.client.generic(
        "PATCH",
        url,
        headers={**tus.headers, "Upload-Offset": str(offset)},
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(length), "CONTENT_TYPE": OFFSET_STREAM},
    )


def test_dropped_connection_keeps_bytes_and_resumes(
    province, purpose, tus_as, django_capture_on_commit_callbacks
):
    data = os.urandom(5 * 1024 * 1024 + 123)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data), filename="实录.mp4")
    cut = 3 * 1024 * 1024 + 5000  # mid-way through the fourth 1 MiB piece

    stream = BreakingStream(data, cut, ConnectionResetError("connection reset by peer"))
    response = patch_stream(tus, url, stream, 0, len(data))

    assert response.status_code == 400
    assert response["Upload-Offset"] == str(cut)
    assert response.json() == {
        "detail": f"连接中断：服务器已保存 {cut} 字节。请保持页面打开，上传会从该位置自动继续。"
    }
    head = tus.head(url)
    assert head["Upload-Offset"] == str(cut)
    assert Upload.objects.get().offset == cut
    assert received(upload_id(url)) == data[:cut]

    with django_capture_on_commit_callbacks(execute=True):
        response = tus.patch(url, data[cut:], cut)
    assert response.status_code == 204
    upload = Upload.objects.get()
    assert upload.state == "complete"
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert purpose.completed == [upload.pk]


def test_short_body_is_kept_and_resumed(province, purpose, tus_as):
    data = os.urandom(300_000)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data))

    response = patch_stream(tus, url, BreakingStream(data, 120_000), 0, len(data))

    assert response.status_code == 400
    assert tus.head(url)["Upload-Offset"] == "120000"
    assert tus.patch(url, data[120_000:], 120_000).status_code == 204
    assert Upload.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_a_part_stored_but_never_recorded_is_ignored(province, purpose, tus_as, settings):
    """The server died between storing a part and recording it: the recorded offset wins,
    the client sends those bytes again, and the stray object is cleaned up at completion."""
    data = os.urandom(50_000)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data))
    assert tus.patch(url, data[:10_000], 0).status_code == 204
    parts.store_part(upload_id(url), 10_000, io.BytesIO(data[10_000:30_000]))
    assert Upload.objects.get().offset == 10_000

    assert tus.head(url)["Upload-Offset"] == "10000"
    assert tus.patch(url, data[30_000:], 30_000).status_code == 409
    assert tus.patch(url, data[10_000:], 10_000).status_code == 204
    upload = Upload.objects.get()
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert len(stored_part_names(upload)) == 1  # the stray one, until the sweep

    settings.CONFIG = {**settings.CONFIG, "UPLOAD_ABANDON_HOURS": 0}
    from youke.media.domain.uploads import cleanup_abandoned_uploads

    assert cleanup_abandoned_uploads().orphans == 1
    assert stored_part_names(upload) == []


def test_a_long_request_stores_parts_as_it_goes(province, purpose, tus_as, settings):
    """Every UPLOAD_PART_BYTES a part is stored and the offset moves, inside one PATCH."""
    settings.CONFIG = {**settings.CONFIG, "UPLOAD_PART_BYTES": 1024 * 1024}
    data = os.urandom(2 * 1024 * 1024 + 5)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data))
    cut = 1024 * 1024 + 300_000
    stream = BreakingStream(data, cut, ConnectionResetError("connection reset by peer"))
    response = patch_stream(tus, url, stream, 0, len(data))
    assert response.status_code == 400
    assert Upload.objects.get().offset == cut
    sizes = list(Upload.objects.get().parts.values_list("offset", "size"))
    assert sizes == [(0, 1024 * 1024), (1024 * 1024, 300_000)]
    assert tus.patch(url, data[cut:], cut).status_code == 204
    assert Upload.objects.get().sha256 == hashlib.sha256(data).hexdigest()
