"""The uploader in Debian chromium: pre-checks before any byte, progress, resume after a cut."""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.media.conftest import PURPOSE
from youke.media.models import Upload

pytestmark = pytest.mark.browser

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright keeps an event loop running
CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
TUS_DIST_CANDIDATES = [
    REPO / "node_modules" / "tus-js-client" / "dist",
    Path(os.environ.get("YOUKE_TUS_DIST", "/nonexistent")),
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def tus_static(settings):
    """tus-js-client from the vendored static files, or straight from node_modules."""
    if finders.find("vendor/tus/tus.min.js"):
        return
    for folder in TUS_DIST_CANDIDATES:
        if (folder / "tus.min.js").exists():
            settings.STATICFILES_DIRS = [("vendor/tus", str(folder))]
            return
    pytest.skip("tus-js-client is not installed: add it to package.json and run npm ci")


@pytest.fixture
def page_for(browser, live_server, tus_static, settings, province, purpose):
    settings.ROOT_URLCONF = "tests.media.browser_urls"
    contexts = []

    def open_page(person, spec: dict, metadata: dict | None = None):
        client = Client()
        client.force_login(person)
        context = browser.new_context(locale="zh-CN")
        context.set_default_timeout(15_000)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        query = urllib.parse.urlencode(
            {
                "spec": json.dumps(spec),
                "metadata": json.dumps(metadata or {"purpose": PURPOSE, "limit": str(50 * 2**20)}),
            }
        )
        page.goto(f"{live_server.url}/upload-test/?{query}")
        page.evaluate(
            "document.addEventListener('youke:uploaded', e => { window.uploaded = e.detail; })"
        )
        page.errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def small_video(path: Path, width: int, height: int, seconds: float = 1.0) -> Path:
    import av

    with av.open(str(path), "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(int(seconds * 25)):
            frame = av.VideoFrame(width, height, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([index * 8 % 255]) * plane.buffer_size)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def record_upload_requests(page) -> list[tuple[str, str | None]]:
    """(method, Upload-Offset) of every request the page sends to the tus endpoint."""
    seen: list[tuple[str, str | None]] = []

    def record(route):
        seen.append((route.request.method, route.request.headers.get("upload-offset")))
        route.continue_()

    page.route("**/api/v1/uploads/**", record)
    return seen


VIDEO_SPEC = {
    "max_bytes": 50 * 2**20,
    "extensions": ["mp4", "webm"],
    "min_width": 1920,
    "min_height": 1080,
    "aspect_ratio": "16:9",
    "min_duration_seconds": 0.5,
    "max_duration_seconds": 1200,
}


def test_low_resolution_video_is_stopped_before_any_byte(page_for, province, tmp_path):
    video = small_video(tmp_path / "微课.webm", 320, 180)
    page = page_for(province.teacher_a, VIDEO_SPEC)
    sent = record_upload_requests(page)

    page.set_input_files("#file", str(video))

    message = page.locator("#message")
    message.get_by_text("视频分辨率为 320×180").wait_for()
    assert message.inner_text() == (
        "视频分辨率为 320×180，低于要求的 1920×1080，请用 1080p 重新导出后再上传。"
    )
    assert page.get_attribute("#uploader", "data-upload-state") == "rejected"
    assert sent == []
    assert not Upload.objects.exists()
    assert page.errors == []


def test_wrong_extension_and_size_are_explained(page_for, province, tmp_path):
    avi = tmp_path / "课堂实录.avi"
    avi.write_bytes(b"RIFF" + bytes(2000))
    page = page_for(province.teacher_a, {"max_bytes": 1000, "extensions": ["mp4"]})

    page.set_input_files("#file", str(avi))

    page.locator("#message div").nth(1).wait_for()
    assert page.locator("#message div").all_inner_texts() == [
        "文件“课堂实录.avi”的格式为 .avi，本材料只接受 mp4 格式，请转换格式后再上传。",
        "文件大小为 1.9 KB，超过本材料允许的 1.0 KB，请压缩或重新导出后再上传。",
    ]
    assert not Upload.objects.exists()


def test_empty_file_bare_extension_and_size_just_over_are_explained(page_for, province, tmp_path):
    empty = tmp_path / "教学设计.docx"
    empty.write_bytes(b"")
    bare = tmp_path / ".docx"
    bare.write_bytes(b"PK" + bytes(100))
    over = tmp_path / "课件.docx"
    over.write_bytes(bytes(1024 * 1024 + 1))
    page = page_for(province.teacher_a, {"max_bytes": 1024 * 1024, "extensions": ["docx"]})
    texts = []
    for path in (empty, bare, over):
        page.set_input_files("#file", str(path))
        page.locator("#message div").first.wait_for()
        texts.append(page.locator("#message div").all_inner_texts())

    assert texts == [
        ["文件“教学设计.docx”是空的（0 字节），请检查文件内容后重新选择。"],
        ["文件名“.docx”只有扩展名，没有名称。请把文件改名（例如“教学设计.docx”）后重新选择上传。"],
        ["文件大小为 1,048,577 字节，超过本材料允许的 1,048,576 字节，请压缩或重新导出后再上传。"],
    ]
    assert not Upload.objects.exists()


def test_good_video_uploads_with_progress_and_event(page_for, province, tmp_path):
    video = small_video(tmp_path / "第一课.webm", 640, 360)
    spec = VIDEO_SPEC | {"min_width": 640, "min_height": 360}
    page = page_for(province.teacher_a, spec)

    sent = record_upload_requests(page)
    page.set_input_files("#file", str(video))
    page.wait_for_function("() => window.uploaded !== undefined")
    assert sent == [("POST", None), ("PATCH", "0")]

    upload = Upload.objects.get()
    detail = page.evaluate("window.uploaded")
    assert detail == {
        "id": str(upload.pk),
        "url": f"{page.url.split('/upload-test')[0]}/api/v1/uploads/{upload.pk}",
        "filename": "第一课.webm",
        "size": video.stat().st_size,
    }
    assert (upload.state, upload.content_type) == ("complete", "video/webm")
    assert upload.sha256 == hashlib.sha256(video.read_bytes()).hexdigest()
    assert page.input_value("#result") == str(upload.pk)
    assert page.evaluate("document.getElementById('progress').value") == 100
    assert page.inner_text("#message") == "“第一课.webm”上传完成，服务器正在检查文件。"
    assert page.errors == []


def test_resumes_after_network_cut_and_page_reload(page_for, province, tmp_path):
    data = os.urandom(20 * 2**20)  # three 8 MiB chunks
    big = tmp_path / "资料.bin"
    big.write_bytes(data)
    page = page_for(province.teacher_a, {"max_bytes": 50 * 2**20})
    patches = []
    posts = []

    def cut_after_first_chunk(route):
        if route.request.method == "PATCH":
            patches.append(route.request.headers.get("upload-offset"))
            if len(patches) > 1:
                return route.abort("internetdisconnected")
        if route.request.method == "POST":
            posts.append(route.request.url)
        return route.continue_()

    page.route("**/api/v1/uploads/**", cut_after_first_chunk)
    page.set_input_files("#file", str(big))
    page.wait_for_function("() => document.getElementById('progress').value > 0")
    # The resume needs the stored fingerprint; on a loaded machine wait for it explicitly.
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('tus::'))")
    page.wait_for_timeout(300)
    upload = Upload.objects.get()
    assert upload.offset == 8 * 2**20
    assert upload.state == "uploading"

    # The teacher reloads the page and picks the same file again: it continues, not restarts.
    # Reload before lifting the cut, so no retry of the old page slips through in between.
    page.reload()
    page.unroute("**/api/v1/uploads/**")
    page.evaluate(
        "document.addEventListener('youke:uploaded', e => { window.uploaded = e.detail; })"
    )
    after_reload = record_upload_requests(page)
    page.set_input_files("#file", str(big))
    page.wait_for_function("() => window.uploaded !== undefined")

    # Asked the server where it stopped, then sent only the rest. (A retry cut off by the
    # reload may have delivered a few more bytes: the server kept those too.)
    assert after_reload[0] == ("HEAD", None)
    assert [method for method, _offset in after_reload[1:]] == ["PATCH"] * (len(after_reload) - 1)
    assert int(after_reload[1][1]) >= 8 * 2**20
    upload = Upload.objects.get()  # still one upload: nothing was created twice
    assert upload.state == "complete"
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert len(posts) == 1
    assert page.evaluate("window.uploaded.id") == str(upload.pk)
    # Success removed the stored fingerprint: the same file again starts a new upload.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tus::')).length") == 0
