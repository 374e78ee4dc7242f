"""Media test helpers: a purpose of our own, and a tus client speaking through Django's client."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field

import pytest
from django.test import Client

from youke.media.domain.purposes import UploadRefused, register_purpose, unregister_purpose
from youke.media.models import Upload
from youke.orgs.models import ApiToken

ENDPOINT = "/api/v1/uploads/"
TUS = {"Tus-Resumable": "1.0.0"}
OFFSET_STREAM = "application/offset+octet-stream"
PURPOSE = "test-material"
LIMIT = 10 * 1024 * 1024


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    # Partial files live under DATA_DIR; keep each test's away from var/ and each other.
    settings.DATA_DIR = tmp_path / "data"


@dataclass
class RecordingPurpose:
    """Allows LIMIT bytes (or ``limit`` from the metadata), refuses when ``refuse`` is set,
    and rejects anything but a video when it finishes, as a video material would."""

    completed: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    authorized: list = field(default_factory=list)

    def authorize(self, person, metadata, length):
        self.authorized.append((person.pk, dict(metadata), length))
        if metadata.get("refuse"):
            raise UploadRefused("该材料已截止提交，不能再上传。请联系学校管理员。")
        return int(metadata.get("limit", LIMIT))

    def on_complete(self, upload):
        self.completed.append(upload.pk)
        if metadata_wants_video(upload.metadata) and not upload.content_type.startswith("video/"):
            self.rejected.append((upload.pk, upload.content_type))


def metadata_wants_video(metadata: dict) -> bool:
    return metadata.get("kind") == "video"


@pytest.fixture
def purpose():
    recorder = RecordingPurpose()
    register_purpose(PURPOSE, authorize=recorder.authorize, on_complete=recorder.on_complete)
    yield recorder
    unregister_purpose(PURPOSE)


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
    )


class TusClient:
    """Just enough of a tus client on top of django.test.Client."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None):
        self.client = client
        self.headers = {**TUS, **(headers or {})}

    def options(self):
        return self.client.options(ENDPOINT, headers=self.headers)

    def create(self, length: int, body: bytes = b"", headers=None, **metadata: str):
        metadata = {"filename": "微课.mp4", "filetype": "video/mp4", "purpose": PURPOSE} | metadata
        all_headers = {
            **self.headers,
            "Upload-Length": str(length),
            "Upload-Metadata": encode_metadata(metadata),
            **(headers or {}),
        }
        return self.client.generic(
            "POST", ENDPOINT, body, content_type=OFFSET_STREAM, headers=all_headers
        )

    def create_url(self, length: int, **metadata: str) -> str:
        response = self.create(length, **metadata)
        assert response.status_code == 201, response.content.decode()
        return response["Location"]

    def head(self, url: str):
        return self.client.head(url, headers=self.headers)

    def patch(self, url: str, data: bytes, offset: int, headers=None, **extra):
        return self.client.generic(
            "PATCH",
            url,
            data,
            content_type=OFFSET_STREAM,
            headers={**self.headers, "Upload-Offset": str(offset), **(headers or {})},
            **extra,
        )

    def delete(self, url: str):
        return self.client.delete(url, headers=self.headers)

    def status(self, url: str):
        return self.client.get(url + "/status", headers=self.headers)


@pytest.fixture
def tus_as():
    """``tus_as(person)`` → a TusClient with a session for that person."""

    def login(person, **client_options) -> TusClient:
        client = Client(**client_options)
        client.force_login(person)
        return TusClient(client)

    return login


def bearer_headers(person) -> dict[str, str]:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(person=person, digest=ApiToken.digest_of(raw), label="测试")
    return {"Authorization": f"Bearer {raw}"}


def upload_id(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def received(upload_or_id) -> bytes:
    """The bytes an unfinished upload has stored so far (its parts, joined)."""
    from youke.media.domain.parts import received_bytes

    pk = getattr(upload_or_id, "pk", upload_or_id)
    return received_bytes(Upload.objects.get(pk=pk))


def stored_part_names(upload_or_id) -> list[str]:
    """Part objects in storage for an upload (recorded or not)."""
    from django.core.files.storage import default_storage

    from youke.media.domain.parts import part_folder

    pk = getattr(upload_or_id, "pk", upload_or_id)
    try:
        return default_storage.listdir(part_folder(pk))[1]
    except FileNotFoundError:
        return []
