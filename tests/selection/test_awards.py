"""Awards (issue 4 item 10, R11): proposal by proportion and count, grant, R4 feedback, revoke."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.selection.test_proposal import city_entry, scored_round
from youke.campaigns.domain.nodes import node_statuses
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import AwardGrade, Campaign, PastAward
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.notifications.models import Notification
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain.awards import grant_awards, propose_awards, revoke_award
from youke.selection.domain.review import set_round_state
from youke.selection.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(province, campaign, lessons):
    """Five ranked entries (90…50) and a vetoed one; grades 20 %, 2 places, 10 %."""
    entries = [
        city_entry(campaign, province.teacher_a, lessons[i], t)
        for i, t in enumerate(["甲", "乙", "丙", "丁", "戊", "己"])
    ]
    scores = dict(zip(entries, [90, 80, 70, 60, 50, 95], strict=True))
    review_round = scored_round(province, campaign, scores, vetoed={entries[5]})
    city = review_round.level
    AwardGrade.objects.filter(campaign=campaign, level=city).delete()
    grades = [
        AwardGrade.objects.create(campaign=campaign, level=city, name="一等奖", proportion="0.2"),
        AwardGrade.objects.create(campaign=campaign, level=city, name="二等奖", count=2, order=1),
        AwardGrade.objects.create(
            campaign=campaign, level=city, name="三等奖", proportion="0.1", order=2
        ),
    ]
    return review_round, entries, grades


def _proposal(review_round):
    return [
        (p.result.entry.submission.title, p.grade.name if p.grade else None)
        for p in propose_awards(review_round)
    ]


def test_proposal_by_proportion_and_count(ranked):
    review_round, _entries, _grades = ranked
    # 20 % of 5 = 1; then 2 by count; 10 % of 5 rounds down to 0 but a share gives at least 1.
    assert _proposal(review_round) == [
        ("甲", "一等奖"),
        ("乙", "二等奖"),
        ("丙", "二等奖"),
        ("丁", "三等奖"),
        ("戊", None),
    ]


def test_grade_without_size_takes_the_rest(ranked, campaign):
    review_round, _entries, grades = ranked
    AwardGrade.objects.filter(pk=grades[2].pk).update(proportion=None)
    assert [g for _t, g in _proposal(review_round)][3:] == ["三等奖", "三等奖"]


def test_grant_following_proposal_records_past_award_and_notifies(province, campaign, ranked):
    review_round, entries, grades = ranked
    awards = grant_awards(Actor(province.city_admin), review_round, [(entries[0], grades[0], "")])
    award = awards[0]
    assert (award.grade, award.level, award.reason) == (grades[0], review_round.level, "")
    past = PastAward.objects.get(pk=award.past_award_id)
    assert (past.node, past.level, past.year, past.title, past.teacher_name, past.unit_name) == (
        entries[0].submission.node,
        "city",
        campaign.year,
        "甲",
        "王老师",
        province.school_a.name,
    )
    assert past.source == "youke"
    notice = Notification.objects.get(person=province.teacher_a, kind="award")
    assert notice.title == "《甲》获得一等奖"
    assert notice.url == reverse("portal:submission_detail", args=[entries[0].submission_id])
    assert (
        AuditEvent.objects.filter(object_id=str(award.pk), object_type__icontains="award").count()
        == 1
    )
    with pytest.raises(ValidationError):  # one active award per entry and level
        grant_awards(Actor(province.city_admin), review_round, [(entries[0], grades[0], "")])


def test_deviation_needs_a_reason(province, ranked):
    review_round, entries, grades = ranked
    admin = Actor(province.city_admin)
    with pytest.raises(ValidationError) as err:
        grant_awards(admin, review_round, [(entries[4], grades[2], "")])
    assert "请填写调整理由" in err.value.messages[0]
    with pytest.raises(ValidationError):  # vetoed: the proposal is "no award"
        grant_awards(admin, review_round, [(entries[5], grades[2], " ")])
    assert not Award.objects.exists()
    (award,) = grant_awards(admin, review_round, [(entries[4], grades[2], "现场展示优秀")])
    assert award.reason == "现场展示优秀"


def test_award_closes_node_for_a_later_campaign_and_revoke_reopens(
    province, campaign, ranked, catalog
):
    review_round, entries, grades = ranked
    later = create_campaign_from_template(
        Actor(province.province_admin), province.province, "quality_course", name="次年", year=2027
    )
    Campaign.objects.filter(pk=later.pk).update(
        node_close_award_level="city", node_close_award_threshold=1
    )
    later.refresh_from_db()
    node = entries[1].submission.node
    today = timezone.localdate()
    assert node_statuses(later, [node], today=today)[node.pk].open
    (award,) = grant_awards(Actor(province.city_admin), review_round, [(entries[1], grades[1], "")])
    status = node_statuses(later, [node], today=today)[node.pk]
    assert (status.open, status.reason_code) == (False, "award_rule")
    with pytest.raises(ValidationError):
        revoke_award(Actor(province.city_admin), award, "")
    revoked = revoke_award(Actor(province.city_admin), award, "公示期异议成立")
    assert revoked.revoked_at is not None and revoked.revoked_reason == "公示期异议成立"
    assert not PastAward.objects.filter(pk=award.past_award_id).exists()
    assert node_statuses(later, [node], today=today)[node.pk].open
    with pytest.raises(ValidationError):
        revoke_award(Actor(province.city_admin), revoked, "再次撤销")
    # A revoked award frees the entry for a new grade.
    grant_awards(Actor(province.city_admin), review_round, [(entries[1], grades[1], "")])


def test_permissions_and_open_round(province, ranked):
    review_round, entries, grades = ranked
    with pytest.raises(PermissionDenied):
        grant_awards(Actor(province.county_a_admin), review_round, [(entries[0], grades[0], "")])
    set_round_state(Actor(province.city_admin), review_round, "open")
    with pytest.raises(ValidationError):
        grant_awards(Actor(province.city_admin), review_round, [(entries[0], grades[0], "")])


def test_awards_page_grant_and_revoke(client, province, ranked):
    review_round, entries, grades = ranked
    url = reverse("manage_selection:awards", args=[review_round.pk])
    client.force_login(province.city_admin)
    page = client.get(url)
    assert page.status_code == 200
    assert [(p.result.entry.submission.title) for p in page.context["proposals"]] == [
        "甲",
        "乙",
        "丙",
        "丁",
        "戊",
    ]
    first, fifth = entries[0].pk, entries[4].pk
    posted = client.post(
        url,
        {
            "action": "grant",
            "entry": [first, fifth],
            f"grade_{first}": grades[0].pk,
            f"grade_{fifth}": grades[2].pk,
            f"reason_{fifth}": "",
        },
    )
    assert posted.status_code == 200  # asks first
    posted = client.post(
        url,
        {
            "action": "grant",
            "entry": [first, fifth],
            f"grade_{first}": grades[0].pk,
            f"grade_{fifth}": grades[2].pk,
            f"reason_{fifth}": "",
            "confirmed": "1",
        },
    )
    assert posted.status_code == 302
    assert not Award.objects.exists()  # the deviation had no reason: nothing granted
    client.post(
        url,
        {
            "confirmed": "1",
            "action": "grant",
            "entry": [first, fifth],
            f"grade_{first}": grades[0].pk,
            f"grade_{fifth}": grades[2].pk,
            f"reason_{fifth}": "专家组复议",
        },
    )
    assert sorted(Award.objects.values_list("entry__submission__title", flat=True)) == ["戊", "甲"]
    award = Award.objects.get(entry_id=first)
    client.post(
        url, {"action": "revoke", "award": award.pk, "reason": "材料不实", "confirmed": "1"}
    )
    award.refresh_from_db()
    assert award.revoked_reason == "材料不实"


def test_awards_page_other_county_404(client, province, ranked):
    review_round, _entries, _grades = ranked
    client.force_login(province.county_b_admin)
    url = reverse("manage_selection:awards", args=[review_round.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "grant"}).status_code == 404
