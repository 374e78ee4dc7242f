"""Review rounds through the API: scoping, blind mode, scoring, results, conflicts (item 15)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import NOT_FOUND, ids
from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level  # noqa: F401  (fixture)
from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.campaigns.models import Criterion
from youke.core.actor import Actor
from youke.selection.domain.assignment import assign
from youke.selection.enums import AssignmentState
from youke.selection.models import Assignment, ReviewRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(province, campaign, lessons, catalog):  # noqa: F811
    entries = [
        city_entry(campaign, province.teacher_a, lessons[0], "春晓"),
        city_entry(campaign, province.teacher_b, lessons[1], "静夜思"),
    ]
    one = expert(province.city, "一号专家", catalog.primary)
    two = expert(province.city, "二号专家", catalog.primary)
    review_round = city_round(province, campaign, blind=True, reviews_per_entry=1)
    opened(province, review_round, one, two)
    admin = Actor(province.city_admin)
    mine = assign(admin, review_round, entries[0], one)
    theirs = assign(admin, review_round, entries[1], two)
    return {
        "round": review_round,
        "entries": entries,
        "one": one,
        "two": two,
        "mine": mine,
        "theirs": theirs,
    }


def test_assignment_list_and_detail_permission_table(province, setup, api_as):
    mine, theirs = setup["mine"].pk, setup["theirs"].pk
    cases = {
        "one": [mine],
        "two": [theirs],
        "city_admin": [mine, theirs],
        "province_admin": [mine, theirs],
        "county_a_admin": [],
        "teacher_a": [],
    }
    for who, expected in cases.items():
        person = setup[who] if who in setup else getattr(province, who)
        client = api_as(person)
        assert ids(client.get("/reviews/assignments")) == expected, who
        for pk in (mine, theirs):
            response = client.get(f"/reviews/assignments/{pk}")
            if pk in expected:
                assert response.status_code == 200, who
                assert response.json()["id"] == pk
            else:
                assert (response.status_code, response.json()) == (404, NOT_FOUND), who


def test_draft_round_assignments_are_hidden_from_experts(province, campaign, setup, api_as):  # noqa: F811
    ReviewRound.objects.filter(pk=setup["round"].pk).update(state="draft")
    assert ids(api_as(setup["one"]).get("/reviews/assignments")) == []
    assert len(ids(api_as(province.city_admin).get("/reviews/assignments"))) == 2


def test_blind_round_hides_identity_from_experts_only(province, setup, api_as):
    response = api_as(setup["one"]).get(f"/reviews/assignments/{setup['mine'].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "春晓"
    assert body["entry"]["blind"] is True
    assert (body["entry"]["teacher"], body["entry"]["unit"], body["entry"]["coauthors"]) == (
        None,
        None,
        None,
    )
    content = response.content.decode()
    for secret in ("王老师", "东湖区实验小学", "东湖区", "teachera"):
        assert secret not in content
    listing = api_as(setup["one"]).get("/reviews/assignments").content.decode()
    assert "王老师" not in listing and "东湖区实验小学" not in listing
    # The round's own admin sees who wrote it.
    admin_view = api_as(province.city_admin).get(f"/reviews/assignments/{setup['mine'].pk}")
    assert admin_view.json()["entry"]["teacher"] == "王老师"
    assert admin_view.json()["entry"]["unit"] == "东湖区实验小学"


def test_open_round_shows_identity(province, setup, api_as):
    ReviewRound.objects.filter(pk=setup["round"].pk).update(blind=False)
    body = api_as(setup["one"]).get(f"/reviews/assignments/{setup['mine'].pk}").json()
    assert (body["entry"]["blind"], body["entry"]["teacher"]) == (False, "王老师")


def _points(entry, value_for):
    criteria = Criterion.objects.filter(category=entry.submission.category).order_by("id")
    return [{"criterion": c.pk, "points": value_for(c)} for c in criteria if not c.is_veto]


def test_scoring_validation_draft_and_submit(province, setup, api_as):
    client = api_as(setup["one"])
    path = f"/reviews/assignments/{setup['mine'].pk}/scores"
    entry = setup["entries"][0]

    too_high = _points(entry, lambda c: c.points + 1)[:1]
    response = client.post(path, {"scores": too_high})
    assert response.status_code == 422
    assert "得分须在 0 到" in response.json()["detail"]["__all__"][0]

    negative = client.post(
        path, {"scores": [{"criterion": too_high[0]["criterion"], "points": -1}]}
    )
    assert negative.status_code == 422
    assert negative.json()["detail"] == {"scores.0.points": ["数值不能小于 0。"]}

    partial = _points(entry, lambda c: c.points)[:1]
    missing = client.post(path, {"scores": partial, "submit": True})
    assert missing.status_code == 422
    assert missing.json()["detail"]["__all__"][0].startswith("还有评分项未打分")

    draft = client.post(path, {"scores": partial, "comment": "不错"})
    assert draft.status_code == 200
    assert (draft.json()["state"], draft.json()["comment"]) == (AssignmentState.DRAFT, "不错")
    assert draft.json()["scores"] == partial

    full = _points(entry, lambda c: c.points)
    done = client.post(path, {"scores": full, "submit": True})
    assert done.status_code == 200
    assert done.json()["state"] == AssignmentState.SUBMITTED
    assert done.json()["total"] == sum(p["points"] for p in full)
    again = client.post(path, {"scores": full, "submit": True})
    assert again.status_code == 422
    assert "评分已提交" in again.json()["detail"]["__all__"][0]

    # Nobody but the assigned expert scores: the admin and the other expert get 404.
    for other in (province.city_admin, setup["two"]):
        refused = api_as(other).post(path, {"scores": full})
        assert (refused.status_code, refused.json()) == (404, NOT_FOUND)

    results = api_as(province.city_admin).get(f"/reviews/rounds/{setup['round'].pk}/results")
    assert results.status_code == 200
    first = results.json()["entries"][0]
    assert (first["title"], first["rank"], first["reviews"]) == ("春晓", 1, 1)
    assert results.json()["experts"][0]["expert"]["full_name"] == "一号专家"
    hidden = api_as(setup["one"]).get(f"/reviews/rounds/{setup['round'].pk}/results")
    assert hidden.status_code == 404


def test_round_lifecycle_panel_and_auto_assign(province, campaign, lessons, catalog, api_as):  # noqa: F811
    city_entry(campaign, province.teacher_a, lessons[0], "春晓")
    city_entry(campaign, province.teacher_b, lessons[1], "静夜思")
    panel = [expert(province.city, f"专家{i}", catalog.primary) for i in range(2)]
    junior = expert(province.city, "初中专家", catalog.junior)
    client = api_as(province.city_admin)
    body = {
        "campaign": campaign.pk,
        "level": level(campaign, "city").pk,
        "unit": province.city.pk,
        "name": "市级评审",
        "reviews_per_entry": 2,
        "deadline": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
    }
    assert api_as(province.county_a_admin).post("/reviews/rounds", body).status_code == 404
    late = client.post("/reviews/rounds", {**body, "deadline": "2000-01-01T00:00:00Z"})
    assert late.status_code == 422
    assert late.json()["detail"]["__all__"] == ["评审截止时间已过：请设置一个将来的时间。"]

    created = client.post("/reviews/rounds", body)
    assert created.status_code == 201
    round_id = created.json()["id"]
    assert (created.json()["state"], created.json()["entry_count"]) == ("draft", 0)

    opened_round = client.post(f"/reviews/rounds/{round_id}/open")
    assert opened_round.status_code == 200
    assert (opened_round.json()["state_label"], opened_round.json()["entry_count"]) == (
        "评审中",
        2,
    )
    bad = client.post(f"/reviews/rounds/{round_id}/experts", {"expert": junior.pk})
    assert bad.status_code == 422
    for person in panel:
        added = client.post(f"/reviews/rounds/{round_id}/experts", {"expert": person.pk})
        assert added.status_code == 200
        assert added.json()["expert"] == {"id": person.pk, "full_name": person.full_name}

    report = client.post(f"/reviews/rounds/{round_id}/auto-assign")
    assert report.json() == {"created": 4, "problems": []}
    assert client.get(f"/reviews/rounds/{round_id}").json()["assignment_count"] == 4

    one = Assignment.objects.filter(round_id=round_id).order_by("id").first()
    assert client.delete(f"/reviews/assignments/{one.pk}").status_code == 204
    again = client.post(
        f"/reviews/rounds/{round_id}/assignments", {"entry": one.entry_id, "expert": one.expert_id}
    )
    assert again.status_code == 201
    assert again.json()["expert"]["id"] == one.expert_id
    duplicate = client.post(
        f"/reviews/rounds/{round_id}/assignments", {"entry": one.entry_id, "expert": one.expert_id}
    )
    assert duplicate.status_code == 422

    closed = client.post(f"/reviews/rounds/{round_id}/close")
    assert closed.json()["state"] == "closed"
    assert client.post(f"/reviews/rounds/{round_id}/close").status_code == 422
    assert (
        api_as(province.county_a_admin).post(f"/reviews/rounds/{round_id}/open").status_code == 404
    )


def test_expert_declares_conflict_on_own_assignment(province, setup, api_as):
    client = api_as(setup["one"])
    response = client.post(
        "/reviews/conflicts", {"assignment": setup["mine"].pk, "reason": "曾指导该课"}
    )
    assert response.status_code == 201
    assert response.json()["entry_id"] == setup["entries"][0].pk
    assert not Assignment.objects.filter(pk=setup["mine"].pk).exists()
    other = client.post("/reviews/conflicts", {"assignment": setup["theirs"].pk, "reason": "x"})
    assert (other.status_code, other.json()) == (404, NOT_FOUND)
    neither = client.post("/reviews/conflicts", {"reason": "x"})
    assert neither.status_code == 422


def test_admin_declares_conflict_for_panel_expert(province, setup, api_as):
    body = {
        "round": setup["round"].pk,
        "expert": setup["two"].pk,
        "entry": setup["entries"][1].pk,
        "reason": "同事",
    }
    assert api_as(province.county_a_admin).post("/reviews/conflicts", body).status_code == 404
    response = api_as(province.city_admin).post("/reviews/conflicts", body)
    assert response.status_code == 201
    assert not Assignment.objects.filter(pk=setup["theirs"].pk).exists()


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.json()


def test_list_query_counts_do_not_grow(province, campaign, lessons, catalog, api_as):  # noqa: F811
    admin = Actor(province.city_admin)
    specialist = expert(province.city, "专家", catalog.primary)
    entries = [city_entry(campaign, province.teacher_a, lessons[i], f"课{i}") for i in range(3)]
    clients = {"admin": api_as(province.city_admin), "expert": api_as(specialist)}
    paths = {
        "admin": "/reviews/assignments",
        "expert": "/reviews/assignments",
        "rounds": f"/reviews/rounds?campaign={campaign.pk}",
    }

    def grow(n):
        for _ in range(n):
            named = f"市级评审{ReviewRound.objects.count() + 1}"  # round names are unique
            review_round = opened(province, city_round(province, campaign, name=named), specialist)
            for entry in entries:
                assign(admin, review_round, entry, specialist)
        Assignment.objects.filter(entry__in=entries[1:]).delete()

    counts = {}
    for size, added in ((1, 1), (3, 2)):
        grow(added)
        for who, path in paths.items():
            client = clients["expert" if who == "expert" else "admin"]
            counts[who, size] = _count(client, path)
    for who in paths:
        (n1, one), (n3, three) = counts[who, 1], counts[who, 3]
        assert (one["count"], three["count"]) == (1, 3), who
        assert n1 == n3, who
    detail_counts = []
    for a in Assignment.objects.filter(expert=specialist).order_by("id")[:2]:
        n, body = _count(clients["expert"], f"/reviews/assignments/{a.pk}")
        assert body["entry"]["teacher"] is None
        detail_counts.append(n)
    assert detail_counts[0] == detail_counts[1]


def test_expert_list_is_the_plain_expert_filter(province, setup, api_as):
    """Deadline-night load: an expert's queue is ``expert_id = me`` (the expert index), not
    the OR with the rounds an admin sees, which walked every assignment of a big round."""
    with CaptureQueriesContext(connection) as ctx:
        response = api_as(setup["one"]).get("/reviews/assignments")
    assert ids(response) == [setup["mine"].pk]
    listing = [q["sql"] for q in ctx.captured_queries if 'FROM "selection_assignment"' in q["sql"]]
    assert listing and all(" OR " not in sql for sql in listing)
    assert all('"selection_assignment"."expert_id" =' in sql for sql in listing)


def test_expert_who_administers_a_unit_sees_own_and_administered_assignments(
    province, setup, api_as
):
    from youke.orgs.enums import Role
    from youke.orgs.models import RoleGrant

    RoleGrant.objects.create(person=setup["one"], unit=province.county_a, role=Role.UNIT_ADMIN)
    # County A administers no city round: still exactly the expert's own assignment.
    assert ids(api_as(setup["one"]).get("/reviews/assignments")) == [setup["mine"].pk]
    RoleGrant.objects.create(person=setup["two"], unit=province.city, role=Role.UNIT_ADMIN)
    assert ids(api_as(setup["two"]).get("/reviews/assignments")) == sorted(
        [setup["mine"].pk, setup["theirs"].pk]
    )
