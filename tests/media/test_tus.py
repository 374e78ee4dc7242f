"""The tus 1.0 protocol through Django's test client: creation, HEAD, PATCH, termination."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from tests.media.conftest import (
    ENDPOINT,
    LIMIT,
    PURPOSE,
    TusClient,
    bearer_headers,
    received,
    stored_part_names,
    upload_id,
)
from youke.core.enums import AuditAction
from youke.core.models import AuditEvent
from youke.media.domain.purposes import register_purpose
from youke.media.models import Upload, UploadPart
from youke.media.tus import parse_metadata

UNAUTHORIZED = "请先登录（已登录的请先修改初始密码），或提供有效的接口令牌。"
NOT_FOUND = "未找到该上传，或您无权访问。请重新选择文件上传。"
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


def video_bytes(size: int) -> bytes:
    body = bytes((i * 7) % 251 for i in range(size - len(MP4_HEAD)))
    return MP4_HEAD + body


def test_options_announces_version_extensions_and_limit(province):
    response = TusClient(Client()).options()
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,creation-with-upload,termination,checksum"
    assert response["Tus-Max-Size"] == str(2 * 1024**3)
    assert response["Tus-Checksum-Algorithm"] == "sha1,sha256,md5"


def test_creation_records_upload_with_nothing_stored(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    response = tus.create(
        5000, filename="../../etc/东湖 微课（第1课时）.mp4", submission="42", material="video"
    )

    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    upload = Upload.objects.get()
    assert response["Location"] == f"/api/v1/uploads/{upload.pk}"
    assert (upload.owner, upload.purpose, upload.filename) == (
        province.teacher_a,
        PURPOSE,
        "东湖 微课（第1课时）.mp4",
    )
    assert (upload.length, upload.offset, upload.state) == (5000, 0, "uploading")
    # the purpose decides on the name that is stored, so it can claim what it allowed
    assert upload.metadata == {
        "filename": "东湖 微课（第1课时）.mp4",
        "filetype": "video/mp4",
        "purpose": PURPOSE,
        "submission": "42",
        "material": "video",
    }
    assert purpose.authorized == [(province.teacher_a.pk, upload.metadata, 5000)]
    assert received(upload) == b""
    event = AuditEvent.objects.get(object_id=str(upload.pk))
    assert (event.action, event.actor, event.unit) == (
        AuditAction.CREATE,
        province.teacher_a,
        province.school_a,
    )


def test_head_reports_offset_length_and_metadata(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(300)
    assert tus.patch(url, b"x" * 120, 0).status_code == 204

    response = tus.head(url)
    assert response.status_code == 200
    assert response["Upload-Offset"] == "120"
    assert response["Upload-Length"] == "300"
    assert response["Cache-Control"] == "no-store"
    assert response["Tus-Resumable"] == "1.0.0"
    # Key order is not kept by PostgreSQL's jsonb; compare what the header says.
    assert parse_metadata(response["Upload-Metadata"]) == {
        "filename": "微课.mp4",
        "filetype": "video/mp4",
        "purpose": PURPOSE,
    }


def test_patch_in_chunks_completes_into_storage(
    province, purpose, tus_as, django_capture_on_commit_callbacks
):
    data = video_bytes(3 * 1024 * 1024 + 17)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data), filename="第一课.mp4")
    pieces = [data[:1_000_000], data[1_000_000:2_500_000], data[2_500_000:]]

    offset = 0
    for piece in pieces[:-1]:
        response = tus.patch(url, piece, offset)
        assert response.status_code == 204
        offset += len(piece)
        assert response["Upload-Offset"] == str(offset)
    assert Upload.objects.get().offset == 2_500_000
    assert purpose.completed == []

    with django_capture_on_commit_callbacks(execute=True):
        response = tus.patch(url, pieces[-1], offset)
    assert response.status_code == 204
    assert response["Upload-Offset"] == str(len(data))

    upload = Upload.objects.get()
    assert upload.state == "complete"
    assert upload.offset == upload.length == len(data)
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert upload.content_type == "video/mp4"
    assert upload.completed_at is not None
    assert re.fullmatch(rf"uploads/\d{{4}}/\d{{2}}/{upload.pk}/第一课\.mp4", upload.storage_name)
    with default_storage.open(upload.storage_name) as stored:
        assert stored.read() == data
    assert not UploadPart.objects.exists() and stored_part_names(upload) == []
    assert purpose.completed == [upload.pk]
    assert purpose.rejected == []
    event = AuditEvent.objects.get(object_id=str(upload.pk), action=AuditAction.UPDATE)
    assert event.before == {"state": "uploading", "offset": len(data)}
    assert event.after == {
        "state": "complete",
        "offset": len(data),
        "sha256": upload.sha256,
        "content_type": "video/mp4",
    }

    # HEAD after completion and the status endpoint agree.
    assert tus.head(url)["Upload-Offset"] == str(len(data))
    assert tus.status(url).json() == {
        "id": str(upload.pk),
        "purpose": PURPOSE,
        "state": "complete",
        "state_label": "已完成",
        "filename": "第一课.mp4",
        "offset": len(data),
        "length": len(data),
        "sha256": upload.sha256,
        "content_type": "video/mp4",
    }
    again = tus.patch(url, b"x", len(data))
    assert again.status_code == 409
    assert again.json() == {"detail": "该文件已上传完成，无需继续上传。"}


def test_wrong_offset_is_409_and_writes_nothing(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(100)
    assert tus.patch(url, b"a" * 40, 0).status_code == 204

    for offset in (0, 39, 41, 100):
        response = tus.patch(url, b"b" * 10, offset)
        assert response.status_code == 409
        assert response.json() == {
            "detail": f"上传位置不一致：服务器已收到 40 字节，本次从第 {offset} 字节开始。"
            "请刷新页面，上传会从服务器记录的位置继续。"
        }
    assert received(upload_id(url)) == b"a" * 40
    assert tus.head(url)["Upload-Offset"] == "40"


def test_body_beyond_declared_length_is_413(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(10)
    response = tus.patch(url, b"z" * 11, 0)
    assert response.status_code == 413
    assert received(upload_id(url)) == b""


def test_over_limit_creation_is_refused_before_any_byte(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    one_gb = 1024**3

    response = tus.create(one_gb, limit=str(100 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json() == {
        "detail": "文件大小为 1 GB，超过该材料允许的 100 MB。请压缩或重新导出后再上传。"
    }
    assert response["Tus-Resumable"] == "1.0.0"
    assert not Upload.objects.exists()
    assert not UploadPart.objects.exists()


def test_over_platform_ceiling_is_413(province, purpose, tus_as):
    response = tus_as(province.teacher_a).create(3 * 1024**3, limit=str(4 * 1024**3))
    assert response.status_code == 413
    assert response.json() == {"detail": "文件大小为 3 GB，超过平台上限 2 GB。请压缩后再上传。"}
    assert purpose.authorized == []


def test_purpose_refusal_and_unknown_purpose(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    refused = tus.create(100, refuse="1")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "该材料已截止提交，不能再上传。请联系学校管理员。"}

    unknown = tus.create(100, purpose="no-such-thing")
    assert unknown.status_code == 400
    assert unknown.json() == {
        "detail": "不支持的上传用途“no-such-thing”，请从申报页面的上传按钮上传文件。"
    }
    missing_name = tus.create(100, filename="../..")
    assert missing_name.status_code == 400
    assert missing_name.json() == {
        "detail": "上传请求缺少文件名（filename），请重新选择文件后再上传。"
    }
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({"Upload-Length": "-5"}, 400, "缺少或无效的 Upload-Length（文件大小，字节数）。请重新选择文件上传。"),
        ({"Upload-Length": "abc"}, 400, "缺少或无效的 Upload-Length（文件大小，字节数）。请重新选择文件上传。"),
        ({"Upload-Metadata": "filename !!notbase64"}, 400, "Upload-Metadata 格式不正确（应为“键 Base64值”，逗号分隔）。"),
        ({"Upload-Defer-Length": "1"}, 400, "不支持延迟声明文件大小，请在创建上传时提供 Upload-Length。"),
        ({"Tus-Resumable": "0.2.2"}, 412, "上传客户端的协议版本不受支持（需要 tus 1.0.0）。请刷新页面后重试。"),
    ],
)  # fmt: skip
def test_bad_creation_headers(province, purpose, tus_as, headers, status, detail):
    response = tus_as(province.teacher_a).create(100, headers=headers)
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    if status == 412:
        assert response["Tus-Version"] == "1.0.0"
    assert not Upload.objects.exists()


def test_patch_needs_offset_content_type(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(10)
    response = tus.client.generic(
        "PATCH",
        url,
        b"0123456789",
        content_type="application/octet-stream",
        headers={**tus.headers, "Upload-Offset": "0"},
    )
    assert response.status_code == 415
    assert "application/offset+octet-stream" in response.json()["detail"]
    missing_offset = tus.client.generic(
        "PATCH", url, b"0123456789", content_type="application/offset+octet-stream",
        headers=tus.headers,
    )  # fmt: skip
    assert missing_offset.status_code == 400
    assert missing_offset.json() == {"detail": "缺少或无效的 Upload-Offset（本次上传的起始位置）。"}
    no_length = tus.patch(url, b"0123456789", 0, CONTENT_LENGTH="")
    assert no_length.status_code == 411
    assert no_length.json() == {
        "detail": "缺少 Content-Length（本次发送的字节数），请使用页面上的上传组件。"
    }


def test_termination_aborts_and_frees_the_stored_parts(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(100)
    tus.patch(url, b"q" * 30, 0)
    assert stored_part_names(upload_id(url))

    response = tus.delete(url)

    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    upload = Upload.objects.get()
    assert upload.state == "aborted"
    assert not UploadPart.objects.exists() and stored_part_names(upload) == []
    gone = "该上传已中止或已被清理，已收到的内容不再保留。请重新选择文件上传。"
    assert tus.head(url).status_code == 410
    patch = tus.patch(url, b"q", 30)
    assert (patch.status_code, patch.json()) == (410, {"detail": gone})
    event = AuditEvent.objects.get(object_id=str(upload.pk), action=AuditAction.UPDATE)
    assert (event.after["state"], event.reason) == ("aborted", "上传人取消上传")


def test_completed_upload_cannot_be_terminated(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(4)
    assert tus.patch(url, b"abcd", 0).status_code == 204
    response = tus.delete(url)
    assert response.status_code == 409
    assert Upload.objects.get().state == "complete"


def test_other_people_get_404_for_every_method(province, purpose, tus_as):
    url = tus_as(province.teacher_a).create_url(100)
    for person in (province.teacher_b, province.school_a_admin, province.platform_admin):
        other = tus_as(person)
        for response in (
            other.head(url),
            other.patch(url, b"x", 0),
            other.delete(url),
            other.status(url),
        ):
            assert response.status_code == 404
            if response.content:
                assert response.json() == {"detail": NOT_FOUND}
    assert Upload.objects.get().state == "uploading"
    assert received(upload_id(url)) == b""


def test_unknown_id_is_404(province, purpose, tus_as):
    response = tus_as(province.teacher_a).patch(
        ENDPOINT + "0f0f0f0f-0000-4000-8000-000000000000", b"x", 0
    )
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_unauthenticated_is_401_with_chinese_detail(province, purpose, tus_as):
    url = tus_as(province.teacher_a).create_url(100)
    anonymous = TusClient(Client())
    for response in (anonymous.create(100), anonymous.patch(url, b"x", 0), anonymous.status(url)):
        assert response.status_code == 401
        assert response.json() == {"detail": UNAUTHORIZED}
    bad_token = TusClient(Client(), {"Authorization": "Bearer nope"})
    assert bad_token.create(100).status_code == 401


def test_temporary_password_session_is_refused(province, purpose, tus_as):
    province.teacher_a.must_change_password = True
    province.teacher_a.save(update_fields=["must_change_password"])
    response = tus_as(province.teacher_a).create(100)
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORIZED}


def test_session_needs_csrf_token(province, purpose, tus_as):
    tus = tus_as(province.teacher_a, enforce_csrf_checks=True)
    refused = tus.create(100)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF 校验失败，请刷新页面后重试。"}
    assert not Upload.objects.exists()

    tus.client.get("/api/v1/health")  # any page would do; we just need the cookie
    token = "A" * 32
    tus.client.cookies["csrftoken"] = token
    accepted = tus.create(100, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_bearer_token_needs_no_csrf(province, purpose):
    tus = TusClient(Client(enforce_csrf_checks=True), bearer_headers(province.teacher_a))
    url = tus.create_url(6)
    assert tus.patch(url, b"abcdef", 0).status_code == 204
    assert Upload.objects.get().state == "complete"


def test_creation_with_upload(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    response = tus.create(10, body=b"01234")
    assert response.status_code == 201
    assert response["Upload-Offset"] == "5"
    assert tus.head(response["Location"])["Upload-Offset"] == "5"


def test_zero_length_upload_is_refused_as_empty(province, purpose, tus_as):
    response = tus_as(province.teacher_a).create(0, filename="空.txt")
    assert response.status_code == 400
    assert response.json() == {"detail": "文件“空.txt”是空的（0 字节），请检查文件内容后重新选择。"}
    assert not Upload.objects.exists()
    assert purpose.authorized == []


def test_checksum_extension(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(8)

    def checksum(data: bytes, algorithm="sha256") -> dict:
        digest = hashlib.new(algorithm, data).digest()
        return {"Upload-Checksum": f"{algorithm} {base64.b64encode(digest).decode()}"}

    bad = tus.patch(url, b"abcd", 0, headers=checksum(b"abce"))
    assert bad.status_code == 460
    assert bad.json() == {"detail": "本段内容校验失败（sha256 不一致），已丢弃，请重新发送这一段。"}
    assert received(upload_id(url)) == b""

    assert tus.patch(url, b"abcd", 0, headers=checksum(b"abcd")).status_code == 204
    assert tus.patch(url, b"efgh", 4, headers=checksum(b"efgh", "md5")).status_code == 204
    assert Upload.objects.get().sha256 == hashlib.sha256(b"abcdefgh").hexdigest()

    unsupported = tus.patch(url, b"i", 8, headers={"Upload-Checksum": "crc32 AAAA"})
    assert unsupported.status_code == 400


def test_method_override_for_proxies_that_block_patch(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(3)
    response = tus.client.generic(
        "POST",
        url,
        b"abc",
        content_type="application/offset+octet-stream",
        headers={**tus.headers, "Upload-Offset": "0", "X-HTTP-Method-Override": "PATCH"},
    )
    assert response.status_code == 204
    assert Upload.objects.get().state == "complete"


def test_renamed_text_file_is_recorded_as_text_and_rejected_by_purpose(
    province, purpose, tus_as, django_capture_on_commit_callbacks
):
    """Decision: the upload layer records what the bytes are; the purpose refuses them."""
    data = "这不是视频，只是改了扩展名的文本文件。\n".encode() * 50
    tus = tus_as(province.teacher_a)
    url = tus.create_url(len(data), filename="讲课视频.mp4", filetype="video/mp4", kind="video")
    with django_capture_on_commit_callbacks(execute=True):
        assert tus.patch(url, data, 0).status_code == 204

    upload = Upload.objects.get()
    assert (upload.filename, upload.content_type) == ("讲课视频.mp4", "text/plain")
    assert purpose.rejected == [(upload.pk, "text/plain")]


def test_failing_on_complete_does_not_fail_the_upload(
    province, purpose, tus_as, django_capture_on_commit_callbacks
):
    def broken(upload):
        raise RuntimeError("boom")

    register_purpose(PURPOSE, authorize=purpose.authorize, on_complete=broken)
    tus = tus_as(province.teacher_a)
    url = tus.create_url(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = tus.patch(url, b"ok", 0)
    assert response.status_code == 204
    assert Upload.objects.get().state == "complete"


def test_status_while_uploading(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(LIMIT)
    tus.patch(url, b"1" * 1000, 0)
    body = tus.status(url).json()
    assert (body["state"], body["offset"], body["length"], body["sha256"]) == (
        "uploading",
        1000,
        LIMIT,
        "",
    )
