"""Review pages: experts see only their assignments; blind mode hides identity (issue 4)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.submissions.conftest import requirement, stored_upload
from youke.core.actor import Actor
from youke.selection.domain.assignment import assign
from youke.selection.models import Assignment, ReviewRound
from youke.submissions.domain import blind_copies, checks
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db


def authored_pdf(author: str, title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def setup(province, campaign, lessons, catalog):
    entry = city_entry(campaign, province.teacher_a, lessons[0], "分数的意义")
    upload = stored_upload(
        province.teacher_a,
        "王老师-东湖区实验小学-设计.pdf",
        authored_pdf(province.teacher_a.full_name, "东湖区实验小学教学设计"),
    )
    material = Material.objects.create(
        submission=entry.submission,
        requirement=requirement(campaign, entry.submission.category.code, "teaching_design"),
        upload=upload,
    )
    checks.run_check(material.pk)
    blind_copies.make_blind_copies(material.pk)
    reviewer = expert(province.city, "市专家", catalog.primary)
    other = expert(province.county_b, "西岭专家", catalog.primary, on=province.city)
    review_round = opened(province, city_round(province, campaign), reviewer, other)
    mine = assign(Actor(province.city_admin), review_round, entry, reviewer)
    return entry, material, reviewer, other, mine


def test_only_the_assigned_expert_sees_the_assignment(client, province, setup):
    _entry, material, reviewer, other, mine = setup
    page = reverse("manage_reviews:assignment", args=[mine.pk])
    download = reverse("manage_reviews:material", args=[mine.pk, material.pk])
    table = [
        (reviewer, 200),
        (other, 404),
        (province.city_admin, 404),
        (province.teacher_a, 404),
    ]
    for person, status in table:
        client.force_login(person)
        assert (client.get(page).status_code, client.get(download).status_code) == (
            status,
            status,
        ), person.full_name


def test_blind_mode_hides_identity_in_page_and_file(client, province, setup):
    _entry, material, reviewer, _other, mine = setup
    client.force_login(reviewer)
    html = client.get(reverse("manage_reviews:assignment", args=[mine.pk])).content.decode()
    assert "分数的意义" in html and "教学设计.pdf" in html
    for secret in ["王老师", "东湖区实验小学", "东湖区", province.teacher_a.username]:
        assert secret not in html
    response = client.get(reverse("manage_reviews:material", args=[mine.pk, material.pk]))
    disposition = response["Content-Disposition"]
    assert "%E7%8E%8B" not in disposition and "王" not in disposition  # 王 in any encoding
    assert "%E6%95%99%E5%AD%A6%E8%AE%BE%E8%AE%A1.pdf" in disposition  # 教学设计.pdf
    served = b"".join(response.streaming_content)
    asset = material.upload.asset
    assert (
        served
        == asset.sanitised.read()
        != default_storage.open(material.upload.storage_name).read()
    )
    assert PdfReader(io.BytesIO(served)).metadata == {"/Producer": "pypdf"}
    ReviewRound.objects.update(blind=False)
    html = client.get(reverse("manage_reviews:assignment", args=[mine.pk])).content.decode()
    assert "王老师" in html and "东湖区实验小学" in html


def test_scoring_through_the_page(client, setup):
    _entry, _material, reviewer, _other, mine = setup
    client.force_login(reviewer)
    url = reverse("manage_reviews:assignment", args=[mine.pk])
    criteria = mine.entry.submission.category.criteria.all()
    scored = [c for c in criteria if not c.is_veto]
    response = client.post(
        url, {f"c{scored[0].pk}": scored[0].points + 5, "submit": "1"}, follow=True
    )
    text = response.content.decode()
    assert f"“{scored[0].name}”的得分须在 0 到 {scored[0].points} 之间" in text
    assert "还有评分项未打分" in text
    data = {f"c{c.pk}": c.points - 1 for c in scored}
    response = client.post(url, {**data, "comment": "结构清晰", "submit": "1"}, follow=True)
    assert "评分已提交" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.state, mine.total, mine.comment) == (
        "submitted",
        sum(c.points - 1 for c in scored),
        "结构清晰",
    )


def test_queue_query_count_is_flat(client, province, campaign, lessons, catalog):
    entries = [city_entry(campaign, province.teacher_b, lessons[i], f"作品{i}") for i in range(3)]
    reviewer = expert(province.city, "市专家", catalog.primary)
    review_round = opened(province, city_round(province, campaign), reviewer)
    client.force_login(reviewer)
    url = reverse("manage_reviews:queue")
    counts = []
    for batch in (entries[:1], entries[1:]):
        for entry in batch:
            assign(Actor(province.city_admin), review_round, entry, reviewer)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts.append((len(response.context["assignments"]), len(ctx)))
    assert counts[0][0] == 1 and counts[1][0] == 3
    assert counts[0][1] == counts[1][1]


def test_admin_round_pages(client, province, campaign, lessons, catalog):
    city_entry(campaign, province.teacher_a, lessons[0], "甲")
    reviewer = expert(province.city, "市专家", catalog.primary)
    review_round = city_round(province, campaign, reviews_per_entry=2)
    client.force_login(province.city_admin)
    url = reverse("manage_reviews:round", args=[review_round.pk])
    client.post(url, {"action": "open"})
    client.post(url, {"action": "add_expert", "expert": reviewer.pk, "max_load": 5})
    response = client.post(url, {"action": "auto_assign"})
    text = response.content.decode()
    assert "新分配 1 个评审任务" in text
    assert "《甲》还差 1 位专家" in text
    assert Assignment.objects.get().expert == reviewer
    results = client.get(reverse("manage_reviews:results", args=[review_round.pk]))
    assert [r["title"] for r in results.context["rows"]] == ["甲"]
    client.force_login(province.county_b_admin)
    assert client.get(url).status_code == 404
    client.force_login(reviewer)
    assert client.get(url).status_code == 404
