"""Whole-list downloads (xlsx, PDF) built by a job per list version, and the paged API."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.public.conftest import grow
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.pdf_fonts import chinese_font
from youke.selection.domain import publicity as domain
from youke.selection.domain import publicity_exports, publicity_list
from youke.selection.models import PublicityExport

pytestmark = pytest.mark.django_db


def download(client, publicity, kind):
    return client.get(reverse("public:publicity_download", args=[publicity.pk, kind]))


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_publishing_builds_both_files_of_version_one(client, published):
    publicity, (a, b, _c) = published
    export = publicity_exports.current_export(publicity)
    assert export.version == 1 and export.is_ready and export.row_count == 2
    html = client.get(reverse("public:publicity_detail", args=[publicity.pk])).content.decode()
    assert "下载完整名单 (<a href" in html and 'id="download-pdf"' in html

    response = download(client, publicity, "xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    rows = sheet_rows(response)
    assert rows[0] == publicity_list.headers()
    node = b.submission.node
    assert rows[2] == [2, "乙课", "东湖区实验小学", "王老师", node.code, node.name,
                       b.submission.category.name, publicity.level.name, None]  # fmt: skip
    assert rows[1][1] == "'=SUM(A1:A9)"  # a formula-looking title stays text

    pdf = b"".join(download(client, publicity, "pdf").streaming_content)
    assert pdf.startswith(b"%PDF")
    if chinese_font().embedded:
        assert b"FontFile2" in pdf  # the TrueType Chinese font travels inside the file
    assert download(client, publicity, "docx").status_code == 404


def test_change_builds_new_version_and_page_says_so_meanwhile(client, published, province):
    publicity, (a, _b, _c) = published
    filed = domain.file_objection(
        publicity, a, name="张三", contact="13800000000", reason="抄袭", ip="10.0.0.7"
    )
    # Inside this test's transaction the after-commit job has not run: v2 is being built.
    publicity.refresh_from_db()
    assert publicity.version == 2
    html = client.get(reverse("public:publicity_detail", args=[publicity.pk])).content.decode()
    assert "完整名单 (Excel / PDF) 正在按最新名单生成" in html
    assert download(client, publicity, "xlsx").status_code == 404

    export = publicity_exports.current_export(publicity)
    jobs.run(export.job_id)
    rows = sheet_rows(download(client, publicity, "xlsx"))
    assert [r[-1] for r in rows[1:]] == ["异议核实中", None]
    domain.resolve_objection(Actor(province.school_a_admin), filed, upheld=True, resolution="查实")
    publicity.refresh_from_db()
    jobs.run(publicity_exports.current_export(publicity).job_id)
    rows = sheet_rows(download(client, publicity, "xlsx"))
    assert [r[1] for r in rows[1:]] == ["乙课"]
    assert set(PublicityExport.objects.values_list("version", flat=True)) == {1, 2, 3}


def test_overtaken_version_is_not_built(published):
    publicity, (a, _b, _c) = published
    domain.file_objection(publicity, a, name="张", contact="1380000", reason="抄袭", ip="10.0.0.6")
    publicity.refresh_from_db()
    overtaken = publicity_exports.current_export(publicity)
    publicity_exports.record_change(publicity.pk)
    jobs.run(overtaken.job_id)
    overtaken.refresh_from_db()
    assert overtaken.version == 2 and not overtaken.is_ready and not overtaken.xlsx
    assert overtaken.job.message == "名单已更新，本版本不再生成下载文件。"


def test_failed_build_is_said_on_the_page(client, published, monkeypatch):
    publicity, _entries = published
    publicity_exports.record_change(publicity.pk)
    export = PublicityExport.objects.get(publicity=publicity, version=2)
    monkeypatch.setattr(publicity_exports, "write_pdf", lambda *a: 1 / 0)
    jobs.run(export.job_id)
    html = client.get(reverse("public:publicity_detail", args=[publicity.pk])).content.decode()
    assert "完整名单 (Excel / PDF) 生成失败" in html


def api(client, publicity, **params):
    return client.get(f"/api/v1/publicity/{publicity.pk}/entries", params)


def test_api_entries_are_paged_like_the_page(client, published, province, campaign):
    publicity, (a, b, _c) = published
    grow(publicity, province, campaign, 58)
    order = [row["id"] for row in publicity_list.all_rows(publicity)]
    first = api(client, publicity).json()
    assert (first["count"], first["total"], first["page"], first["pages"]) == (60, 60, 1, 2)
    assert [item["id"] for item in first["items"]] == order[:50]
    second = api(client, publicity, page=2).json()
    assert [item["id"] for item in second["items"]] == order[50:]
    found = api(client, publicity, q="乙").json()
    assert found["count"] == 1 and found["total"] == 60
    assert found["items"][0] == {
        "id": b.pk,
        "title": "乙课",
        "node": f"{b.submission.node.code} {b.submission.node.name}",
        "node_code": b.submission.node.code,
        "category": b.submission.category.name,
        "teacher_name": "王老师",
        "teachers": "王老师",
        "school": "东湖区实验小学",
        "level": publicity.level.name,
        "objection": "",
    }
    detail = client.get(f"/api/v1/publicity/{publicity.pk}").json()
    assert [e["id"] for e in detail["entries"]] == order
    assert api(client, type(publicity)(pk=publicity.pk + 999)).status_code == 404


def test_api_query_count_is_flat(client, published, province, campaign):
    publicity, _entries = published

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api(client, publicity, page=1).status_code == 200
        return len(captured)

    small = count()
    grow(publicity, province, campaign, 300)
    assert count() == small
