"""Serving stored media to a browser that has already passed an access check.

- Local storage answers byte ranges (``Range: bytes=a-b`` → 206 with ``Content-Range``;
  416 when nothing of the file is asked for) and streams from the file in pieces, so seeking
  into a 1 GB lesson reads only what the player asks for.
- Remote storage (S3) redirects to a short-lived presigned URL: the bytes never pass
  through the web tier.
- HLS playlists are small text files and are always answered here, so the relative segment
  names in them resolve against our access-checked route, never against the bucket.

Callers (views) check access first; this module knows nothing about who may see what.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator
from urllib.parse import quote

from django.core.files.storage import Storage, default_storage
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import http_date

CHUNK = 256 * 1024
PRESIGNED_SECONDS = 3600
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
CONTENT_TYPES = {
    ".m3u8": PLAYLIST_TYPE,
    ".ts": "video/mp2t",
    ".mp4": "video/mp4",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# A document shown inside our own pages only (the site's CSP forbids framing otherwise).
FRAMED_CSP = "default-src 'none'; frame-ancestors 'self'"


class Unsatisfiable(Exception):
    """The Range header asks for nothing inside the file."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single-range request, None to send the whole file.

    Several ranges in one header are answered with the whole file (allowed by RFC 9110),
    as is a header we cannot parse; a range starting at or beyond the end raises.
    """
    match = _RANGE.match(header.strip().replace(" ", "")) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if start >= size:
        raise Unsatisfiable
    end = min(int(last), size - 1) if last else size - 1
    if end < start:
        return None  # syntactically invalid: ignore the header
    return start, end


def content_type_for(name: str) -> str:
    extension = os.path.splitext(name)[1].lower()
    return (
        CONTENT_TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )


def is_local(storage: Storage) -> bool:
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


def _read(path: str, start: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data


def serve(
    request,
    name: str,
    *,
    storage: Storage | None = None,
    content_type: str | None = None,
    filename: str | None = None,
    framed: bool = False,
    attachment: bool = False,
):
    """Answer a GET for the stored file ``name`` (ranges locally, presigned URL remotely).

    ``filename`` names the file for the browser (inline, or a download with ``attachment``);
    ``framed`` lets our own pages show it in an iframe and nothing else."""
    storage = storage or default_storage
    content_type = content_type or content_type_for(filename or name)
    if not is_local(storage):
        return HttpResponseRedirect(
            presigned_url(storage, name, content_type, filename, attachment=attachment)
        )
    path = storage.path(name)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise Http404("file") from None
    size = stat.st_size
    try:
        wanted = parse_range(request.headers.get("Range", ""), size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if wanted is None:
        start, end, status = 0, size - 1, 200
    else:
        start, end = wanted
        status = 206
    length = max(0, end - start + 1)
    body = _read(path, start, length) if request.method != "HEAD" else iter(())
    response = StreamingHttpResponse(body, status=status, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "private, max-age=3600"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if filename:
        response["Content-Disposition"] = _disposition(filename, attachment)
    if framed:
        response["Content-Security-Policy"] = FRAMED_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def presigned_url(
    storage: Storage, name: str, content_type: str, filename: str | None, *, attachment=False
) -> str:
    parameters = {"ResponseContentType": content_type}
    if filename:
        parameters["ResponseContentDisposition"] = _disposition(filename, attachment)
    try:
        return storage.url(name, parameters=parameters, expire=PRESIGNED_SECONDS)
    except TypeError:  # a remote storage other than django-storages' S3Storage
        return storage.url(name)


def serve_text(name: str, *, storage: Storage | None = None, content_type: str = PLAYLIST_TYPE):
    """A small stored text file (an HLS playlist) answered here, whatever the storage."""
    storage = storage or default_storage
    try:
        with storage.open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404("file") from None
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, max-age=60"
    return response


def _disposition(filename: str, attachment: bool) -> str:
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename*=UTF-8''{quote(filename)}"
