"""A Django ``UploadedFile`` (in memory or a temporary file) read in place: its type from its
bytes and its SHA-256, each leaving the file rewound for whoever stores it next. For the
small documents posted with a form (objection evidence, collection returns, ledger
evidence); video-sized files come through the resumable upload instead."""

from __future__ import annotations

import hashlib

from youke.media.domain.sniff import sniff_handle


def sniff_upload(upload) -> str:
    upload.seek(0)
    try:
        return sniff_handle(upload.file)
    finally:
        upload.seek(0)


def sha256_of_upload(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
