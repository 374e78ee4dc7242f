"""Upload edges: bare-extension and disguised names, empty files, per-person allowance, sizes."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.media.conftest import upload_id
from youke.media.models import Upload, UploadPart
from youke.media.validators import clean_filename, extension_only, over_limit_sizes

GIB = 1024**3
MIB = 1024**2


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".pdf", "  .pdf", "..pdf", "\u202e.pdf", "\ufeff.pdf"])
def test_name_with_only_an_extension_is_refused_at_creation(province, purpose, tus_as, name):
    response = tus_as(province.teacher_a).create(100, filename=name)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "文件名“.pdf”只有扩展名，没有名称。请把文件改名（例如“教学设计.pdf”）后重新选择上传。"
    }
    assert not Upload.objects.exists()
    assert purpose.authorized == []


INVISIBLE = [
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    *(chr(c) for c in range(0x200B, 0x2010)),
    "\ufeff",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9f",
]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_are_removed_from_the_stored_name(province, purpose, tus_as, char):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(100, filename=f"{char}作业{char}gpj.{char}mp4{char}")

    upload = Upload.objects.get(pk=upload_id(url))
    assert upload.filename == "作业gpj.mp4"
    assert upload.metadata["filename"] == "作业gpj.mp4"
    assert purpose.authorized[0][1]["filename"] == "作业gpj.mp4"


def test_right_to_left_override_cannot_disguise_the_extension():
    # "作业\u202egpj.exe" displays as "作业exe.jpg"; stored, it reads as what it is
    assert clean_filename("作业\u202egpj.exe") == "作业gpj.exe"
    assert extension_only("作业\u202egpj.exe") == ""
    assert extension_only(".docx") == ".docx"
    assert extension_only(".my.docx") == ""
    assert clean_filename(".my.docx") == "my.docx"


def test_empty_file_is_told_it_is_empty(province, purpose, tus_as):
    response = tus_as(province.teacher_a).create(0, filename="教学设计.docx")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "文件“教学设计.docx”是空的（0 字节），请检查文件内容后重新选择。"
    }
    assert not Upload.objects.exists()


# --- allowance of unfinished uploads ----------------------------------------------------------


HOW = (
    "请在申报页面重新选择同一文件完成上传（会从中断处继续），"
    "或在“我的上传”中取消不再需要的上传，然后再试。"
)


def test_at_most_five_unfinished_uploads_by_default(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    urls = [tus.create_url(1000, filename=f"第{i}课.mp4") for i in range(5)]

    sixth = tus.create(1000, filename="第6课.mp4")

    assert sixth.status_code == 429
    assert sixth.json() == {"detail": "您已有 5 个未完成的上传，最多同时保留 5 个。" + HOW}
    assert Upload.objects.count() == 5
    # another teacher has an allowance of their own
    assert tus_as(province.teacher_b).create(1000).status_code == 201
    # cancelling one (tus DELETE) frees a place; finishing another frees one more
    assert tus.delete(urls[0]).status_code == 204
    assert tus.create(1000, filename="第6课.mp4").status_code == 201
    assert tus.patch(urls[1], b"x" * 1000, 0).status_code == 204
    assert tus.create(1000, filename="第7课.mp4").status_code == 201
    assert tus.create(1000, filename="第8课.mp4").status_code == 429


def test_reserved_total_is_bounded(province, purpose, tus_as, settings):
    settings.CONFIG = {**settings.CONFIG, "UPLOAD_MAX_RESERVED_BYTES": 25 * MIB}
    tus = tus_as(province.teacher_a)
    limit = str(20 * MIB)
    tus.create_url(10 * MIB, limit=limit)
    tus.create_url(10 * MIB, limit=limit)

    refused = tus.create(5 * MIB + 1, limit=limit)

    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "未完成的上传最多共 25 MB：您已有 2 个未完成的上传共 20 MB，"
        "加上本文件 5 MB 将超出。" + HOW
    }
    assert Upload.objects.count() == 2
    assert tus.create(5 * MIB, limit=limit).status_code == 201


def test_unfinished_count_comes_from_config(province, purpose, tus_as, settings):
    settings.CONFIG = {**settings.CONFIG, "UPLOAD_MAX_UNFINISHED": 1}
    tus = tus_as(province.teacher_a)
    tus.create_url(10)

    refused = tus.create(10)

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("您已有 1 个未完成的上传，最多同时保留 1 个。")


# --- cancelling from 我的上传 ------------------------------------------------------------------


def test_teacher_cancels_an_unfinished_upload_in_my_uploads(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(100, filename="第一课.mp4")
    tus.patch(url, b"x" * 10, 0)
    pk = upload_id(url)
    page = tus.client.get("/my/uploads/")
    assert f'action="/my/uploads/{pk}/cancel/"' in page.content.decode()
    assert "未完成的上传最多同时保留 5 个、共 3 GB。" in page.content.decode()

    # someone else's upload stays hidden
    other = Client()
    other.force_login(province.teacher_b)
    assert other.post(f"/my/uploads/{pk}/cancel/").status_code == 404

    response = tus.client.post(f"/my/uploads/{pk}/cancel/", follow=True)

    assert [str(m) for m in response.context["messages"]] == ["已取消上传“第一课.mp4”。"]
    upload = Upload.objects.get(pk=pk)
    assert upload.state == "aborted"
    assert not UploadPart.objects.filter(upload_id=pk).exists()
    assert f'action="/my/uploads/{pk}/cancel/"' not in response.content.decode()


def test_finished_upload_cannot_be_cancelled(province, purpose, tus_as):
    tus = tus_as(province.teacher_a)
    url = tus.create_url(4, filename="完成.mp4")
    tus.patch(url, b"abcd", 0)

    response = tus.client.post(f"/my/uploads/{upload_id(url)}/cancel/", follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "“完成.mp4”已上传完成，不能取消。如不再需要，请在申报材料中移除该文件。"
    ]
    assert Upload.objects.get().state == "complete"


# --- sizes in messages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        (GIB + 1, GIB, ("1,073,741,825 字节", "1,073,741,824 字节")),
        (int(1.0000001 * GIB), GIB, ("1,073,741,931 字节", "1,073,741,824 字节")),
        (GIB + 2 * MIB, GIB, ("1.001 GB", "1 GB")),
        (int(1.06 * GIB), GIB, ("1.05 GB", "1 GB")),
        (int(1.5 * GIB), GIB, ("1.5 GB", "1 GB")),
        (GIB, 100 * MIB, ("1 GB", "100 MB")),
        (1025, 1024, ("1.0009 KB", "1 KB")),
        (2004, 1000, ("1.9 KB", "1000 B")),
        (500, 1000, ("500 B", "1000 B")),
    ],
)
def test_sizes_over_a_limit_never_read_as_the_limit(db, size, limit, expected):
    assert over_limit_sizes(size, limit) == expected


def test_file_just_over_the_limit_is_not_reported_as_the_limit(province, purpose, tus_as):
    response = tus_as(province.teacher_a).create(
        int(1.0000001 * GIB), filename="微课.mp4", limit=str(GIB)
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "文件大小为 1,073,741,931 字节，超过该材料允许的 1,073,741,824 字节。"
        "请压缩或重新导出后再上传。"
    }
