"""A 50 MB upload through real HTTP: 8 MiB PATCHes, flat server memory, correct SHA-256.

live_server runs in a thread of this process, so this process's RSS is the server's (plus
the client's single 8 MiB chunk). Throughput is printed, never asserted (BRIEF §8).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import urllib.error
import urllib.request

from tests.media.conftest import TUS, bearer_headers, encode_metadata
from youke.media.models import Upload

CHUNK = 8 * 1024 * 1024
TOTAL = 50 * 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class PeakRss(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_bytes()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.002)

    def stop(self) -> int:
        self.running = False
        self.join()
        return self.peak


def call(method: str, url: str, headers: dict, data: bytes | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_50mb_upload_streams_with_flat_memory(live_server, province, purpose):
    headers = {**TUS, **bearer_headers(province.teacher_a)}
    metadata = encode_metadata(
        {"filename": "课堂实录.mp4", "purpose": "test-material", "limit": str(TOTAL)}
    )
    status, created = call(
        "POST",
        live_server.url + "/api/v1/uploads/",
        {**headers, "Upload-Length": str(TOTAL), "Upload-Metadata": metadata},
        data=b"",
    )
    assert status == 201
    url = live_server.url + created["Location"]

    # The client reuses one 8 MiB buffer, allocated before the baseline, so growth is the server's.
    digest = hashlib.sha256()
    chunk = bytearray(os.urandom(CHUNK))
    baseline = rss_bytes()
    monitor = PeakRss()
    monitor.start()
    started = time.perf_counter()
    offset = 0
    while offset < TOTAL:
        size = min(CHUNK, TOTAL - offset)
        chunk[:8] = offset.to_bytes(8, "big")  # every chunk differs, none is reallocated
        body = memoryview(chunk)[:size]
        digest.update(body)
        status, answered = call(
            "PATCH",
            url,
            {
                **headers,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
            },
            data=body,
        )
        assert status == 204
        offset += size
        assert answered["Upload-Offset"] == str(offset)
    elapsed = time.perf_counter() - started
    peak = monitor.stop()

    upload = Upload.objects.get()
    assert upload.state == "complete"
    assert upload.sha256 == digest.hexdigest()
    status, head = call("HEAD", url, headers)
    assert (status, head["Upload-Offset"]) == (200, str(TOTAL))

    growth = peak - baseline
    print(
        f"\n50 MB tus upload over loopback: {TOTAL / elapsed / 1024**2:.0f} MB/s, "
        f"peak RSS growth {growth / 1024**2:.1f} MB"
    )
    assert growth < 50 * 1024 * 1024
