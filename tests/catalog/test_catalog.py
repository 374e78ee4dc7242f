import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_catalog_path
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain import jobs

pytestmark = pytest.mark.django_db


def test_browse_lazy_children_and_search(client, province):
    stage, subject, *_rest, lesson = make_catalog_path()
    client.force_login(province.teacher_a)
    html = client.get(reverse("portal:catalog")).content.decode()
    assert "小学" in html and "数学" not in html  # children load on demand
    children = client.get(reverse("portal:catalog_children", args=[stage.pk]))
    assert [n.name for n in children.context["children"]] == ["数学"]
    found = client.get(reverse("portal:catalog"), {"q": "秒的认识"})
    assert [(node.code, [a.name for a in trail]) for node, trail in found.context["results"]] == [
        (lesson.code, ["小学", "数学", "人教版", "三年级上册", "第一单元 时、分、秒"])
    ]
    by_code = client.get(reverse("portal:catalog"), {"q": lesson.code})
    assert [node.pk for node, _t in by_code.context["results"]] == [lesson.pk]


def test_csv_import_then_export_round_trip(province, run_on_commit):
    csv_text = (
        "节点编号,名称,层级,上级节点编号\n02,初中,学段,\n0204,物理,学科,02\n"
        "020401,人教版,教材版本,0204\n020402,坏层级,课,0204\n"
    )
    upload = SimpleUploadedFile("catalog.csv", csv_text.encode("utf-8-sig"))
    job = run_on_commit(
        jobs.create_job, Actor(province.platform_admin), "catalog.import_nodes", upload=upload
    )
    job.refresh_from_db()
    assert (job.result["created"], job.result["failed"]) == (3, 1)
    assert job.result["errors"][0]["row"] == 5
    assert CourseNode.objects.get(code="020401").get_parent().code == "0204"
    export = run_on_commit(
        jobs.create_job,
        Actor(province.platform_admin),
        "catalog.export_nodes",
        params={"format": "csv"},
    )
    export.refresh_from_db()
    text = export.output_file.open("rb").read().decode("utf-8-sig")
    assert text.splitlines() == [
        "节点编号,名称,层级,上级节点编号",
        "02,初中,学段,",
        "0204,物理,学科,02",
        "020401,人教版,教材版本,0204",
    ]


def test_only_national_admins_edit_catalog(client, province):
    client.force_login(province.county_a_admin)
    upload = SimpleUploadedFile("c.csv", io.BytesIO(b"x").getvalue())
    response = client.post(reverse("manage:import_start", args=["catalog"]), {"file": upload})
    assert response.status_code == 404
