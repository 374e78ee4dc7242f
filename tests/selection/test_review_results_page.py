"""The paged round results page and the review export (issue 14): sorting, filters, search,
totals, scope, a flat query count at 10 and 1,000 entries, and the xlsx of every review."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.selection.conftest import level
from tests.selection.test_review_domain import city_round, expert, opened
from youke.core.domain import jobs
from youke.core.models import Job
from youke.selection.domain.review_export import JOB_KIND
from youke.selection.enums import AssignmentState, EntryState
from youke.selection.models import Assignment, LevelEntry
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

pytestmark = pytest.mark.django_db


def total_of(k: int, i: int) -> int:
    return 50 + (k * 7 + i * 13) % 50


def scored_round(province, campaign, lessons, catalog, n: int, tag: str = ""):
    """``n`` city entries (even ones by teacher_a, odd by teacher_b), 3 experts who all
    submitted, written in bulk like an import; entry 3 vetoed, the last one unscored."""
    teachers = [province.teacher_a, province.teacher_b]
    category = campaign.categories.order_by("order", "id").first()
    subs = Submission.objects.bulk_create(
        [
            Submission(
                campaign=campaign,
                category=category,
                node=lessons[k % len(lessons)],
                teacher=teachers[k % 2],
                unit=teachers[k % 2].unit,
                title=f"作品{k:04d}",
                state=SubmissionState.SUBMITTED,
                submitted_at=timezone.now(),
            )
            for k in range(n)
        ]
    )
    city = level(campaign, "city")
    entries = LevelEntry.objects.bulk_create(
        [
            LevelEntry(submission=s, level=city, unit=province.city, state=EntryState.PENDING)
            for s in subs
        ]
    )
    panel = [expert(province.city, f"专家{tag}{i}", catalog.primary) for i in range(3)]
    review_round = city_round(province, campaign, reviews_per_entry=3, name=f"市级评审{tag}")
    opened(province, review_round, *panel)
    Assignment.objects.bulk_create(
        [
            Assignment(
                round=review_round,
                entry=entry,
                expert=person,
                total=total_of(k, i),
                state=AssignmentState.SUBMITTED,
                veto=(k, i) == (3, 0),
                veto_reason="抄袭" if (k, i) == (3, 0) else "",
                submitted_at=timezone.now(),
            )
            for k, entry in enumerate(entries[:-1])
            for i, person in enumerate(panel)
        ]
    )
    return review_round, entries


def results(client, review_round, **params):
    return client.get(reverse("manage_reviews:results", args=[review_round.pk]), params)


def titles(response) -> list[str]:
    return [row["title"] for row in response.context["rows"]]


def test_sorting_filters_search_and_totals(client, province, campaign, lessons, catalog):
    review_round, entries = scored_round(province, campaign, lessons, catalog, 10)
    client.force_login(province.city_admin)
    means = {f"作品{k:04d}": sum(total_of(k, i) for i in range(3)) / 3 for k in range(9)}
    ranked = sorted((t for t in means if t != "作品0003"), key=lambda t: (-means[t], t))
    response = results(client, review_round)
    # Ranked by mean, then the unscored entry, then the vetoed one.
    assert titles(response) == [*ranked, "作品0009", "作品0003"]
    assert [r["rank_text"] for r in response.context["rows"]][:2] == ["1", "2"]
    assert response.context["rows"][0]["mean_text"] == f"{means[ranked[0]]:.2f}"
    totals = response.context["totals"]
    assert (totals["entries"], totals["ranked"], totals["reviews"]) == (10, 8, 27)
    assert (totals["unscored"], totals["incomplete"], totals["veto"]) == (1, 1, 1)
    text = response.content.decode()
    assert "共 10 件作品，已排名 8 件，已提交评分 27 份" in text
    assert titles(results(client, review_round, sort="title")) == sorted(means) + ["作品0009"]
    assert titles(results(client, review_round, show="veto")) == ["作品0003"]
    assert titles(results(client, review_round, show="unscored")) == ["作品0009"]
    assert titles(results(client, review_round, show="incomplete")) == ["作品0009"]
    spreads = {
        f"作品{k:04d}": max(total_of(k, i) for i in range(3))
        - min(total_of(k, i) for i in range(3))
        for k in range(9)
    }
    flagged = sorted(t for t, s in spreads.items() if s > review_round.disagreement_threshold)
    assert sorted(titles(results(client, review_round, show="flagged"))) == flagged
    assert titles(results(client, review_round, q="0007")) == ["作品0007"]
    by_teacher = results(client, review_round, q=province.teacher_b.full_name, sort="title")
    assert titles(by_teacher) == [f"作品{k:04d}" for k in range(1, 10, 2)]
    # Totals stay the round's whatever is filtered.
    assert results(client, review_round, show="veto").context["totals"] == totals
    assert "没有符合条件的作品" in results(client, review_round, q="不存在").content.decode()


def test_other_units_and_experts_get_404(client, province, campaign, lessons, catalog):
    review_round, _entries = scored_round(province, campaign, lessons, catalog, 3)
    for person in (province.county_b_admin, province.teacher_a):
        client.force_login(person)
        assert results(client, review_round).status_code == 404
        url = reverse("manage_reviews:results_export", args=[review_round.pk])
        assert client.post(url).status_code == 404
    assert not Job.objects.exists()


def count_queries(client, review_round) -> tuple[int, int]:
    results(client, review_round)  # warm the session; summaries are rebuilt here once
    with CaptureQueriesContext(connection) as ctx:
        response = results(client, review_round, sort="mean")
    return len(response.context["rows"]), len(ctx)


def test_query_count_flat_at_10_and_1000(client, province, campaign, lessons, catalog):
    client.force_login(province.city_admin)
    small, _ = scored_round(province, campaign, lessons, catalog, 10)
    few = count_queries(client, small)
    LevelEntry.objects.filter(review_rounds=small).update(state=EntryState.NOT_RECOMMENDED)
    big, _ = scored_round(province, campaign, lessons, catalog, 1000, tag="乙")
    many = count_queries(client, big)
    assert (few[0], many[0]) == (10, 50)
    assert few[1] == many[1]


def test_export_has_every_review_in_result_order(
    client, province, campaign, lessons, catalog, django_capture_on_commit_callbacks
):
    review_round, _entries = scored_round(province, campaign, lessons, catalog, 4)
    client.force_login(province.city_admin)
    url = reverse("manage_reviews:results_export", args=[review_round.pk])
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url)
    job = Job.objects.get()
    assert (job.kind, job.params, len(queued)) == (JOB_KIND, {"round": review_round.pk}, 1)
    assert response.url == reverse("manage:job_detail", args=[job.pk])
    assert client.get(response.url).status_code == 200
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result["rows"] == 9
    with job.output_file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "作品编号", "作品")
    means = {k: sum(total_of(k, i) for i in range(3)) / 3 for k in range(3)}
    order = sorted(means, key=lambda k: -means[k])
    assert [r[2] for r in rows[1:]] == [f"作品{k:04d}" for k in order for _ in range(3)]
    assert [r[0] for r in rows[1::3]] == [1, 2, 3]
    assert sorted(r[10] for r in rows[1:4]) == sorted(total_of(order[0], i) for i in range(3))
    assert rows[1][5] == round(means[order[0]], 2)
    # The last entry has no reviews, so no rows.
    assert {r[2] for r in rows[1:]} == {"作品0000", "作品0001", "作品0002"}


def queue(client, **params):
    return client.get(reverse("manage_reviews:queue"), params)


def test_expert_queue_paged_filtered_and_flat(client, province, campaign, lessons, catalog):
    review_round, entries = scored_round(province, campaign, lessons, catalog, 10)
    reviewer = Assignment.objects.filter(round=review_round).first().expert
    # 专家0: seven of ten submitted, two drafts, one not started.
    Assignment.objects.filter(round=review_round, expert=reviewer, entry__in=entries[:2]).update(
        state=AssignmentState.DRAFT, submitted_at=None
    )
    Assignment.objects.create(round=review_round, entry=entries[-1], expert=reviewer)
    client.force_login(reviewer)
    response = queue(client)
    assert len(response.context["assignments"]) == 10
    assert [(p["done"], p["total"]) for p in response.context["progress"]] == [(7, 10)]
    drafts = queue(client, state="draft").context["assignments"]
    assert sorted(a["entry__submission__title"] for a in drafts) == ["作品0000", "作品0001"]
    assert [a["state_label"] for a in drafts] == ["已暂存", "已暂存"]
    found = queue(client, q="0009").context["assignments"]
    assert [(a["entry__submission__title"], a["total_text"]) for a in found] == [("作品0009", "—")]
    # Filters never widen the scope: another expert's assignments stay out.
    other = Assignment.objects.exclude(expert=reviewer).first()
    assert other.pk not in {
        a["id"] for a in queue(client, round=review_round.pk).context["assignments"]
    }
    with CaptureQueriesContext(connection) as ctx:
        queue(client, state="submitted")
    few = len(ctx)
    big, _ = scored_round(province, campaign, lessons, catalog, 1000, tag="乙")
    lots = Assignment.objects.filter(round=big).order_by("id").first().expert
    client.force_login(lots)
    queue(client)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = queue(client, state="submitted")
    assert len(response.context["assignments"]) == 50
    assert response.context["page"].paginator.count == 999
    assert len(ctx) == few


def test_results_api_whole_and_paged(client, province, campaign, lessons, catalog):
    review_round, _entries = scored_round(province, campaign, lessons, catalog, 10)
    client.force_login(province.city_admin)
    url = f"/api/v1/reviews/rounds/{review_round.pk}/results"
    whole = client.get(url).json()
    assert (whole["count"], whole["page"], len(whole["entries"])) == (10, None, 10)
    page = client.get(url, {"page": 1}).json()
    assert page["entries"] == whole["entries"]
    assert client.get(url, {"page": 2}).json()["entries"] == []
    first = whole["entries"][0]
    k = int(first["title"][2:])
    assert sorted(first["totals"]) == sorted(total_of(k, i) for i in range(3))
    assert first["rank"] == 1 and first["mean"] == pytest.approx(sum(first["totals"]) / 3)
    assert [e["expert"]["full_name"] for e in whole["experts"]] == ["专家0", "专家1", "专家2"]
    client.force_login(province.county_b_admin)
    assert client.get(url).status_code == 404


def test_admin_reopens_a_submitted_review(client, province, campaign, lessons, catalog):
    review_round, entries = scored_round(province, campaign, lessons, catalog, 3)
    done = Assignment.objects.filter(round=review_round, entry=entries[0]).order_by("id").first()
    url = reverse("manage_reviews:reopen", args=[review_round.pk, done.pk])
    client.force_login(province.county_b_admin)
    assert client.post(url, {"reason": "请核对"}).status_code == 404
    client.force_login(province.city_admin)
    page = client.get(reverse("manage_reviews:round", args=[review_round.pk])).content.decode()
    assert url in page
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请填写退回理由" in refused
    response = client.post(url, {"reason": "总分有误"}, follow=True)
    assert "的评分退回修改" in response.content.decode()
    done.refresh_from_db()
    assert done.state == AssignmentState.DRAFT
    first = results(client, review_round, q="作品0000").context["rows"][0]
    assert first["reviews"] == 2
