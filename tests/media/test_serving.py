"""media.serving: byte ranges from local storage, presigned redirects on S3 (issue 7 item 2)."""

from __future__ import annotations

import io
import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory
from storages.backends.s3 import S3Storage

from youke.media import serving

GIB = 1024**3


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "store")


@pytest.fixture
def sparse(storage):
    """A 1.5 GiB file that takes no disk: holes except for a marker deep inside it."""
    path = storage.path("lesson.mp4")
    os.makedirs(storage.location, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(int(1.5 * GIB))
        handle.seek(GIB + 123)
        handle.write(b"MINUTE-18")
    return "lesson.mp4"


def get(range_header: str | None = None):
    extra = {"HTTP_RANGE": range_header} if range_header else {}
    return RequestFactory().get("/x", **extra)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_range_at_an_offset_deep_in_a_large_file(storage, sparse):
    response = serving.serve(get(f"bytes={GIB + 120}-{GIB + 134}"), sparse, storage=storage)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {GIB + 120}-{GIB + 134}/{int(1.5 * GIB)}"
    assert response["Content-Length"] == "15"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == b"\0\0\0MINUTE-18\0\0\0"


def test_open_ended_and_suffix_ranges(storage):
    storage.save("small.bin", io.BytesIO(bytes(range(100))))
    response = serving.serve(get("bytes=90-"), "small.bin", storage=storage)
    assert (response.status_code, response["Content-Range"]) == (206, "bytes 90-99/100")
    assert body(response) == bytes(range(90, 100))
    response = serving.serve(get("bytes=-5"), "small.bin", storage=storage)
    assert (response["Content-Range"], body(response)) == ("bytes 95-99/100", bytes(range(95, 100)))
    response = serving.serve(get("bytes=10-2000"), "small.bin", storage=storage)
    assert (response["Content-Range"], len(body(response))) == ("bytes 10-99/100", 90)


def test_whole_file_without_range_and_unsatisfiable_range(storage):
    storage.save("small.bin", io.BytesIO(b"0123456789"))
    response = serving.serve(get(), "small.bin", storage=storage)
    assert (response.status_code, response["Content-Length"], body(response)) == (
        200,
        "10",
        b"0123456789",
    )
    assert response["Accept-Ranges"] == "bytes" and not response.has_header("Content-Range")
    response = serving.serve(get("bytes=10-20"), "small.bin", storage=storage)
    assert (response.status_code, response["Content-Range"]) == (416, "bytes */10")
    response = serving.serve(get("bytes=-0"), "small.bin", storage=storage)
    assert response.status_code == 416
    # Several ranges or nonsense: the whole file (allowed by RFC 9110).
    for header in ("bytes=0-1,4-5", "items=0-3", "bytes=5-2"):
        response = serving.serve(get(header), "small.bin", storage=storage)
        assert (response.status_code, body(response)) == (200, b"0123456789"), header


def test_s3_redirects_to_a_presigned_url():
    # Presigning is local (botocore signs without a request): nothing leaves the machine.
    storage = S3Storage(
        bucket_name="youke-media",
        access_key="AKIDEXAMPLE",
        secret_key="secret",
        region_name="cn-north-1",
        endpoint_url="https://s3.example.cn",
        querystring_auth=True,
    )
    assert not serving.is_local(storage)
    response = serving.serve(get("bytes=0-99"), "media/hls/x/720/seg_00003.ts", storage=storage)
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "s3.example.cn",
        "/youke-media/media/hls/x/720/seg_00003.ts",
    )
    assert query["X-Amz-Expires"] == ["3600"]
    assert query["response-content-type"] == ["video/mp2t"]
    assert query["X-Amz-Credential"][0].startswith("AKIDEXAMPLE/")
    assert len(query["X-Amz-Signature"][0]) == 64


def test_playlists_are_answered_as_text(storage):
    storage.save("m/master.m3u8", io.BytesIO(b"#EXTM3U\n360/index.m3u8\n"))
    response = serving.serve_text("m/master.m3u8", storage=storage)
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response.content == b"#EXTM3U\n360/index.m3u8\n"


def test_csp_lets_the_player_load_from_the_bucket_only_when_s3_is_used():
    from youke.core.middleware import CSP, site_csp

    assert site_csp([]) == CSP
    policy = site_csp(["https://s3.example.cn", "https://youke-media.s3.example.cn"])
    origins = "https://s3.example.cn https://youke-media.s3.example.cn"
    for directive in ("connect-src 'self'", "media-src 'self' blob:", "img-src 'self' data:"):
        assert f"{directive} {origins}" in policy
    assert policy.endswith(f"frame-src 'self' {origins}")
    assert "script-src 'self';" in policy
