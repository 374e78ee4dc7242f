"""Two tabs uploading the same file: one waits its turn (423/409), bytes never interleave."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client

from tests.media.conftest import TusClient, bearer_headers
from tests.media.test_resume import patch_stream
from youke.media.models import Upload, UploadPart


class GatedStream(io.RawIOBase):
    """Sends its first piece, then holds the request open until told to go on."""

    def __init__(self, data: bytes, started: threading.Event, proceed: threading.Event):
        self.data = data
        self.position = 0
        self.started = started
        self.proceed = proceed

    def read(self, size: int = -1) -> bytes:
        if self.position == 1024:
            self.started.set()
            assert self.proceed.wait(10)
        end = min(len(self.data), self.position + (1024 if self.position == 0 else size))
        piece = self.data[self.position : end]
        self.position = end
        return piece


@pytest.mark.django_db(transaction=True)
def test_concurrent_patch_is_locked_out(province, purpose):
    headers = bearer_headers(province.teacher_a)
    first = TusClient(Client(), headers)
    url = first.create_url(64 * 1024)
    tab_a = b"A" * (64 * 1024)
    tab_b = b"B" * (64 * 1024)
    started, proceed = threading.Event(), threading.Event()
    results = {}

    def upload_from_tab_a():
        try:
            stream = GatedStream(tab_a, started, proceed)
            results["a"] = patch_stream(first, url, stream, 0, len(tab_a))
        finally:
            connection.close()

    thread = threading.Thread(target=upload_from_tab_a)
    thread.start()
    assert started.wait(10)
    second = TusClient(Client(), headers)
    results["b"] = second.patch(url, tab_b, 0)
    proceed.set()
    thread.join(10)

    assert results["b"].status_code == 423
    assert results["b"].json() == {
        "detail": "该文件正在另一个窗口或另一台设备上上传。请关闭重复的页面，稍候片刻上传会自动继续。"
    }
    assert results["a"].status_code == 204
    upload = Upload.objects.get()
    assert upload.state == "complete"
    assert not UploadPart.objects.exists()
    with default_storage.open(upload.storage_name) as stored:
        assert stored.read() == tab_a

    # The second tab retries after the first finished: its offset is now stale.
    late = second.patch(url, tab_b, 0)
    assert late.status_code == 409
