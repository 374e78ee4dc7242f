"""Review aggregates (issue 14): maintained on every submit and reopen, equal to a
recomputation from scratch, and rebuilt for rounds whose summaries are missing."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from youke.campaigns.models import Criterion
from youke.core.actor import Actor
from youke.selection.domain.assignment import assign
from youke.selection.domain.review import reopen_review, save_scores
from youke.selection.domain.review_results import TOTALS
from youke.selection.domain.review_summary import rebuild_round
from youke.selection.enums import AssignmentState, RankingMethod
from youke.selection.models import (
    Assignment,
    EntryReviewSummary,
    ExpertRoundStats,
    RoundReviewTotals,
)

ENTRY_COLUMNS = ["entry_id", "reviews", "mean", "trimmed_mean", "spread", "disagreement", "veto"]
ENTRY_COLUMNS += ["rank", "zscore"]
EXPERT_COLUMNS = ["expert_id", "count", "mean", "stdev", "deviation"]


def oracle(review_round) -> tuple[dict, dict]:
    """The round's figures recomputed in plain Python from its submitted assignments."""
    rows = list(
        Assignment.objects.filter(round=review_round, state=AssignmentState.SUBMITTED).values(
            "entry_id", "expert_id", "total", "veto"
        )
    )
    by_expert, by_entry = defaultdict(list), defaultdict(list)
    for row in rows:
        by_expert[row["expert_id"]].append(row)
        by_entry[row["entry_id"]].append(row)
    stats = {}
    for expert_id, own in by_expert.items():
        totals = [r["total"] for r in own]
        stats[expert_id] = (statistics.fmean(totals), statistics.pstdev(totals))
    entries = {}
    for entry_id in review_round.entries.values_list("id", flat=True):
        own = by_entry.get(entry_id, [])
        totals = sorted(r["total"] for r in own)
        if not totals:
            entries[entry_id] = dict.fromkeys(ENTRY_COLUMNS[1:])
            entries[entry_id].update(reviews=0, disagreement=False, veto=False)
            continue
        zs = []
        for r in own:
            mu, sd = stats[r["expert_id"]]
            zs.append((r["total"] - mu) / sd if sd else 0.0)
        entries[entry_id] = {
            "reviews": len(totals),
            "mean": statistics.fmean(totals),
            "trimmed_mean": statistics.fmean(totals[1:-1] if len(totals) >= 4 else totals),
            "spread": totals[-1] - totals[0],
            "disagreement": totals[-1] - totals[0] > review_round.disagreement_threshold,
            "veto": any(r["veto"] for r in own),
            "zscore": statistics.fmean(zs),
            "rank": None,
        }
    key = {"mean": "mean", "trimmed_mean": "trimmed_mean", "zscore": "zscore"}
    ranked = sorted(
        (pk for pk, e in entries.items() if e["reviews"] and not e["veto"]),
        key=lambda pk: (-entries[pk][key[review_round.ranking_method]], pk),
    )
    for position, pk in enumerate(ranked, start=1):
        entries[pk]["rank"] = position
    experts = {}
    for expert_id, own in by_expert.items():
        mu, sd = stats[expert_id]
        deviation = statistics.fmean(r["total"] - entries[r["entry_id"]]["mean"] for r in own)
        experts[expert_id] = {"count": len(own), "mean": mu, "stdev": sd, "deviation": deviation}
    return entries, experts


def stored(review_round) -> tuple[dict, dict]:
    entries = {
        row.pop("entry_id"): row
        for row in EntryReviewSummary.objects.filter(round=review_round).values(*ENTRY_COLUMNS)
    }
    experts = {
        row.pop("expert_id"): row
        for row in ExpertRoundStats.objects.filter(round=review_round).values(*EXPERT_COLUMNS)
    }
    return entries, experts


def assert_matches(review_round) -> None:
    entries, experts = stored(review_round)
    want_entries, want_experts = oracle(review_round)
    assert entries.keys() == want_entries.keys()
    for pk, want in want_entries.items():
        assert entries[pk] == {k: pytest.approx(v) for k, v in want.items()}, pk
    assert experts.keys() == want_experts.keys()
    for pk, want in want_experts.items():
        assert experts[pk] == {k: pytest.approx(v) for k, v in want.items()}, pk
    totals = RoundReviewTotals.objects.filter(round=review_round).values(*TOTALS).first()
    assert totals == {
        "entries": len(want_entries),
        "ranked": sum(1 for e in want_entries.values() if e["rank"]),
        "unscored": sum(1 for e in want_entries.values() if not e["reviews"]),
        "incomplete": sum(
            1 for e in want_entries.values() if e["reviews"] < review_round.reviews_per_entry
        ),
        "flagged": sum(1 for e in want_entries.values() if e["disagreement"]),
        "veto": sum(1 for e in want_entries.values() if e["veto"]),
        "reviews": sum(e["reviews"] for e in want_entries.values()),
    }


def scoreboard(province, campaign, lessons, catalog, method, n_entries=3, n_experts=3):
    entries = [
        city_entry(campaign, province.teacher_a, lessons[i], f"课{i}") for i in range(n_entries)
    ]
    panel = [expert(province.city, f"专家{i}", catalog.primary) for i in range(n_experts)]
    review_round = city_round(province, campaign, ranking_method=method, disagreement_threshold=10)
    opened(province, review_round, *panel)
    work = {
        (i, j): assign(Actor(province.city_admin), review_round, entry, person)
        for i, person in enumerate(panel)
        for j, entry in enumerate(entries)
    }
    criteria = [
        c
        for c in Criterion.objects.filter(category=entries[0].submission.category)
        if not c.is_veto
    ]
    assert len(criteria) > 2
    return review_round, panel, work, criteria


def points_for(criteria, level: int) -> dict[int, int]:
    """All criteria scored at ``level``/10 of their points."""
    return {c.pk: c.points * level // 10 for c in criteria}


moves = st.lists(
    st.tuples(
        st.sampled_from(["draft", "submit", "reopen"]),
        st.integers(0, 2),  # expert
        st.integers(0, 2),  # entry
        st.integers(0, 10),  # level of the points
        st.booleans(),  # veto
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(method=st.sampled_from(list(RankingMethod.values)), steps=moves)
def test_maintained_aggregates_equal_recomputed(
    province, campaign, lessons, catalog, method, steps
):
    with transaction.atomic():  # rolled back below: each example starts from the fixture
        review_round, panel, work, criteria = scoreboard(
            province, campaign, lessons, catalog, method
        )
        for kind, i, j, level, veto in steps:
            assignment = work[(i, j)]
            try:
                if kind == "reopen":
                    reopen_review(Actor(province.city_admin), assignment, "请更正")
                else:
                    save_scores(
                        Actor(panel[i]),
                        assignment,
                        points_for(criteria, level),
                        veto=veto and level < 3,
                        veto_reason="抄袭" if veto and level < 3 else "",
                        submit=kind == "submit",
                    )
            except ValidationError:
                # Only refused because the review is (not) submitted; nothing may change.
                submitted = Assignment.objects.get(pk=assignment.pk).state == "submitted"
                assert submitted == (kind != "reopen")
            assert_matches(review_round)
        maintained = stored(review_round)
        rebuild_round(review_round)
        assert stored(review_round) == maintained
        transaction.set_rollback(True)


def test_rebuild_command_fills_rounds_scored_in_bulk(province, campaign, lessons, catalog):
    review_round, panel, work, _criteria = scoreboard(
        province, campaign, lessons, catalog, RankingMethod.TRIMMED_MEAN
    )
    for (i, j), assignment in work.items():
        Assignment.objects.filter(pk=assignment.pk).update(
            state=AssignmentState.SUBMITTED, total=60 + 10 * i + j, veto=(i, j) == (2, 2)
        )
    EntryReviewSummary.objects.filter(round=review_round).delete()
    call_command("rebuild_review_summaries", str(review_round.pk))
    assert_matches(review_round)
    entries, experts = stored(review_round)
    # Totals per entry: 60/70/80, 61/71/81, 62/72/82 (vetoed by 专家2).
    assert sorted((e["rank"], e["mean"]) for e in entries.values() if e["rank"]) == [
        (1, 71.0),
        (2, 70.0),
    ]
    assert [e["reviews"] for e in entries.values()] == [3, 3, 3]


def test_reopen_takes_the_review_out_of_the_results(province, campaign, lessons, catalog):
    review_round, panel, work, criteria = scoreboard(
        province, campaign, lessons, catalog, RankingMethod.MEAN, n_entries=1, n_experts=2
    )
    for i in range(2):
        save_scores(Actor(panel[i]), work[(i, 0)], points_for(criteria, 5 + i * 3), submit=True)
    before = EntryReviewSummary.objects.get(round=review_round)
    assert (before.reviews, before.rank) == (2, 1)
    with pytest.raises(ValidationError, match="退回理由"):
        reopen_review(Actor(province.city_admin), work[(1, 0)], " ")
    with pytest.raises(Exception, match="review round"):
        reopen_review(Actor(panel[0]), work[(1, 0)], "请更正")
    reopen_review(Actor(province.city_admin), work[(1, 0)], "总分有误，请核对")
    after = EntryReviewSummary.objects.get(round=review_round)
    assert (after.reviews, after.mean) == (1, sum(points_for(criteria, 5).values()))
    assert after.mean > 0
    assert not ExpertRoundStats.objects.filter(round=review_round, expert=panel[1]).exists()
    assert_matches(review_round)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_on_one_entry_are_all_counted(province, campaign, lessons, catalog):
    from tests.selection.test_concurrency import run_all

    review_round, panel, work, criteria = scoreboard(
        province, campaign, lessons, catalog, RankingMethod.ZSCORE, n_entries=2, n_experts=3
    )
    jobs = [
        lambda i=i, j=j: save_scores(
            Actor(panel[i]), work[(i, j)], points_for(criteria, 4 + i + 2 * j), submit=True
        )
        for i in range(3)
        for j in range(2)
    ]
    results = run_all(jobs)
    assert not [r for r in results if isinstance(r, Exception)]
    assert_matches(review_round)
    assert EntryReviewSummary.objects.filter(round=review_round, reviews=3).count() == 2


def test_reviews_deleted_with_their_entry_trigger_a_rebuild(province, campaign, lessons, catalog):
    from youke.selection.domain.review_results import round_results

    review_round, panel, work, criteria = scoreboard(
        province, campaign, lessons, catalog, RankingMethod.MEAN, n_entries=2, n_experts=1
    )
    for j in range(2):
        save_scores(Actor(panel[0]), work[(0, j)], points_for(criteria, 5 + 3 * j), submit=True)
    assert ExpertRoundStats.objects.get(round=review_round).count == 2
    work[(0, 1)].entry.delete()  # a withdrawn package leaves the level and the round
    results, experts = round_results(review_round)
    assert [(r.rank, r.reviews) for r in results] == [(1, 1)]
    assert [e.count for e in experts] == [1]
    assert_matches(review_round)
