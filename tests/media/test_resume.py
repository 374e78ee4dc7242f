"""Resuming after a dropped connection or a killed server: no byte that reached the disk is lost."""

from __future__ import annotations

import hashlib
import io
import os

from tests.media.conftest import OFFSET_STREAM, upload_id
from youke.media.domain.uploads import partial_path
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
    assert partial_path(upload_id(url)).read_bytes() == data[:cut]

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


def test_bytes_written_before_a_server_crash_count(province, purpose, tus_as):
    """The server died after writing but before updating the row: the file size wins."""
    data = os.urandom(50_000)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data))
    assert tus.patch(url, data[:10_000], 0).status_code == 204
    with open(partial_path(upload_id(url)), "ab") as partial:
        partial.write(data[10_000:30_000])
    assert Upload.objects.get().offset == 10_000

    assert tus.head(url)["Upload-Offset"] == "30000"
    assert tus.patch(url, data[10_000:], 10_000).status_code == 409
    assert tus.patch(url, data[30_000:], 30_000).status_code == 204
    assert Upload.objects.get().sha256 == hashlib.sha256(data).hexdigest()
